// What the browser captures stops when the user says so: "Turn camera off" turns the camera light
// off, "Stop sharing" ends the screen capture, "Leave" releases camera and microphone. An init script
// records every capture track — from getUserMedia, getDisplayMedia and any clone of them (a clone
// captures as long as the original) — and the test counts the ones still live. A clone that nobody
// stops keeps the device busy: web-sys's `MediaStream::clone()` is the browser's clone(), and Rust's
// method lookup picks it over `Clone::clone` (clippy.toml now forbids it).
import type { Page } from '@playwright/test';
import {
  attachOnFailure,
  BASE_URL,
  clickJoin,
  closeAll,
  expect,
  launchParticipant,
  roomByApi,
  selfTile,
  test,
  tile,
  type Participant,
} from './helpers';

const people: Record<string, Participant> = {};

test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  await closeAll(Object.values(people));
});

/** Records every capture track and its clones in `window.__captures` as [origin, track]. */
function recordCaptures() {
  const captures: [string, MediaStreamTrack][] = [];
  (window as any).__captures = captures;
  const origin = new WeakMap<MediaStreamTrack, string>();
  const note = (track: MediaStreamTrack, from: string) => {
    origin.set(track, from);
    captures.push([from, track]);
  };
  const devices = navigator.mediaDevices;
  const wrap = (name: 'getUserMedia' | 'getDisplayMedia', from: string) => {
    const real = devices[name].bind(devices);
    (devices as any)[name] = async (constraints: any) => {
      const stream: MediaStream = await real(constraints);
      for (const t of stream.getTracks()) note(t, `${from}-${t.kind}`);
      return stream;
    };
  };
  wrap('getUserMedia', 'user');
  wrap('getDisplayMedia', 'screen');
  const trackClone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function () {
    const copy = trackClone.call(this);
    if (origin.has(this)) note(copy, origin.get(this)!);
    return copy;
  };
  const streamClone = MediaStream.prototype.clone;
  MediaStream.prototype.clone = function () {
    const copy = streamClone.call(this);
    // The browser clones the tracks itself, not through MediaStreamTrack.prototype.clone.
    const mine = this.getTracks();
    copy.getTracks().forEach((t, i) => {
      if (mine[i] && origin.has(mine[i])) note(t, origin.get(mine[i])!);
    });
    return copy;
  };
}

/** How many recorded capture tracks of `origin` (e.g. `user-video`) are still live. */
async function liveCaptures(page: Page, origin: string): Promise<number> {
  return page.evaluate(
    (o) => ((window as any).__captures as [string, MediaStreamTrack][]).filter(([from, t]) => from === o && t.readyState === 'live').length,
    origin,
  );
}

test('camera off, stop sharing and leave end every capture, clones included', async () => {
  test.setTimeout(120_000);
  const { teacherLink: link } = await roomByApi(BASE_URL, 'Capture');
  for (const [name, colour] of [['Kim', 'red'], ['Minji', 'green']] as const) {
    const p = await launchParticipant(colour);
    people[name] = p;
    await p.context.addInitScript(recordCaptures);
    await p.page.goto(link);
    await clickJoin(p.page, name);
    await expect(selfTile(p.page, name)).toBeVisible({ timeout: 30_000 });
  }
  const kim = people.Kim.page;
  const minji = people.Minji.page;
  await expect(tile(minji, 'Kim')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => liveCaptures(kim, 'user-video'), 'the camera is on in the call').toBeGreaterThan(0);

  await test.step('Turn camera off: no camera capture stays live', async () => {
    await kim.getByRole('button', { name: 'Turn camera off' }).click();
    await expect(kim.getByRole('button', { name: 'Turn camera on' })).toBeVisible();
    await expect.poll(() => liveCaptures(kim, 'user-video'), { timeout: 5_000 }).toBe(0);
    await kim.getByRole('button', { name: 'Turn camera on' }).click();
    await expect.poll(() => liveCaptures(kim, 'user-video'), 'on again').toBeGreaterThan(0);
  });

  await test.step('Stop sharing: no screen capture stays live', async () => {
    await kim.getByRole('button', { name: 'Share screen', exact: true }).click();
    await expect(kim.getByRole('button', { name: 'Stop sharing' })).toBeVisible({ timeout: 15_000 });
    await expect(tile(minji, "Kim's screen")).toBeVisible({ timeout: 20_000 });
    await kim.getByRole('button', { name: 'Stop sharing' }).click();
    await expect(tile(minji, "Kim's screen")).toHaveCount(0, { timeout: 15_000 });
    await expect.poll(() => liveCaptures(kim, 'screen-video'), { timeout: 5_000 }).toBe(0);
  });

  await test.step('Leave: neither camera nor microphone stays live', async () => {
    await kim.getByRole('button', { name: 'Leave' }).click();
    await expect(tile(minji, 'Kim')).toHaveCount(0, { timeout: 15_000 });
    for (const origin of ['user-video', 'user-audio']) {
      await expect.poll(() => liveCaptures(kim, origin), { message: origin, timeout: 5_000 }).toBe(0);
    }
  });
});
