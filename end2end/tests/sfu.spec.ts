// Whole classes through the server's media peer (topology `sfu`, docs/protocol.md "Media topology"):
// a server of its own with `--mesh-size 2`, so a third person moves a room to the SFU, and real
// Chromium processes, each sending its own colour. Every page must then hold exactly one open
// RTCPeerConnection — to the media peer (ICE-lite: its SDP says `a=ice-lite`, which no browser does),
// reached with `signal {to: 0}` — decode every other participant on it, and show each in the right
// tile. Also: someone leaving and someone joining in SFU mode, the switch when a room passes the mesh
// cap, and the teacher's Class mode switch. (A teacher's mute enforced by the server: sfu-mute.spec.ts.)
import { appendFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { announcements, frames, instrumentPage } from '../lib/instrument';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import {
  attachOnFailure,
  closeAll,
  deadline,
  expect,
  expectTileColour,
  launchParticipant,
  participantEntry,
  participantsList,
  roomByApi,
  test,
  tile,
  type Colour,
  type Participant,
} from './helpers';
import { expectOnMediaPeer, expectTiles, join, links } from './sfu-links';

/**
 * How many browsers the big room holds (CLASSROOM_SFU_ROOM; default 8, as the issue asks). Until
 * 2026-12-05 eight failed on this 2-core machine: every subscriber's bandwidth estimate sank to
 * 50–450 kbit/s, below the seven voices it was sent, and the media peer paused the cameras. The
 * cause was the worker's timer, not the machine: str0m pads a probe with copies of sent packets —
 * these solid-colour cameras make ~60-byte frames — one per timeout, and the worker waited for
 * its whole-millisecond timer between them, so probes measured ~200 kbit/s and str0m took that as
 * the link (tests/sfu_simulcast.rs, a_still_picture_does_not_shrink_the_estimate). Three runs in a
 * row passed after the fix. CLASSROOM_SFU_LOG=<file> appends the media server's log there (with
 * RUST_LOG=info,classroom::server::sfu=debug: every subscriber's estimate and selection).
 */
const ROOM_SIZE = Number(process.env.CLASSROOM_SFU_ROOM || 8);
const NAMES: [string, Colour][] = [
  ['Minji', 'red'],
  ['Joon', 'green'],
  ['Ara', 'blue'],
  ['Hyun', 'yellow'],
  ['Sora', 'cyan'],
  ['Taemin', 'magenta'],
  ['Yuna', 'white'],
  ['Dami', 'grey'],
];
const LATECOMER: [string, Colour] = ['Seojin', 'orange'];

// One retry for this file's tests (lib/summary-reporter.ts names any test that needed it, with its
// first failure, even in a green run). They run up to nine Chromium processes on two cores, which
// they fill (199 % of 200 measured in the room of 8): when the machine is slower than usual, a
// starved browser's bandwidth estimate falls to 100–300 kbit/s and the media peer rightly gives it
// fewer cameras. The clean-clone CI run of 2026-12-06 failed here (Seojin lacked one colour); with
// a busy loop beside it, the room of 8 failed at its first attempt in each of four runs (all before
// muted microphones stopped taking two of the three voice places: sfu/voices.rs). Two retries
// since 2026-12-06: on a freshly set-up machine (load average 30–41 during the room of 8) its first
// attempt failed at "Minji decodes 7 videos" (6) and passed on the retry. On 2026-12-06 the CI
// failed all three attempts (muting, then a latecomer whose connection to the media peer failed
// again and again): with eight fake microphones captured and echo-cancelled (the audio service
// alone ~40 % of the two cores), load average 48, joins took up to 70 s and the attempt 5 min.
// With seven students on camera only: audio service ~7 %, the whole test 3 min, first attempt.
test.describe.configure({ retries: 2 });

let server: ExtraServer | undefined;
const people: Record<string, Participant> = {};

test.beforeAll(async () => {
  if (extraServerUnavailable()) return;
  server = await startServer(3131, [
    '--room-capacity', '10',
    '--mesh-size', '2',
    '--udp-port', '0',
    '--media-address', '127.0.0.1',
  ]);
});

test.afterAll(async () => {
  if (process.env.CLASSROOM_SFU_LOG && server) appendFileSync(process.env.CLASSROOM_SFU_LOG, server.log());
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

/** A room on the SFU server that lets students in; its student and teacher links. */
async function sfuRoom(name: string) {
  return roomByApi(server!.url, name);
}

/** A participant whose page records its signaling frames and announcements (lib/instrument.ts). */
async function participant(name: string, colour: Colour, opts: { noMicrophone?: boolean } = {}): Promise<Page> {
  const p = await launchParticipant(colour, opts);
  await p.context.addInitScript(instrumentPage);
  people[name] = p;
  return p.page;
}

test(`a room of ${ROOM_SIZE} in SFU mode: everyone decodes everyone; one leaves, one joins`, async () => {
  test.setTimeout(900_000);
  const cast = NAMES.slice(0, ROOM_SIZE);
  const { studentLink } = await sfuRoom('Whole class');
  await test.step(`${ROOM_SIZE} students join (the third moves the room to the media peer)`, async () => {
    // As in a class: one speaks, the rest are on camera only. (Eight fake microphones beeping at
    // once kept moving the large tile, each move asking for keyframes; and seven captured,
    // echo-cancelled microphones, muted or not, cost the two cores what they lacked: muting them
    // one by one once failed for want of CPU. The muting itself is call.spec's and sfu-view's.)
    for (const [i, [name, colour]] of cast.entries())
      await join(await participant(name, colour, { noMicrophone: i > 0 }), studentLink, name);
  });

  await test.step('each page holds one connection, to the media peer, and decodes every other participant', async () => {
    for (const [name] of cast) await expectOnMediaPeer(people[name].page, name, cast.length - 1, 120_000);
  });

  await test.step('each tile shows its sender\'s colour', async () => {
    for (const [name] of cast) {
      const page = people[name].page;
      await expect(participantsList(page).getByRole('listitem')).toHaveCount(cast.length);
      await expectTiles(page, name, cast.filter(([n]) => n !== name), 120_000);
    }
  });

  const [leaver] = cast[cast.length - 1];
  const stay = cast.slice(0, -1);
  await test.step(`${leaver} leaves: their tile goes at everyone else`, async () => {
    await people[leaver].page.getByRole('button', { name: 'Leave' }).click();
    const tenSeconds = deadline(10_000);
    for (const [name] of stay) {
      await expect(tile(people[name].page, leaver), `${name} no longer shows ${leaver}`).toHaveCount(0, { timeout: tenSeconds.left() });
      await expect(participantEntry(people[name].page, leaver)).toHaveCount(0, { timeout: tenSeconds.left() });
    }
    await people[leaver].browser.close();
    delete people[leaver];
  });

  const [late, lateColour] = LATECOMER;
  await test.step(`${late} joins: everyone sees and decodes them, and they decode everyone`, async () => {
    await join(await participant(late, lateColour, { noMicrophone: true }), studentLink, late);
    for (const [name] of stay) await expectTiles(people[name].page, name, [[late, lateColour]], 60_000);
    await expectOnMediaPeer(people[late].page, late, stay.length, 90_000);
    await expectTiles(people[late].page, late, stay, 90_000);
    for (const [name] of stay) {
      const l = await links(people[name].page);
      expect({ open: l.open, mediaPeer: l.mediaPeer }, `${name} still has one link`).toEqual({ open: 1, mediaPeer: 1 });
    }
  });
});

test('a room that passes the mesh cap moves everyone to the media peer; nobody leaves', async () => {
  test.setTimeout(300_000);
  const cast: [string, Colour][] = [['Minji', 'red'], ['Joon', 'green'], ['Ara', 'blue']];
  const { studentLink } = await sfuRoom('Growing class');
  const [minji, joon] = [await participant('Minji', 'red'), await participant('Joon', 'green')];
  await join(minji, studentLink, 'Minji');
  await join(joon, studentLink, 'Joon');

  await test.step('two are a mesh: one browser-to-browser connection each, decoding the other', async () => {
    for (const [page, name, other, colour] of [[minji, 'Minji', 'Joon', 'green'], [joon, 'Joon', 'Minji', 'red']] as const) {
      await expectTileColour(page, other, colour, 45_000);
      const l = await links(page);
      expect({ open: l.open, mediaPeer: l.mediaPeer, decoding: l.decoding }, `${name} is in a mesh`).toEqual({
        open: 1,
        mediaPeer: 0,
        decoding: 1,
      });
    }
  });

  const said = { Minji: (await announcements(minji)).length, Joon: (await announcements(joon)).length };
  await test.step('a third joins: the room switches, all three decode each other through the media peer', async () => {
    await join(await participant('Ara', 'blue'), studentLink, 'Ara');
    for (const [name] of cast) await expectOnMediaPeer(people[name].page, name, 2);
    for (const [name] of cast) await expectTiles(people[name].page, name, cast.filter(([n]) => n !== name));
    for (const page of [minji, joon])
      expect((await frames(page)).some((f) => f.dir === 'in' && f.type === 'topology'), 'told of the switch').toBe(true);
  });

  await test.step('nobody left the participant list on the way', async () => {
    for (const [name] of cast) {
      const page = people[name].page;
      await expect(participantsList(page).getByRole('listitem')).toHaveCount(3);
      for (const [any] of cast) await expect(participantEntry(page, any)).toHaveCount(1);
    }
    for (const [name, page] of [['Minji', minji], ['Joon', joon]] as const) {
      const since = (await announcements(page)).slice(said[name]);
      expect(since.filter((a) => /\bleft\b/.test(a)), `${name}: nobody announced as gone`).toEqual([]);
    }
  });
});

test('the teacher turns Class mode on: a room of two moves to the media peer', async () => {
  test.setTimeout(240_000);
  const { studentLink, teacherLink } = await sfuRoom('Class mode');
  const kim = await participant('Kim', 'yellow');
  const minji = await participant('Minji', 'red');
  await join(kim, teacherLink, 'Kim');
  await join(minji, studentLink, 'Minji');
  await expectTileColour(kim, 'Minji', 'red', 45_000);
  await expectTileColour(minji, 'Kim', 'yellow', 45_000);
  for (const page of [kim, minji]) expect((await links(page)).mediaPeer, 'a mesh at first').toBe(0);

  const classMode = kim.getByRole('button', { name: 'Class mode (video through the server)' });
  await test.step('the switch says what it does and that it stays on', async () => {
    await expect(classMode).toHaveAttribute('aria-pressed', 'false');
    await expect(classMode).toHaveAccessibleDescription(/until the class ends/);
    await expect(minji.getByRole('button', { name: 'Class mode (video through the server)' }), 'teachers only').toHaveCount(0);
  });

  await test.step('on: both move to the media peer and decode each other there', async () => {
    await classMode.click();
    await expect(classMode).toHaveAttribute('aria-pressed', 'true');
    await expect(classMode, 'it cannot be turned back during the class').toBeDisabled();
    await expectOnMediaPeer(kim, 'Kim', 1);
    await expectOnMediaPeer(minji, 'Minji', 1);
    await expectTileColour(kim, 'Minji', 'red', 45_000);
    await expectTileColour(minji, 'Kim', 'yellow', 45_000);
  });
});
