// Simulcast layers in real browsers through the media peer (docs/protocol.md "Simulcast"):
// - a camera goes out as the layers its size allows, the full picture on top. Chromium encodes at
//   most two layers of a 640x360 camera and drops the top encodings beyond that, so the old fixed
//   quarter/half/full encodings sent 160x90 and 320x180 and never the full picture; a 320x240
//   camera went out as 80x60 alone (now as `l` at full size);
// - a student on a weak link still sees the teacher, at the small layer, while the others keep
//   the full picture; once the link is good again the student gets the full picture back.
// The weak link is a tc rate limit on the student's media port (lib/block.ts), so this runs only in
// the test network namespace (end2end/run.sh).
import type { Page } from '@playwright/test';
import { limitUdpTo, unblockPeerTraffic } from '../lib/block';
import { clickJoin, expect, launchParticipant, mediaPort, muteMicrophone, roomByApi, selfTile, test, tile } from './helpers';
import { onMediaPeerServer } from './media-peer-server';

// One retry for this file's tests (lib/summary-reporter.ts names any test that needed it, with its
// first failure, even in a green run): three Chromium processes and a moving 640x360 camera on two
// cores. On a slow machine a browser's own estimate sinks below the full picture's rate; the
// clean-clone CI run of 2026-12-06 failed "Joon is not on the weak link" that way. With a busy loop
// beside it, that test failed 2 of 3 before the two-layer `h` was capped at 600 kbit/s, 0 of 3 after.
test.describe.configure({ retries: 1 });

const { people, url } = onMediaPeerServer(3133);

/** The encodings the page's camera is sending now: rid → frame width (only those with bytes going out). */
async function sending(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {};
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video' && (r.bytesSent ?? 0) > 0 && r.frameWidth)
          out[r.rid ?? '-'] = r.frameWidth;
      });
    }
    return out;
  });
}

/**
 * Which of Minji's layers `page` shows in her tile: 'h' or 'l' when its width is that layer's as
 * she sends it now (Chromium may shrink a camera it finds too costly, so not a fixed size), else
 * the two widths.
 */
async function layerShown(page: Page, minji: Page): Promise<string> {
  const [{ width }, out] = await Promise.all([shown(page, 'Minji'), sending(minji)]);
  if (width > 0 && width === out.h) return 'h';
  if (width > 0 && width === out.l) return 'l';
  return `shown ${width} wide, sent ${JSON.stringify(out)}`;
}

/** The width of what `page` shows in `name`'s tile now, and how many frames that video has had. */
async function shown(page: Page, name: string): Promise<{ width: number; frames: number }> {
  return tile(page, name)
    .locator('video')
    .evaluate((v: HTMLVideoElement) => ({ width: v.videoWidth, frames: v.getVideoPlaybackQuality().totalVideoFrames }));
}

/**
 * A room on the media peer with Minji (a 640x360 moving camera) and Joon and Ara (320x240 solid
 * colours), all joined; Joon and Ara muted, so Minji, the only one speaking, is the large tile on
 * both their pages (asked for at `high`). `minjiInit` runs in Minji's pages before the app.
 */
async function minjiJoonAndAra(roomName: string, minjiInit?: () => void): Promise<[Page, Page, Page]> {
  const { studentLink: link } = await roomByApi(url(), roomName);
  people.Minji = await launchParticipant('red', { moving: true });
  people.Joon = await launchParticipant('green');
  people.Ara = await launchParticipant('blue');
  if (minjiInit) await people.Minji.context.addInitScript(minjiInit);
  for (const name of ['Minji', 'Joon', 'Ara']) {
    const { page } = people[name];
    await page.goto(link);
    await clickJoin(page, name);
    await expect(selfTile(page, name)).toBeVisible({ timeout: 30_000 });
  }
  const [minji, joon, ara] = [people.Minji.page, people.Joon.page, people.Ara.page];
  for (const page of [joon, ara]) await muteMicrophone(page);
  return [minji, joon, ara];
}

test('SFU layers: a camera sends the full picture on top; a weak link gets the small layer and recovers', async () => {
  test.setTimeout(300_000);
  const [minji, joon, ara] = await minjiJoonAndAra('Layers');

  await test.step('(a) the 640x360 camera sends two layers, the full picture on top; a 320x240 one sends itself whole', async () => {
    await expect
      .poll(() => sending(minji), { message: 'Minji sends l at 320 and h at 640', timeout: 60_000 })
      .toEqual({ l: 320, h: 640 });
    await expect.poll(() => sending(joon), { message: 'Joon sends l only, 320 wide', timeout: 30_000 }).toEqual({ l: 320 });
  });

  await test.step('(b) the others show Minji at her full picture, and Joon at his', async () => {
    for (const [name, page] of [['Joon', joon], ['Ara', ara]] as const) {
      await expect.poll(() => layerShown(page, minji), { message: `${name} shows Minji's h`, timeout: 90_000 }).toBe('h');
    }
    await expect.poll(async () => (await shown(ara, 'Joon')).width, { message: 'Ara shows Joon 320 wide', timeout: 30_000 }).toBe(320);
  });

  await test.step('(c) on a 400 kbit/s link Ara still sees Minji, at the small layer; Joon keeps the full picture', async () => {
    const port = await mediaPort(ara);
    expect(port, "Ara's media port").toBeGreaterThan(0);
    limitUdpTo(port, 400);
    await expect.poll(() => layerShown(ara, minji), { message: "Ara drops to Minji's l", timeout: 60_000 }).toBe('l');
    // Still moving on the weak link, and only there.
    const before = await shown(ara, 'Minji');
    await ara.waitForTimeout(5_000);
    const after = await shown(ara, 'Minji');
    expect(after.frames - before.frames, 'frames of Minji at Ara in 5 s on the weak link').toBeGreaterThan(50);
    // Polled, not read once: on two busy cores a browser's own estimate dips now and then (its
    // decoder falls behind, delay grows) and the media peer rightly gives it `l` for a moment. A
    // layer chosen for the room rather than per subscriber would keep Joon on `l` for good.
    await expect.poll(() => layerShown(ara, minji), { message: "Ara stays on Minji's l", timeout: 30_000 }).toBe('l');
    await expect.poll(() => layerShown(joon, minji), { message: 'Joon is not on the weak link: h', timeout: 30_000 }).toBe('h');
  });

  await test.step('(d) the link is good again: Ara gets the full picture back', async () => {
    unblockPeerTraffic();
    await expect.poll(() => layerShown(ara, minji), { message: "Ara back to Minji's h", timeout: 90_000 }).toBe('h');
  });
});

/** Like `sending`, but only the encodings whose bytes grow over a second and a half (a layer the browser stopped sending keeps its last figures). */
async function sendingNow(page: Page): Promise<Record<string, number>> {
  const sample = () =>
    page.evaluate(async () => {
      const out: Record<string, [number, number]> = {};
      for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((r: any) => {
          if (r.type === 'outbound-rtp' && r.kind === 'video') out[r.rid ?? '-'] = [r.bytesSent ?? 0, r.frameWidth ?? 0];
        });
      }
      return out;
    });
  const before = await sample();
  await page.waitForTimeout(1_500);
  const after = await sample();
  const out: Record<string, number> = {};
  for (const [rid, [bytes, width]] of Object.entries(after)) if (bytes > (before[rid]?.[0] ?? 0) && width) out[rid] = width;
  return out;
}

/** Makes the page's next cameras `size` (width, height) by asking for exactly that; null: as they come. */
async function nextCameraSize(page: Page, size: [number, number] | null) {
  await page.evaluate((s) => ((window as any).__cameraSize = s), size);
}

/** A getUserMedia that asks for `window.__cameraSize` when set: another camera, of another size. */
function cameraOfAnotherSize() {
  const media = navigator.mediaDevices;
  const original = media.getUserMedia.bind(media);
  media.getUserMedia = (constraints?: MediaStreamConstraints) => {
    const size = (window as any).__cameraSize as [number, number] | undefined;
    if (size && constraints?.video) {
      const video = typeof constraints.video === 'object' ? { ...constraints.video } : {};
      constraints = { ...constraints, video: { ...video, width: { exact: size[0] }, height: { exact: size[1] } } };
    }
    return original(constraints);
  };
}

test('SFU layers: a camera swapped mid-call goes out as the layers of its own size', async () => {
  // The defect: `replaceTrack` kept the encodings planned for the first camera, so a 640x360
  // camera swapped for a 320x180 one went out as 160x90 alone (half of it, the plan's `l`).
  test.setTimeout(240_000);
  const [minji, joon] = await minjiJoonAndAra('Swapped camera', cameraOfAnotherSize);
  const swapCamera = async (size: [number, number] | null) => {
    await nextCameraSize(minji, size);
    await minji.getByRole('button', { name: 'Turn camera off' }).click();
    await minji.getByRole('button', { name: 'Turn camera on' }).click();
    await expect(minji.getByRole('button', { name: 'Turn camera off' })).toBeVisible();
  };

  await expect.poll(() => sendingNow(minji), { message: 'Minji sends l at 320 and h at 640', timeout: 60_000 }).toEqual({ l: 320, h: 640 });

  await test.step('a 320x180 camera instead: sent whole, as l', async () => {
    await swapCamera([320, 180]);
    await expect.poll(() => sendingNow(minji), { message: 'Minji sends l alone, 320 wide', timeout: 30_000 }).toEqual({ l: 320 });
    await expect.poll(async () => (await shown(joon, 'Minji')).width, { message: 'Joon shows Minji 320 wide', timeout: 30_000 }).toBe(320);
  });

  await test.step('the 640x360 camera again: the full picture on top once more', async () => {
    await swapCamera(null);
    await expect.poll(() => sendingNow(minji), { message: 'Minji sends l at 320 and h at 640 again', timeout: 60_000 }).toEqual({ l: 320, h: 640 });
    await expect.poll(async () => (await shown(joon, 'Minji')).width, { message: 'Joon shows Minji 640 wide', timeout: 60_000 }).toBe(640);
  });
});
