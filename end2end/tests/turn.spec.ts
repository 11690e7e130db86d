// TURN through a real coturn (lib/turn.ts) with the credentials Classroom hands out per participant.
// Both browsers are forced to relay-only ICE (`iceTransportPolicy: "relay"`, the client's test-only
// localStorage switch `classroom.test.relay_only`): in this namespace they could otherwise connect
// directly over loopback, and the test would prove nothing about the relay.
// - the right secret: the call connects, each decodes the other's colour, and the selected candidate
//   pair is a relay one; the same through the media peer (SFU topology);
// - a wrong secret on Classroom: coturn refuses the credentials (401), nothing connects;
// - an expired credential (right secret, expiry in the past): coturn refuses it too.
import type { Page } from '@playwright/test';
import { extraServerUnavailable, startServer, type ExtraServer } from '../lib/server';
import { coturnUnavailable, startCoturn, turnCredentials, type Coturn } from '../lib/turn';
import {
  attachOnFailure,
  closeAll,
  decodedFramesPerPc,
  expect,
  expectTileColour,
  joinCall,
  launchParticipant,
  test,
  tile,
  type Colour,
  type Participant,
} from './helpers';

const SECRET = `e2e-turn-secret-${Math.random().toString(36).slice(2)}`;
const TURN_PORT = 3478;

let coturn: Coturn | undefined;
const servers: ExtraServer[] = [];
const people: Record<string, Participant> = {};

test.beforeAll(async () => {
  if (coturnUnavailable() || extraServerUnavailable()) return;
  coturn = await startCoturn(TURN_PORT, SECRET);
});

test.afterAll(async () => {
  await coturn?.stop();
});

test.beforeEach(() => {
  test.skip(!!coturnUnavailable(), coturnUnavailable() ?? '');
  test.skip(!!extraServerUnavailable(), extraServerUnavailable() ?? '');
});

test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  await closeAll(Object.values(people));
  for (const key of Object.keys(people)) delete people[key];
  if (testInfo.status !== testInfo.expectedStatus) {
    console.error(`----- coturn log -----\n${coturn?.log().slice(-20_000)}`);
    for (const s of servers) console.error(`----- ${s.url} log -----\n${s.log().slice(-10_000)}`);
  }
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A participant whose peer connections may use TURN relays only, and who records ICE errors. */
async function relayOnlyParticipant(colour: Colour): Promise<Participant> {
  const p = await launchParticipant(colour);
  await p.context.addInitScript(() => {
    try {
      localStorage.setItem('classroom.test.relay_only', '1');
    } catch {
      // about:blank has no storage; the app's pages do.
    }
    const w = window as any;
    w.__iceErrors = [];
    const Recorded = w.RTCPeerConnection;
    if (!Recorded || Recorded.__errorsRecorded) return;
    class ErrorRecording extends Recorded {
      static __errorsRecorded = true;
      constructor(...args: any[]) {
        super(...args);
        this.addEventListener('icecandidateerror', (e: any) => w.__iceErrors.push(`${e.errorCode} ${e.url}`));
      }
    }
    w.RTCPeerConnection = ErrorRecording;
  });
  return p;
}

/** Classroom on 127.0.0.1:`port` handing out credentials for our coturn made with `secret`. */
async function classroomWithTurn(port: number, secret: string): Promise<ExtraServer> {
  const server = await startServer(port, ['--turn-url', coturn!.url, '--turn-secret', secret]);
  servers.push(server);
  return server;
}

/** A room on `server` whose students come straight in; returns its student link. */
async function roomOn(page: Page, server: ExtraServer): Promise<string> {
  const res = await page.request.post(`${server.url}/api/rooms`, { data: { name: 'Relay 1-1', auto_admit: true } });
  expect(res.status()).toBe(201);
  return (await res.json()).student_link;
}

/** For each open peer connection: the configured policy and the types of its selected pair. */
async function selectedPairs(page: Page) {
  return page.evaluate(async () => {
    const pcs: RTCPeerConnection[] = (window as any).__pcs ?? [];
    const result: { policy: string; state: string; local?: string; remote?: string }[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = new Map<string, any>();
      (await pc.getStats()).forEach((r: any) => stats.set(r.id, r));
      const transport = [...stats.values()].find((r) => r.type === 'transport' && r.selectedCandidatePairId);
      const pair = transport && stats.get(transport.selectedCandidatePairId);
      result.push({
        policy: pc.getConfiguration().iceTransportPolicy ?? 'all',
        state: pc.connectionState,
        local: pair && stats.get(pair.localCandidateId)?.candidateType,
        remote: pair && stats.get(pair.remoteCandidateId)?.candidateType,
      });
    }
    return result;
  });
}

test('relay-only browsers call each other through coturn with the credentials Classroom gave them', async () => {
  test.setTimeout(120_000);
  const server = await classroomWithTurn(3002, SECRET);
  people.Minji = await relayOnlyParticipant('red');
  people.Joon = await relayOnlyParticipant('green');
  const link = await roomOn(people.Minji.page, server);
  expect(link.startsWith(`${server.url}/r/`)).toBe(true);

  await joinCall(people.Minji.page, link, 'Minji');
  await joinCall(people.Joon.page, link, 'Joon');

  await expectTileColour(people.Minji.page, 'Joon', 'green', 40_000);
  await expectTileColour(people.Joon.page, 'Minji', 'red', 40_000);
  for (const p of [people.Minji, people.Joon]) {
    expect((await decodedFramesPerPc(p.page)).every((n) => n > 0)).toBe(true);
    const pairs = await selectedPairs(p.page);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].policy).toBe('relay');
    expect(pairs[0].state).toBe('connected');
    expect([pairs[0].local, pairs[0].remote], 'the selected pair goes through the relay').toContain('relay');
  }
});

test('relay-only browsers reach the media peer (SFU) through coturn, as they reach each other in a mesh', async () => {
  test.setTimeout(120_000);
  // A mesh of one: the second person moves the room to the media peer, which is ICE-lite on its
  // own UDP port; the browsers may only reach it through their TURN relays.
  const server = await startServer(3004, ['--turn-url', coturn!.url, '--turn-secret', SECRET, '--mesh-size', '1']);
  servers.push(server);
  people.Minji = await relayOnlyParticipant('red');
  people.Joon = await relayOnlyParticipant('green');
  const link = await roomOn(people.Minji.page, server);

  await joinCall(people.Minji.page, link, 'Minji');
  await joinCall(people.Joon.page, link, 'Joon');

  await expectTileColour(people.Minji.page, 'Joon', 'green', 40_000);
  await expectTileColour(people.Joon.page, 'Minji', 'red', 40_000);
  for (const p of [people.Minji, people.Joon]) {
    expect((await decodedFramesPerPc(p.page)).some((n) => n > 0)).toBe(true);
    const pairs = (await selectedPairs(p.page)).filter((x) => x.state === 'connected');
    expect(pairs, 'one connection: to the media peer').toHaveLength(1);
    expect(pairs[0].policy).toBe('relay');
    expect(pairs[0].local, 'our side of the selected pair is the relay').toBe('relay');
    expect(pairs[0].remote, "the media peer's side is its host candidate").toBe('host');
  }
});

test('with a wrong TURN secret on Classroom, coturn refuses and the relay-only call does not connect', async () => {
  test.setTimeout(120_000);
  const server = await classroomWithTurn(3003, 'not-the-coturn-secret');
  people.Minji = await relayOnlyParticipant('red');
  people.Joon = await relayOnlyParticipant('green');
  const link = await roomOn(people.Minji.page, server);

  await joinCall(people.Minji.page, link, 'Minji');
  await joinCall(people.Joon.page, link, 'Joon');
  // Signaling works (each sees the other's tile); media cannot flow without a relay.
  await expect(tile(people.Minji.page, 'Joon')).toBeVisible({ timeout: 20_000 });
  await expect(tile(people.Joon.page, 'Minji')).toBeVisible({ timeout: 20_000 });

  for (const p of [people.Minji, people.Joon]) {
    // coturn answered the credentials with 401: the browser reports it as an ICE candidate error.
    await expect
      .poll(() => p.page.evaluate(() => (window as any).__iceErrors as string[]), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/^401 turn:127\.0\.0\.1:3478/));
  }
  // Bounded wait: nothing is decoded and no peer connection gets connected.
  await people.Minji.page.waitForTimeout(8_000);
  for (const p of [people.Minji, people.Joon]) {
    expect(await decodedFramesPerPc(p.page)).toEqual([0]);
    const pairs = await selectedPairs(p.page);
    expect(pairs.map((x) => x.state)).not.toContain('connected');
    expect(pairs.every((x) => x.local === undefined)).toBe(true);
  }
});

test('coturn takes fresh credentials made with the secret and refuses expired ones', async () => {
  people.Ara = await launchParticipant('blue');
  const page = people.Ara.page;
  await page.goto('/');
  const now = Math.floor(Date.now() / 1000);
  const gather = (creds: { username: string; credential: string }) =>
    page.evaluate(
      async ({ url, creds }) => {
        const pc = new RTCPeerConnection({ iceServers: [{ urls: url, ...creds }], iceTransportPolicy: 'relay' });
        const types: string[] = [];
        const errors: number[] = [];
        pc.addEventListener('icecandidate', (e) => e.candidate && types.push(e.candidate.type ?? '?'));
        pc.addEventListener('icecandidateerror', (e: any) => errors.push(e.errorCode));
        pc.createDataChannel('probe');
        await pc.setLocalDescription(await pc.createOffer());
        const end = Date.now() + 8_000;
        while (pc.iceGatheringState !== 'complete' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
        pc.close();
        return { types, errors };
      },
      { url: coturn!.url, creds },
    );

  const fresh = await gather(turnCredentials(SECRET, now + 600, '1'));
  expect(fresh.types).toContain('relay');
  const expired = await gather(turnCredentials(SECRET, now - 60, '1'));
  expect(expired.types).toEqual([]);
  expect(expired.errors).toContain(401);
});
