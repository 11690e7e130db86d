// Runs with JavaScript disabled (project "nojs"): the limits of limits.spec.ts, as plain HTML shows them.
import { closeRoom, closeRoomUnavailable, extraServerUnavailable, startServer } from '../lib/server';
import { expect, test, UI } from './helpers';

const ui = UI.en;
const RATE_LIMITED = 'Too many rooms were created from your network in the last minute. Try again in a minute.';

test('too many rooms from one address: the form comes back with the message', async ({ page }) => {
  test.skip(!!extraServerUnavailable(), extraServerUnavailable() ?? '');
  const server = await startServer(3002, ['--rooms-per-minute', '1']);
  try {
    await page.goto(`${server.url}/`);
    await page.getByRole('textbox', { name: ui.className }).fill('First');
    await page.getByRole('button', { name: ui.createRoom }).click();
    await expect(page.getByRole('textbox', { name: ui.studentLink })).toBeVisible();

    await page.getByRole('textbox', { name: ui.className }).fill('Second');
    await page.getByRole('button', { name: ui.createRoom }).click();
    const message = page.getByRole('alert').filter({ hasText: RATE_LIMITED });
    await expect(message).toBeVisible();
    await expect(page.getByRole('textbox', { name: ui.studentLink })).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: ui.className })).toBeVisible();
    expect(new URL(page.url()).searchParams.get('problem')).toBe('rate_limited');
  } finally {
    await server.stop();
  }
});

test('a closed room answers 410 with a message', async ({ page, request }) => {
  test.skip(!!closeRoomUnavailable(), closeRoomUnavailable() ?? '');
  const res = await request.post('/api/rooms', { data: { name: 'Old class' } });
  expect(res.status()).toBe(201);
  const { id, student_link } = await res.json();
  closeRoom(id);

  const response = await page.goto(student_link);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1, name: 'This room is closed' })).toBeVisible();
  await expect(page.getByText(/Ask your teacher for a new link/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: ui.yourName })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Create a new room' })).toHaveAttribute('href', '/');
});
