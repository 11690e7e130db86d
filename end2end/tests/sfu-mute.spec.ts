// A teacher's mute enforced by the server's media peer (topology `sfu`), split from sfu.spec.ts: the
// student's browser is made to keep sending; the others must stop receiving. The same kind of server
// of its own as sfu.spec.ts (`--mesh-size 2`, so three people put the room on the media peer).
import { appendFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { instrumentPage } from '../lib/instrument';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import {
  attachOnFailure,
  closeAll,
  expect,
  launchParticipant,
  participantsList,
  roomByApi,
  test,
  tile,
  type Colour,
  type Participant,
} from './helpers';
import { expectOnMediaPeer, join } from './sfu-links';

// Two retries, as for the other tests of sfu.spec.ts, which this one was part of (its comment says why).
test.describe.configure({ retries: 2 });

let server: ExtraServer | undefined;
const people: Record<string, Participant> = {};

test.beforeAll(async () => {
  if (extraServerUnavailable()) return;
  server = await startServer(3136, [
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
