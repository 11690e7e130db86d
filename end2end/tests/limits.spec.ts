// Limits of the hardening issue, with JavaScript (limits.nojs.spec.ts has the same without):
// room creation is rate-limited per address, and a closed room answers 410 with a message.
// The rate limit is tested on a second server started with --rooms-per-minute 1, so the shared
// server's budget (30 a minute for 127.0.0.1, used by every other spec) is left alone.
import { closeRoom, closeRoomUnavailable, extraServerUnavailable, startServer } from '../lib/server';
import { expect, test, UI } from './helpers';

const ui = UI.en;
const RATE_LIMITED = 'Too many rooms were created from your network in the last minute. Try again in a minute.';
const ROOM_CLOSED = 'This room is closed';

test('too many rooms from one address: the home page says so', async ({ page }) => {
  test.skip(!!extraServerUnavailable(), extraServerUnavailable() ?? '');
  const server = await startServer(3001, ['--rooms-per-minute', '1']);
  try {
    await page.goto(`${server.url}/`);
    const name = page.getByRole('textbox', { name: ui.className });
    const create = page.getByRole('button', { name: ui.createRoom });
    await expect(create).toBeEnabled();
    await name.fill('First');
    await create.click();
    await expect(page.getByRole('textbox', { name: ui.studentLink })).toHaveValue(/\/r\//, { timeout: 15_000 });
    await expect(page.getByRole('alert').filter({ hasText: RATE_LIMITED })).toHaveCount(0);

    await name.fill('Second');
    await create.click();
    await expect(page.getByRole('alert').filter({ hasText: RATE_LIMITED })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('textbox', { name: ui.studentLink })).toHaveCount(0);
    await expect(name).toBeVisible();

    // The HTTP API shares the budget and says so with 429.
    const res = await page.request.post(`${server.url}/api/rooms`, { data: { name: 'Third' } });
    expect(res.status()).toBe(429);
    expect((await res.json()).error).toBe('rate_limited');
  } finally {
    await server.stop();
  }
});

test('a closed room answers 410 with a message and a way to a new room', async ({ page, request }) => {
  test.skip(!!closeRoomUnavailable(), closeRoomUnavailable() ?? '');
  const res = await request.post('/api/rooms', { data: { name: 'Last year' } });
  expect(res.status()).toBe(201);
  const { id, student_link } = await res.json();
  closeRoom(id);

  const response = await page.goto(student_link);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1, name: ROOM_CLOSED })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(ROOM_CLOSED));
  await expect(page.getByRole('button', { name: ui.join, exact: true })).toHaveCount(0);
  await page.getByRole('link', { name: 'Create a new room' }).click();
  await expect(page.getByRole('heading', { level: 1, name: ui.homeTitle })).toBeVisible();
});
