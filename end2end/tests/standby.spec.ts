// The lobby opens the signaling connection once a name is typed, so Join finds it open (issue 11's
// join time). Checked by the WebSockets the page opens and the frames it sends on them: the call must
// use the connection opened ahead, an unused one must close itself before the server's join timeout,
// and one the server closed must not be used.
import type { Page, WebSocket } from '@playwright/test';
import { extraServerUnavailable, startServer } from '../lib/server';
import {
  attachOnFailure,
  BASE_URL,
  closeAll,
  expect,
  launchParticipant,
  roomByApi,
  selfTile,
  test,
  UI,
  type Colour,
  type Participant,
} from './helpers';

const ui = UI.en;

/** Every signaling WebSocket the page opens, with what it sent and when it opened and closed. */
function recordSockets(page: Page) {
  const sockets: { ws: WebSocket; sent: string[]; opened: number; closed?: number }[] = [];
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith('/ws')) return;
    const entry = { ws, sent: [] as string[], opened: Date.now(), closed: undefined as number | undefined };
    ws.on('framesent', (f) => entry.sent.push(String(f.payload)));
    ws.on('close', () => (entry.closed = Date.now()));
    sockets.push(entry);
  });
  return sockets;
}

/**
 * A browser of `colour` in the hydrated lobby of a new room on the server at `baseUrl` (Join is
 * enabled once the preview is ready), recording its signaling sockets from before the page loads.
 */
async function inLobby(who: string, colour: Colour, baseUrl: string, roomName: string) {
  people[who] = await launchParticipant(colour);
  const page = people[who].page;
  const sockets = recordSockets(page);
  const { studentLink } = await roomByApi(baseUrl, roomName);
  await page.goto(studentLink);
  await expect(page.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
  return { page, sockets, name: page.getByRole('textbox', { name: ui.yourName }) };
}

const joins = (sent: string[]) => sent.filter((s) => JSON.parse(s).type === 'join').length;

const people: Record<string, Participant> = {};
test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  await closeAll(Object.values(people));
  for (const k of Object.keys(people)) delete people[k];
});

test('typing a name opens the signaling connection, and Join sends its join on it', async () => {
  const { page, sockets, name } = await inLobby('minji', 'red', BASE_URL, 'Standby');
  expect(sockets, 'no connection before anyone types').toHaveLength(0);
  await name.fill('Minji');
  await expect.poll(() => sockets.length, { message: 'a connection once a name is typed' }).toBe(1);
  await page.waitForTimeout(500); // open by now: the click below finds it ready
  expect(joins(sockets[0].sent), 'nothing is said before Join').toBe(0);
  await page.getByRole('button', { name: ui.join, exact: true }).click();
  await expect(selfTile(page, 'Minji')).toBeVisible({ timeout: 20_000 });
  expect(sockets, 'the call uses the connection opened ahead').toHaveLength(1);
  expect(joins(sockets[0].sent)).toBe(1);
  expect(sockets[0].closed).toBeUndefined();
});

test('an unused connection closes itself before the join timeout; the next keystroke opens another', async () => {
  const { page, sockets, name } = await inLobby('joon', 'green', BASE_URL, 'Standby expiry');
  await name.fill('Joo');
  await expect.poll(() => sockets.length).toBe(1);
  // The client's 8 s, not the server's 10 s (which would count a join timeout against us).
  await expect.poll(() => sockets[0].closed, { timeout: 12_000 }).toBeDefined();
  expect(sockets[0].closed! - sockets[0].opened).toBeLessThan(9_500);
  expect(joins(sockets[0].sent)).toBe(0);
  await name.fill('Joon');
  await expect.poll(() => sockets.length, { message: 'a new connection on the next keystroke' }).toBe(2);
  await page.getByRole('button', { name: ui.join, exact: true }).click();
  await expect(selfTile(page, 'Joon')).toBeVisible({ timeout: 20_000 });
  expect(sockets).toHaveLength(2);
  expect(joins(sockets[1].sent)).toBe(1);
});

test('a connection the server closed is not used: Join connects again', async () => {
  test.skip(!!extraServerUnavailable(), extraServerUnavailable() ?? '');
  // This server closes a connection without `join` after 1 s, before our own 8 s.
  const server = await startServer(3007, ['--join-timeout', '1']);
  try {
    const { page, sockets, name } = await inLobby('ara', 'blue', server.url, 'Standby refused');
    await name.fill('Ara');
    await expect.poll(() => sockets.length).toBe(1);
    await expect.poll(() => sockets[0].closed, { timeout: 5_000 }).toBeDefined();
    await page.getByRole('button', { name: ui.join, exact: true }).click();
    await expect(selfTile(page, 'Ara')).toBeVisible({ timeout: 20_000 });
    expect(sockets).toHaveLength(2);
    expect(joins(sockets[0].sent)).toBe(0);
    expect(joins(sockets[1].sent)).toBe(1);
  } finally {
    await server.stop();
  }
});
