// Runs with JavaScript disabled (project "nojs"): the server-rendered pages must work on their own.
import { expect, test } from './helpers';

test('creating a room works without JavaScript', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Class name' }).fill('History');
  await page.getByRole('button', { name: 'Create room' }).click();

  const student = page.getByRole('textbox', { name: 'Student link' });
  const teacher = page.getByRole('textbox', { name: 'Teacher link' });
  await expect(student).toBeVisible();
  await expect(teacher).toBeVisible();
  await expect(student).not.toBeEditable(); // read-only
  await expect(teacher).not.toBeEditable();

  const studentLink = new URL(await student.inputValue(), page.url());
  const teacherLink = new URL(await teacher.inputValue(), page.url());
  expect(studentLink.pathname).toMatch(/^\/r\/[^/]+$/);
  expect(studentLink.hash).toBe('');
  expect(teacherLink.pathname).toBe(studentLink.pathname);
  expect(teacherLink.hash).toMatch(/^#teacher=.+/);

  const response = await page.goto(studentLink.href);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
});

test('an unknown room answers 404', async ({ page }) => {
  const response = await page.goto('/r/doesnotexist');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Room not found' })).toBeVisible();
});

test('a blank class name is refused next to the field', async ({ page }) => {
  await page.goto('/');
  const field = page.getByRole('textbox', { name: 'Class name' });
  // Spaces pass an HTML `required` attribute, so this reaches the server's own check.
  await field.fill('   ');
  await page.getByRole('button', { name: 'Create room' }).click();

  const message = page.getByRole('alert').filter({ hasText: /class name/i });
  await expect(message).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Student link' })).toHaveCount(0);
  await expect(field).toBeVisible(); // the form is shown again to retry

  // "Near": the message is within a few lines of the field.
  const [f, m] = [await field.boundingBox(), await message.boundingBox()];
  expect(f && m && Math.abs(m.y - f.y)).toBeLessThan(200);
});

test('an empty class name creates nothing', async ({ page }) => {
  await page.goto('/');
  const field = page.getByRole('textbox', { name: 'Class name' });
  await field.fill('');
  await page.getByRole('button', { name: 'Create room' }).click();
  // Either the browser's own `required` check stops the form, or the server answers with a message.
  const required = await field.evaluate((el: HTMLInputElement) => el.validity.valueMissing);
  if (!required) await expect(page.getByRole('alert').filter({ hasText: /class name/i })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Student link' })).toHaveCount(0);
});
