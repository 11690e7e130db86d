// The browser client built today against a *newer* server: Playwright plays the server on /ws
// (page.routeWebSocket) while the pages themselves come from the real one. A newer server may add
// message types, fields, roles, topologies, error codes and signal kinds (docs/protocol.md): the
// client must join, ignore what it does not know, and keep working; any refusal while "Joining…"
// must end the join with a message, and a server that never answers must not leave it hanging.
import type { APIRequestContext, Page, WebSocketRoute } from '@playwright/test';
import { clickJoin, expect, participantEntry, participantsList, selfTile, test, tile, UI } from './helpers';

test.use({ permissions: ['camera', 'microphone'] });

const ui = UI.en;

/** What the page reported: uncaught errors, and messages the client could not parse at all. */
function watchPage(page: Page) {
  const seen = { pageErrors: [] as string[], unparsed: [] as string[], warnings: [] as string[] };
  page.on('pageerror', (e) => seen.pageErrors.push(e.message));
  page.on('console', (m) => {
    // socket.rs logs "ignored message: …" at debug level for a frame that is not a ServerMsg at all.
    if (m.text().includes('ignored message')) seen.unparsed.push(m.text());
    if (m.type() === 'warning') seen.warnings.push(m.text());
  });
  return seen;
}

/**
 * Plays the server on /ws: records every client message and hands `join` to `onJoin`. The socket
 * never reaches the real server (no connectToServer).
 */
async function mockServer(page: Page, onJoin: (ws: WebSocketRoute, join: any) => void) {
  const received: any[] = [];
  let socket: WebSocketRoute | undefined;
  await page.routeWebSocket('**/ws', (ws) => {
    socket = ws;
    ws.onMessage((raw) => {
      const msg = JSON.parse(String(raw));
      received.push(msg);
      if (msg.type === 'join') onJoin(ws, msg);
    });
  });
  const send = (msg: unknown) => {
    if (!socket) throw new Error('the client has not connected to /ws');
    socket.send(JSON.stringify(msg));
  };
  return { received, send };
}

/** A real room (the lobby page is served by the real server); returns its id and student link. */
async function newRoom(request: APIRequestContext, name: string) {
  const res = await request.post('/api/rooms', { data: { name } });
  expect(res.status(), await res.text()).toBe(201);
  const body = await res.json();
  return { id: body.id as string, studentLink: body.student_link as string };
}

test('a newer server: unknown role, topology, fields, message types, signal kinds and error codes', async ({ page, request }) => {
  const seen = watchPage(page);
  const { id, studentLink } = await newRoom(request, 'Compat class');
  const server = await mockServer(page, (ws, join) => {
    ws.send(
      JSON.stringify({
        type: 'joined',
        you: 7,
        role: 'observer', // a role this build does not know
        room: { id: join.room, name: 'Compat class', capacity: 6, theme: 'dark' },
        peers: [
          { id: 2, name: 'Ms Park', role: 'co_teacher', media: { audio: true, video: true }, pinned: true },
        ],
        ice_servers: [],
        topology: 'relay_tree', // a topology this build does not know
        resume_token: 'abc',
        server_version: '9.0.0',
      }),
    );
  });

  await page.goto(studentLink);
  await clickJoin(page, 'Minji');

  await test.step('the joined reply is accepted: the call is shown with the peer it named', async () => {
    await expect(selfTile(page, 'Minji')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: ui.leave })).toBeVisible();
    await expect(tile(page, 'Ms Park')).toBeVisible();
    await expect(participantsList(page).getByRole('listitem')).toHaveCount(2);
    // An unknown role is shown like a student: no teacher badge.
    await expect(participantEntry(page, 'Park')).not.toContainText('Teacher');
    const join = server.received.find((m) => m.type === 'join');
    expect(join).toMatchObject({ type: 'join', room: id, name: 'Minji' });
  });

  await test.step('the client offers to the peer it was told about (even with an unknown topology)', async () => {
    await expect
      .poll(() => server.received.filter((m) => m.type === 'signal' && m.to === 2).map((m) => m.data?.kind), {
        message: 'a signal to peer 2',
        timeout: 15_000,
      })
      .toContain('description');
  });

  await test.step('unknown message types, signal kinds and error codes are skipped', async () => {
    server.send({ type: 'hand_raised', peer: 2, raised: true });
    server.send({ type: 'reaction', peer: 2, emoji: '👍', extra: { nested: [1, 2, 3] } });
    server.send({ type: 'signal', from: 2, data: { kind: 'layers', spatial: 2, temporal: 1 } });
    server.send({ type: 'signal', from: 99, data: { kind: 'simulcast' } }); // and from nobody known
    server.send({ type: 'error', code: 'slow_mode', message: 'slow mode is on' });
    // Known messages with unknown fields and unknown roles still do their job afterwards.
    server.send({ type: 'media', peer: 2, media: { audio: false, video: true, screen: false }, at: 1 });
    server.send({
      type: 'peer_joined',
      peer: { id: 3, name: 'Observer Lee', role: 'observer', media: { audio: false, video: false }, pinned: false },
    });

    await expect(tile(page, 'Observer Lee')).toBeVisible({ timeout: 10_000 });
    await expect(participantsList(page).getByRole('listitem')).toHaveCount(3);
    await expect(tile(page, 'Ms Park').getByRole('img', { name: ui.micOff })).toBeVisible();
    // The unknown error code after joining is noted, not fatal.
    await expect.poll(() => seen.warnings.join('\n')).toContain('slow mode is on');
  });

  await test.step('and the call goes on', async () => {
    server.send({ type: 'peer_left', peer: 3, reason: 'kicked' });
    await expect(tile(page, 'Observer Lee')).toHaveCount(0, { timeout: 10_000 });
    await expect(selfTile(page, 'Minji')).toBeVisible();
    await expect(page.getByRole('button', { name: ui.leave })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: /\S/ }), 'no error message').toHaveCount(0);
    expect(seen.pageErrors, 'uncaught errors').toEqual([]);
    expect(seen.unparsed, 'every frame was read as a (possibly unknown) server message').toEqual([]);
  });

  await test.step('Leave still says goodbye to the server', async () => {
    await page.getByRole('button', { name: ui.leave }).click();
    await expect(page.getByText(ui.youLeft)).toBeVisible();
    await expect.poll(() => server.received.some((m) => m.type === 'leave')).toBe(true);
  });
});

const REFUSALS = [
  { code: 'waiting_room_full', text: 'The class could not be joined.' },
  { code: 'rate_limited', text: 'Too many requests from this browser. Wait a moment and try again.' },
];

for (const { code, text } of REFUSALS) {
  test(`a join refused with "${code}" ends "Joining…" with a message`, async ({ page, request }) => {
    const seen = watchPage(page);
    const { studentLink } = await newRoom(request, `Refused ${code}`);
    await mockServer(page, (ws) => {
      // Something this build does not know first: it must not be taken for the answer.
      ws.send(JSON.stringify({ type: 'queue_position', position: 3 }));
      ws.send(JSON.stringify({ type: 'error', code, message: 'x' }));
    });
    await page.goto(studentLink);
    await clickJoin(page, 'Joon');

    await expect(page.getByRole('alert').filter({ hasText: text })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Joining…' })).toHaveCount(0);
    await expect(selfTile(page, 'Joon')).toHaveCount(0);
    const again = page.getByRole('button', { name: ui.joinAgain });
    await expect(again).toBeVisible();
    await expect(again).toBeFocused();
    expect(seen.pageErrors).toEqual([]);

    // "Join again" leads back to a lobby that works.
    await again.click();
    await expect(page.getByRole('button', { name: ui.join, exact: true })).toBeEnabled();
  });
}

test('a server that never answers the join: "Joining…" ends after 15 s with a message', async ({ page, request }) => {
  const seen = watchPage(page);
  const { studentLink } = await newRoom(request, 'Silent server');
  // The WASM's timers go through window.setTimeout, which the fake clock replaces: no real 15 s wait.
  await page.clock.install();
  let joined = false;
  await mockServer(page, () => {
    joined = true; // and say nothing
  });
  await page.goto(studentLink);
  const join = page.getByRole('button', { name: ui.join, exact: true });
  await expect(join).toBeEnabled({ timeout: 20_000 });
  await page.getByRole('textbox', { name: ui.yourName }).fill('Ara');
  // Stop the page's time: the join timer then starts at a known instant, however slow this machine.
  await page.clock.pauseAt(Date.now() + 1_000);
  await join.click();
  await expect.poll(() => joined, { message: 'the client sent join' }).toBe(true);

  const joining = page.getByRole('button', { name: 'Joining…' });
  const message = page.getByRole('alert').filter({ hasText: 'The class did not answer. Check your connection and try again.' });
  await expect(joining).toBeVisible();
  await expect(joining).toBeDisabled();
  // 1 ms before the limit (JOIN_TIMEOUT_MS in src/client/engine.rs) it is still waiting...
  await page.clock.fastForward(14_999);
  await page.waitForTimeout(500); // real time; the page's clock stays where it is
  await expect(joining).toBeVisible();
  await expect(message).toHaveCount(0);
  // ...and at the limit it gives up with a message.
  await page.clock.fastForward(1);
  await expect(message).toBeVisible({ timeout: 5_000 });
  await expect(joining).toHaveCount(0);
  await expect(page.getByRole('button', { name: ui.joinAgain })).toBeVisible();
  expect(seen.pageErrors).toEqual([]);
});
