// The client's side of "Resuming after a lost connection" (docs/protocol.md), message by message:
// Playwright plays the server on /ws (page.routeWebSocket) while the pages come from the real one, so
// every answer — a resume that works, one that fails, the waiting room, a server restarting — is
// scripted and each of the client's replies is checked. (resume.spec.ts does the same with a real
// server and real media.)
import type { Page, WebSocketRoute } from '@playwright/test';
import { recordPeerConnections } from '../lib/chromium.mjs';
import { announcements, instrumentPage, peerConnectionCounts } from '../lib/instrument';
import { clickJoin, expect, selfTile, test, tile, UI } from './helpers';

test.use({ permissions: ['camera', 'microphone'] });

const ui = UI.en;
const RECONNECTING = 'Reconnecting…';
const token = (name: string) => name.padEnd(43, '_');

interface MockSocket {
  ws: WebSocketRoute;
  /** node's Date.now() when the page connected. */
  openedAt: number;
  received: any[];
}

/**
 * Plays the server on /ws: every socket the page opens is recorded, and answered by the test. The
 * next `state.refuse` sockets are closed as soon as they open (a server that is away).
 */
async function mockServer(page: Page) {
  const sockets: MockSocket[] = [];
  const state = { refuse: 0 };
  await page.routeWebSocket('**/ws', (ws) => {
    const sock: MockSocket = { ws, openedAt: Date.now(), received: [] };
    sockets.push(sock);
    ws.onMessage((raw) => sock.received.push(JSON.parse(String(raw))));
    if (state.refuse > 0) {
      state.refuse--;
      void ws.close({ code: 1011, reason: 'down' });
    }
  });
  const send = (i: number, msg: unknown) => sockets[i].ws.send(JSON.stringify(msg));
  /** The first message on socket `i`, once there is one. */
  const first = async (i: number) => {
    await expect.poll(() => sockets[i]?.received.length ?? 0, { message: `socket ${i} says something` }).toBeGreaterThan(0);
    return sockets[i].received[0];
  };
  return { sockets, send, first, state };
}

/** A real room (its lobby page comes from the real server). */
async function newRoom(page: Page) {
  const res = await page.request.post('/api/rooms', { data: { name: 'Scripted class' } });
  expect(res.status(), await res.text()).toBe(201);
  const body = await res.json();
  return { id: body.id as string, link: `/r/${body.id}` };
}

const peer = (id: number, name: string, role = 'student', extra: object = {}) => ({
  id,
  name,
  role,
  media: { audio: true, video: true, screen: false },
  may_speak: true,
  ...extra,
});
const line = (name: string, text: string, at: number) => ({ name, role: 'student', text, at });
const SETTINGS = { auto_admit: true, mics_locked: false, room_locked: false, chat_locked: false, students_may_share: true };

function joined(room: string, you: number, peers: object[], more: object = {}) {
  return {
    type: 'joined',
    you,
    role: 'student',
    room: { id: room, name: 'Scripted class', capacity: 6 },
    peers,
    ice_servers: [],
    topology: 'mesh',
    settings: SETTINGS,
    waiting: [],
    chat: [],
    me: peer(you, 'Minji'),
    ...more,
  };
}

/** Offers the client sent on socket `sock`, by recipient. */
const offersTo = (sock: MockSocket | undefined) =>
  (sock?.received ?? []).filter((m) => m.type === 'signal' && m.data?.sdp_type === 'offer').map((m) => m.to as number);

/** Records peer connections and announcements (page.routeWebSocket brings its own WebSocket, so the
 * socket part of instrumentPage sees nothing here: the mock records the frames instead). */
async function instrument(page: Page) {
  await page.addInitScript(recordPeerConnections);
  await page.addInitScript(instrumentPage);
}

test('a resume keeps the call: links to those still here stay, the room and its state are taken as the server says', async ({ page }) => {
  await instrument(page);
  await page.goto('/');
  const room = await newRoom(page);
  const server = await mockServer(page);
  await page.goto(room.link);
  await clickJoin(page, 'Minji');
  const join = await server.first(0);
  expect(join).toMatchObject({ type: 'join', room: room.id, name: 'Minji' });
  server.send(0, joined(room.id, 5, [peer(2, 'Ms Park', 'teacher'), peer(3, 'Joon')], {
    resume: token('first'),
    chat: [line('Joon', 'before the loss', 1), line('Joon', 'also before', 2)],
  }));
  await expect(selfTile(page, 'Minji')).toBeVisible();
  await expect(tile(page, 'Joon')).toBeVisible();
  await expect.poll(() => offersTo(server.sockets[0]).sort()).toEqual([2, 3]);

  await test.step('the socket is lost: the call stays on screen and the client resumes with its token', async () => {
    await server.sockets[0].ws.close({ code: 4000, reason: 'test' });
    await expect(page.getByText(RECONNECTING, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: ui.leave })).toBeVisible();
    await expect(tile(page, 'Ms Park')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send' }), 'chat waits for the connection').toBeDisabled();
    const resume = await server.first(1);
    expect(resume).toMatchObject({ type: 'resume', room: room.id, token: token('first'), media: { audio: true, video: true } });
    await page.waitForTimeout(500);
    expect(server.sockets[1].received, 'nothing but the resume before its answer').toHaveLength(1);
  });

  await test.step('joined {resumed}: Joon left, Ara came, chat and hand as the server holds them', async () => {
    server.send(1, joined(room.id, 5, [peer(2, 'Ms Park', 'teacher'), peer(4, 'Ara')], {
      resumed: true,
      resume: token('second'),
      chat: [line('Ara', 'while you were away', 3)],
      me: peer(5, 'Minji', 'student', { hand: { seq: 1, at: 3 } }),
    }));
    await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);
    await expect(tile(page, 'Ara')).toBeVisible();
    await expect(tile(page, 'Joon')).toHaveCount(0);
    await expect(tile(page, 'Ms Park')).toHaveCount(1);
    const chat = page.getByRole('log', { name: 'Chat messages' });
    await expect(chat.getByRole('listitem')).toHaveCount(1);
    await expect(chat).toContainText('while you were away');
    await expect(page.getByRole('button', { name: 'Lower hand' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
    // Ara waits for our offer; Ms Park's link is kept, and its offer (never answered: the answer
    // went with the old socket) is made again.
    await expect.poll(() => offersTo(server.sockets[1]).sort()).toEqual([2, 4]);
    expect(await peerConnectionCounts(page), 'one new link (Ara), Joon\'s closed, Ms Park\'s kept').toEqual({ created: 3, open: 2 });
    const said = await announcements(page);
    expect(said).toEqual(expect.arrayContaining(['Connection lost. Reconnecting…', 'Reconnected']));
  });

  await test.step('after close 1012 (server restarting) it tries about every second', async () => {
    // The server is "down" for the next three attempts: each is closed as soon as it opens.
    server.state.refuse = 3;
    await server.sockets[1].ws.close({ code: 1012, reason: 'server restarting' });
    await expect.poll(() => server.sockets.length, { timeout: 10_000 }).toBeGreaterThan(5);
    const gaps = server.sockets.slice(2, 6).map((s, i, all) => (i ? s.openedAt - all[i - 1].openedAt : 0)).slice(1);
    console.log(`reconnect gaps after 1012 (ms): ${gaps.join(', ')}`);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(450);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(2_200); // 1.5 s at most, plus a loaded machine
  });

  await test.step('resume_failed: a fresh join on the same connection, and a call with new links', async () => {
    const resume = await server.first(5);
    expect(resume).toMatchObject({ type: 'resume', token: token('second') });
    server.send(5, { type: 'error', code: 'resume_failed', message: 'resume failed' });
    await expect.poll(() => server.sockets[5].received.map((m) => m.type)).toEqual(['resume', 'join']);
    expect(server.sockets[5].received[1]).toMatchObject({ type: 'join', room: room.id, name: 'Minji', attendee: join.attendee });
    server.send(5, joined(room.id, 9, [peer(2, 'Ms Park', 'teacher')], { resume: token('third') }));
    await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);
    await expect(tile(page, 'Ms Park')).toHaveCount(1);
    await expect(tile(page, 'Ara')).toHaveCount(0);
    await expect.poll(() => offersTo(server.sockets[5])).toEqual([2]);
    expect(await peerConnectionCounts(page), 'the others saw us leave: every old link closed').toEqual({ created: 4, open: 1 });
  });

  await test.step('Leave while reconnecting ends the call at once', async () => {
    await server.sockets[5].ws.close({ code: 4000, reason: 'test' });
    await expect(page.getByText(RECONNECTING, { exact: true })).toBeVisible();
    await page.getByRole('button', { name: ui.leave }).click();
    await expect(page.getByText(ui.youLeft)).toBeVisible();
    expect(await peerConnectionCounts(page)).toMatchObject({ open: 0 });
  });
});

test('the waiting room survives a lost connection, and an admission keeps the waiting token', async ({ page }) => {
  await instrument(page);
  await page.goto('/');
  const room = await newRoom(page);
  const server = await mockServer(page);
  await page.goto(room.link);
  await clickJoin(page, 'Minji');
  await server.first(0);
  const waiting = (resume?: string) => ({ type: 'waiting', you: 7, room: { id: room.id, name: 'Scripted class', capacity: 6 }, resume });
  server.send(0, waiting(token('w1')));
  const heading = page.getByRole('heading', { name: 'Waiting for the teacher to let you in' });
  await expect(heading).toBeVisible();

  await server.sockets[0].ws.close({ code: 4000, reason: 'test' });
  await expect(page.getByText(RECONNECTING, { exact: true })).toBeVisible();
  await expect(heading, 'still waiting, not back in the lobby').toBeVisible();
  expect(await server.first(1)).toMatchObject({ type: 'resume', token: token('w1') });
  server.send(1, waiting(token('w2')));
  await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);
  await expect(heading).toBeVisible();
  expect(await announcements(page)).toContain('Reconnected');

  // Admitted: this joined carries no token, so the waiting one (w2) stays the one to resume with.
  server.send(1, joined(room.id, 7, [peer(2, 'Ms Park', 'teacher')]));
  await expect(selfTile(page, 'Minji')).toBeVisible();
  await expect.poll(() => offersTo(server.sockets[1])).toEqual([2]);
  await server.sockets[1].ws.close({ code: 4000, reason: 'test' });
  expect(await server.first(2)).toMatchObject({ type: 'resume', token: token('w2') });
  server.send(2, joined(room.id, 7, [peer(2, 'Ms Park', 'teacher')], { resumed: true, resume: token('j1') }));
  await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);
  await expect(tile(page, 'Ms Park')).toHaveCount(1);
  expect(await peerConnectionCounts(page), 'the link to Ms Park is kept').toEqual({ created: 1, open: 1 });
});

test('a first connection that fails is retried with the status shown; a refused join after a failed resume ends the call', async ({ page }) => {
  await instrument(page);
  await page.goto('/');
  const room = await newRoom(page);
  const server = await mockServer(page);
  await page.goto(room.link);
  await clickJoin(page, 'Minji');
  // The first two connections break before any answer.
  for (const i of [0, 1]) {
    expect(await server.first(i)).toMatchObject({ type: 'join' });
    await server.sockets[i].ws.close({ code: 4000, reason: 'test' });
  }
  await expect(page.getByText(RECONNECTING, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Joining…' })).toBeDisabled();
  expect(await server.first(2)).toMatchObject({ type: 'join', name: 'Minji' });
  server.send(2, joined(room.id, 5, [], { resume: token('r1') }));
  await expect(selfTile(page, 'Minji')).toBeVisible();
  await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);

  await server.sockets[2].ws.close({ code: 4000, reason: 'test' });
  expect(await server.first(3)).toMatchObject({ type: 'resume', token: token('r1') });
  server.send(3, { type: 'error', code: 'resume_failed', message: 'x' });
  await expect.poll(() => server.sockets[3].received.map((m) => m.type)).toEqual(['resume', 'join']);
  server.send(3, { type: 'error', code: 'room_locked', message: 'x' });
  await expect(page.getByRole('alert').filter({ hasText: 'A teacher locked this class.' })).toBeVisible();
  await expect(page.getByRole('button', { name: ui.joinAgain })).toBeVisible();
  await expect(page.getByText(RECONNECTING, { exact: true })).toHaveCount(0);
});
