// A class on the media peer as the browser side sees it (docs/protocol.md "Simulcast" and `view`):
// the camera goes out as simulcast layers with rids, the others still decode it, every page tells the
// server which cameras it shows (`view`), a speaking mark follows whoever's microphone is on (Chromium's
// fake microphone beeps) and never a muted one, and a phone-sized page shows its tiles a page at a
// time; a page left for 20 s is parked by the media peer and plays again when shown. Nothing here
// depends on the server choosing layers: until it does, it forwards what comes.
import type { Page, WebSocket } from '@playwright/test';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import {
  attachOnFailure,
  BASE_URL,
  clickJoin,
  closeAll,
  expect,
  launchParticipant,
  muteMicrophone,
  roomByApi,
  selfTile,
  test,
  tile,
  type Colour,
  type Participant,
} from './helpers';
import { decoding, idsByName, lastView, simulcastOut, speakingMark, visibleTiles, type Wire } from './sfu-view-probes';

let server: ExtraServer | undefined;
const people: Record<string, Participant> = {};

test.beforeAll(async () => {
  if (extraServerUnavailable()) return;
  // A third person moves a room to the media peer.
  server = await startServer(3132, ['--room-capacity', '10', '--mesh-size', '2', '--udp-port', '0', '--media-address', '127.0.0.1']);
});

test.afterAll(async () => {
  await server?.stop();
});

test.beforeEach(() => {
  test.skip(!!extraServerUnavailable(), extraServerUnavailable() ?? '');
});

test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  if (testInfo.status !== testInfo.expectedStatus && server)
    console.error(`----- ${server.url} log -----\n${server.log().slice(-10_000)}`);
  await closeAll(Object.values(people));
  for (const key of Object.keys(people)) delete people[key];
});

/** A participant whose signaling messages are recorded as Playwright sees them on the wire. */
async function participant(name: string, colour: Colour, opts: { moving?: boolean } = {}): Promise<{ page: Page; wire: Wire }> {
  const p = await launchParticipant(colour, opts);
  people[name] = p;
  const wire: Wire = { sent: [], received: [] };
  const parse = (payload: string | Buffer) => {
    try {
      return JSON.parse(String(payload));
    } catch {
      return null;
    }
  };
  p.page.on('websocket', (ws: WebSocket) => {
    ws.on('framesent', (f) => wire.sent.push(parse(f.payload)));
    ws.on('framereceived', (f) => wire.received.push(parse(f.payload)));
  });
  return { page: p.page, wire };
}

async function join(page: Page, link: string, name: string) {
  await page.goto(link);
  await clickJoin(page, name);
  await expect(selfTile(page, name)).toBeVisible({ timeout: 30_000 });
}

test('SFU: simulcast out, decoded by the others; view of the shown cameras; speaking marks; pages on a phone', async () => {
  test.setTimeout(420_000);
  const { studentLink } = await roomByApi(server!.url, 'Simulcast class');

  const cast: [string, Colour][] = [['Minji', 'red'], ['Joon', 'green'], ['Ara', 'blue']];
  const pages: Record<string, { page: Page; wire: Wire }> = {};
  for (const [name, colour] of cast) {
    // Minji's camera is big enough for simulcast (640x360); a 320x240 one goes as one encoding.
    pages[name] = await participant(name, colour, { moving: name === 'Minji' });
    await join(pages[name].page, studentLink, name);
  }
  const { page: minji } = pages.Minji;
  const { page: joon } = pages.Joon;
  const { page: ara, wire: araWire } = pages.Ara;

  await test.step('Joon mutes his microphone', async () => {
    await muteMicrophone(joon);
  });

  await test.step('(a) Minji sends her camera as simulcast layers with rids; the others decode it', async () => {
    await expect
      .poll(async () => new Set((await simulcastOut(minji)).map((e) => e.rid)).size, {
        message: 'Minji sends at least two encodings with distinct rids',
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(2);
    // What Chromium makes of a 640×360 fake camera, for the report and the media peer's author.
    await minji.waitForTimeout(3_000);
    console.log(`Minji's simulcast encodings: ${JSON.stringify(await simulcastOut(minji))}`);
    for (const [name, page] of [['Joon', joon], ['Ara', ara]] as const) {
      await expect
        .poll(async () => (await decoding(page)).filter((f) => f > 0).length, { message: `${name} decodes both others`, timeout: 60_000 })
        .toBeGreaterThanOrEqual(2);
      await expect
        .poll(() => tile(page, 'Minji').locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), {
          message: `${name} shows Minji's camera`,
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
    }
  });

  await test.step('(b) Ara tells the server the cameras she shows: Minji and Joon', async () => {
    const ids = idsByName(araWire);
    expect(Object.keys(ids).sort()).toEqual(['Joon', 'Minji']);
    await expect
      .poll(() => Object.keys(lastView(araWire) ?? {}).map(Number).sort(), { message: 'Ara sent a view of both', timeout: 15_000 })
      .toEqual([ids.Joon, ids.Minji].sort((a, b) => a - b));
    // Three tiles on her screen: not thumbnails.
    for (const q of Object.values(lastView(araWire)!)) expect(['medium', 'high']).toContain(q);
  });

  await test.step('(c) a speaking mark on Minji (microphone on), never on Joon (muted)', async () => {
    await expect(speakingMark(ara, 'Minji'), 'Minji speaks (the fake microphone beeps)').toBeVisible({ timeout: 20_000 });
    await expect(speakingMark(joon, 'Minji')).toBeVisible({ timeout: 20_000 });
    // The mark holds between beeps, and Joon's never comes, over five seconds of sampling.
    for (let i = 0; i < 10; i++) {
      await expect(speakingMark(ara, 'Joon'), 'muted Joon does not speak').toHaveCount(0);
      await expect(speakingMark(minji, 'Joon')).toHaveCount(0);
      await ara.waitForTimeout(500);
    }
    await expect(speakingMark(ara, 'Minji'), 'the mark does not flicker off between beeps').toBeVisible();
    // Minji has been speaking long enough to be the active speaker: Ara's view wants her sharpest.
    const ids = idsByName(araWire);
    await expect.poll(() => lastView(araWire)?.[ids.Minji], { message: 'Minji is large at Ara: high', timeout: 15_000 }).toBe('high');
    expect(lastView(araWire)?.[ids.Joon]).toBe('medium');
  });

  await test.step('(d) on a phone, two more people make two pages; Next shows the other page and changes the view', async () => {
    await ara.setViewportSize({ width: 390, height: 800 });
    for (const [name, colour] of [['Hyun', 'yellow'], ['Sora', 'cyan']] as [string, Colour][]) {
      pages[name] = await participant(name, colour);
      await join(pages[name].page, studentLink, name);
    }
    const pager = ara.getByRole('navigation', { name: 'Pages of video tiles' });
    await expect(pager.getByRole('status')).toHaveText('Page 1 of 2', { timeout: 30_000 });
    const next = pager.getByRole('button', { name: 'Next page' });
    const previous = pager.getByRole('button', { name: 'Previous page' });
    await expect(previous).toBeDisabled();
    const ids = idsByName(araWire);
    const viewOf = (names: string[]) => names.map((n) => ids[n]).sort((a, b) => a - b);
    const first = await visibleTiles(ara, 'Ara');
    expect(first.length, 'a phone page: Ara and three others at most').toBeLessThanOrEqual(3);
    await expect.poll(() => Object.keys(lastView(araWire) ?? {}).map(Number).sort((a, b) => a - b)).toEqual(viewOf(first));

    await next.click();
    await expect(pager.getByRole('status')).toHaveText('Page 2 of 2');
    await expect(next).toBeDisabled();
    const second = await visibleTiles(ara, 'Ara');
    expect(second, 'another page').not.toEqual(first);
    // Everyone is on one page or the other; the large tile (Minji, speaking) is on both.
    expect([...new Set([...first, ...second])].sort()).toEqual(['Hyun', 'Joon', 'Minji', 'Sora']);
    await expect
      .poll(() => Object.keys(lastView(araWire) ?? {}).map(Number).sort((a, b) => a - b), { message: 'the view follows the page' })
      .toEqual(viewOf(second));

    await previous.click();
    await expect(pager.getByRole('status')).toHaveText('Page 1 of 2');
    expect(await visibleTiles(ara, 'Ara')).toEqual(first);

    // (e) A page left for 20 s has its cameras parked by the media peer (offered `inactive`, no
    // longer sent); back on it, the same m-lines are offered `sendonly` again and the tiles play.
    await next.click();
    await expect(pager.getByRole('status')).toHaveText('Page 2 of 2');
    const inactive = () =>
      ara.evaluate(() =>
        ((window as any).__pcs as RTCPeerConnection[])
          .filter((pc) => pc.connectionState !== 'closed')
          .flatMap((pc) => pc.getTransceivers())
          .filter((t) => t.currentDirection === 'inactive').length,
      );
    await expect.poll(inactive, { message: 'the first page parked', timeout: 40_000 }).toBeGreaterThan(0);
    await previous.click();
    await expect(pager.getByRole('status')).toHaveText('Page 1 of 2');
    const played = (name: string) =>
      tile(ara, name).locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    for (const name of first) {
      const before = await played(name);
      await expect
        .poll(() => played(name), { message: `${name}'s camera plays again`, timeout: 20_000 })
        .toBeGreaterThan(before + 10);
    }
  });
});

test('mesh: the speaking mark follows an open microphone too, and no view is sent', async () => {
  test.setTimeout(180_000);
  // The shared server: a room of two stays a mesh.
  const { studentLink } = await roomByApi(BASE_URL, 'Mesh pair');
  const { page: minji, wire: minjiWire } = await participant('Minji', 'red');
  const { page: joon } = await participant('Joon', 'green');
  await join(minji, studentLink, 'Minji');
  await join(joon, studentLink, 'Joon');
  await muteMicrophone(joon);

  await expect(speakingMark(joon, 'Minji'), 'Minji speaks').toBeVisible({ timeout: 30_000 });
  await expect(minji.getByRole('figure', { name: 'Minji (you)' }).getByRole('img', { name: 'Speaking' }), 'and sees herself speak').toBeVisible();
  for (let i = 0; i < 6; i++) {
    await expect(speakingMark(minji, 'Joon'), 'muted Joon does not').toHaveCount(0);
    await minji.waitForTimeout(500);
  }
  expect(minjiWire.received.find((m) => m?.type === 'joined')?.topology).toBe('mesh');
  expect(minjiWire.sent.filter((m) => m?.type === 'view'), 'a view only goes to a media peer').toEqual([]);
  // Two people, one page: no pager.
  await expect(minji.getByRole('navigation', { name: 'Pages of video tiles' })).toHaveCount(0);
});
