// Whole classes through the server's media peer (topology `sfu`, docs/protocol.md "Media topology"):
// a server of its own with `--mesh-size 2`, so a third person moves a room to the SFU, and real
// Chromium processes, each sending its own colour. Every page must then hold exactly one open
// RTCPeerConnection — to the media peer (ICE-lite: its SDP says `a=ice-lite`, which no browser does),
// reached with `signal {to: 0}` — decode every other participant on it, and show each in the right
// tile. Also: someone leaving and someone joining in SFU mode, the switch when a room passes the mesh
// cap, the teacher's Class mode switch, and a teacher's mute enforced by the server (the student's
// browser is made to keep sending; the others must stop receiving).
import { appendFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { announcements, frames, instrumentPage } from '../lib/instrument';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import {
  attachOnFailure,
  clickJoin,
  closeAll,
  colourName,
  deadline,
  expect,
  expectTileColour,
  launchParticipant,
  participantEntry,
  participantsList,
  roomByApi,
  selfTile,
  test,
  tile,
  type Colour,
  type Participant,
} from './helpers';

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

async function join(page: Page, link: string, name: string) {
  await page.goto(link);
  await clickJoin(page, name);
  await expect(selfTile(page, name)).toBeVisible({ timeout: 30_000 });
}

interface Links {
  /** Open RTCPeerConnections. */
  open: number;
  /** … of which to the media peer (its SDP is ICE-lite). */
  mediaPeer: number;
  /** Inbound video streams with frames decoded, over the open connections. */
  decoding: number;
  /** framesDecoded of each of those, for the report. */
  frames: number[];
}

/** The page's open peer connections and what they decode. */
async function links(page: Page): Promise<Links> {
  return page.evaluate(async () => {
    const open = ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed');
    const frames: number[] = [];
    for (const pc of open) {
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && (r.framesDecoded ?? 0) > 0) frames.push(r.framesDecoded);
      });
    }
    return {
      open: open.length,
      mediaPeer: open.filter((pc) => /^a=ice-lite/m.test(pc.remoteDescription?.sdp ?? '')).length,
      decoding: frames.length,
      frames,
    };
  });
}

/**
 * `name`'s page is on the media peer — one open connection, ICE-lite, offered to with `signal {to: 0}`
 * — and decodes a video from each of `senders` others on it.
 */
async function expectOnMediaPeer(page: Page, name: string, senders: number, timeout = 60_000) {
  await expect
    .poll(async () => {
      const l = await links(page);
      return { open: l.open, mediaPeer: l.mediaPeer };
    }, { message: `${name}: one open connection, to the media peer`, timeout })
    .toEqual({ open: 1, mediaPeer: 1 });
  const offered = (await frames(page)).filter((f) => f.dir === 'out' && f.type === 'signal' && f.to === 0);
  expect(offered.length, `${name} signalled the media peer (to: 0)`).toBeGreaterThan(0);
  await expect
    .poll(async () => (await links(page)).decoding, { message: `${name} decodes ${senders} videos from the media peer`, timeout })
    .toBeGreaterThanOrEqual(senders);
  console.log(`${name}: frames decoded per inbound video ${(await links(page)).frames.join(', ')}`);
}

/**
 * The colour every tile of `page` shows, by the tile's accessible name: one round trip for all of
 * them (a room of eight has 56 tiles to check, on a machine busy decoding them).
 */
async function tileColours(page: Page): Promise<Record<string, string>> {
  const seen = await page.getByRole('figure').evaluateAll((figures) =>
    figures.map((figure) => {
      const video = figure.querySelector('video');
      const w = video?.videoWidth ?? 0;
      const h = video?.videoHeight ?? 0;
      if (!video || !w || !h) return { name: figure.getAttribute('aria-label') ?? '', rgb: null, width: w };
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(video, 0, 0, w, h);
      const data = ctx.getImageData(Math.floor(w / 4), Math.floor(h / 4), Math.floor(w / 2), Math.floor(h / 2)).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      const n = data.length / 4;
      return { name: figure.getAttribute('aria-label') ?? '', rgb: sum.map((v) => Math.round(v / n)) as [number, number, number], width: w };
    }),
  );
  return Object.fromEntries(seen.map((t) => [t.name, t.width > 0 ? colourName(t.rgb) : 'videoWidth 0']));
}

/** Each of `others` shows in its own tile at `page` (videoWidth > 0), in its own colour. */
async function expectTiles(page: Page, name: string, others: [string, Colour][], timeout = 60_000) {
  const want = Object.fromEntries(others.map(([other, colour]) => [other, colour]));
  await expect
    .poll(
      async () => {
        const seen = await tileColours(page);
        return Object.fromEntries(others.map(([other]) => [other, seen[other] ?? 'no tile']));
      },
      { message: `${name}: every tile shows its sender's colour`, timeout },
    )
    .toEqual(want);
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

/**
 * Counters of the inbound audio `page` receives for `name`'s tile (its stream's audio track), or null
 * when there is none (the media peer stopped forwarding it altogether).
 */
async function inboundAudioOf(page: Page, name: string): Promise<number | null> {
  const trackId = await tile(page, name)
    .locator('video')
    .evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.getAudioTracks()[0]?.id ?? null);
  if (!trackId) return null;
  return page.evaluate(async (trackId) => {
    let packets: number | null = null;
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.trackIdentifier === trackId) packets = r.packetsReceived ?? 0;
      });
    }
    return packets;
  }, trackId);
}

/** Whether `page` receives more of `name`'s audio over `ms`. */
async function audioGrowing(page: Page, name: string, ms = 2_000): Promise<boolean> {
  const before = await inboundAudioOf(page, name);
  await page.waitForTimeout(ms);
  const after = await inboundAudioOf(page, name);
  return before !== null && after !== null && after > before;
}

/** Packets sent by the page's outbound audio, over its open connections. */
async function outboundAudioPackets(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let packets = 0;
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'outbound-rtp' && r.kind === 'audio') packets += r.packetsSent ?? 0;
      });
    }
    return packets;
  });
}

test('a teacher mutes a student in SFU mode: the media peer stops forwarding their audio', async () => {
  test.setTimeout(300_000);
  const { studentLink, teacherLink } = await sfuRoom('Muted in SFU');
  const kim = await participant('Kim', 'yellow');
  const minji = await participant('Minji', 'red');
  const joon = await participant('Joon', 'green');
  await join(kim, teacherLink, 'Kim');
  await join(minji, studentLink, 'Minji');
  await join(joon, studentLink, 'Joon');
  for (const [page, name] of [[kim, 'Kim'], [minji, 'Minji'], [joon, 'Joon']] as const) await expectOnMediaPeer(page, name, 2);

  await test.step('before: Kim and Joon receive Minji\'s audio', async () => {
    for (const [page, name] of [[kim, 'Kim'], [joon, 'Joon']] as const)
      await expect.poll(() => audioGrowing(page, 'Minji'), { message: `${name} receives Minji's audio`, timeout: 30_000 }).toBe(true);
  });

  await test.step('Kim mutes Minji; Minji\'s browser is made to keep sending (a modified client)', async () => {
    // (The teacher's row reads "MinjiMuteRemove": no word boundary for participantEntry's pattern.)
    await participantsList(kim).getByRole('listitem').filter({ hasText: 'Minji' })
      .getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(minji.getByRole('button', { name: 'Unmute microphone' })).toBeVisible({ timeout: 10_000 });
    // What a client ignoring the mute would do: put a live microphone back on the audio sender.
    await minji.evaluate(async () => {
      const mic = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0];
      for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
        if (pc.connectionState === 'closed') continue;
        for (const t of pc.getTransceivers())
          if (t.receiver.track.kind === 'audio' && t.currentDirection?.includes('send')) await t.sender.replaceTrack(mic);
      }
    });
    const sent = await outboundAudioPackets(minji);
    await expect.poll(() => outboundAudioPackets(minji), { message: 'Minji still sends audio' }).toBeGreaterThan(sent + 20);
  });

  await test.step('after: the others\' inbound audio for Minji stops growing', async () => {
    for (const [page, name] of [[kim, 'Kim'], [joon, 'Joon']] as const) {
      await expect.poll(() => audioGrowing(page, 'Minji'), { message: `${name} no longer receives Minji's audio`, timeout: 20_000 }).toBe(false);
      // And it stays stopped while Minji keeps sending.
      expect(await audioGrowing(page, 'Minji', 3_000), `${name}: still nothing from Minji`).toBe(false);
    }
    // Joon's own audio still reaches Kim: the media peer dropped only the muted student.
    await expect.poll(() => audioGrowing(kim, 'Joon'), { message: 'Kim still receives Joon', timeout: 20_000 }).toBe(true);
  });
});
