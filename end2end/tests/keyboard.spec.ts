// Keyboard only: Tab, typing, Enter and Space (no clicks, no fill). Locators only read state.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers';

test.use({ permissions: ['camera', 'microphone'] });

/** What has focus, for messages: tag and accessible-ish name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.[0]?.textContent || el.textContent;
    return `${el.tagName.toLowerCase()} "${(name ?? '').trim().slice(0, 40)}"`;
  });

/** Presses Tab until `target` has focus; fails listing where focus went. Returns the number of presses. */
async function tabTo(page: Page, target: Locator, max = 25): Promise<number> {
  await expect(target).toBeVisible();
  const path: string[] = [];
  for (let presses = 0; presses <= max; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      await expect(target).toBeFocused();
      return presses;
    }
    await page.keyboard.press('Tab');
    path.push(await focused(page));
  }
  throw new Error(`not reached with ${max} Tab presses; focus went: ${path.join(' → ')}`);
}

/** The keyboard focus is visible: a real outline (the CSS uses :focus-visible, 3px). */
async function expectFocusRing(target: Locator) {
  const ring = await target.evaluate((el) => {
    const s = getComputedStyle(el);
    return { focusVisible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.focusVisible, ':focus-visible matches').toBe(true);
  expect(ring.style, 'outline-style').not.toBe('none');
  expect(ring.width, 'outline-width').toBeGreaterThan(0);
}

/** Home → room → lobby → call, all by keyboard. Returns the student link. */
async function createAndJoin(page: Page, name: string): Promise<string> {
  await page.goto('/');
  const className = page.getByRole('textbox', { name: 'Class name' });
  await tabTo(page, className);
  await page.keyboard.type('Math 3-1');
  await expect(className).toHaveValue('Math 3-1');
  // Students of this room come straight in: these tests are about the call, not the waiting room.
  const autoAdmit = page.getByRole('checkbox', { name: 'Let students in automatically' });
  await tabTo(page, autoAdmit);
  await expectFocusRing(autoAdmit);
  await page.keyboard.press('Space');
  await expect(autoAdmit).toBeChecked();
  const create = page.getByRole('button', { name: 'Create room' });
  await tabTo(page, create);
  await expectFocusRing(create);
  await page.keyboard.press('Enter');
  const student = page.getByRole('textbox', { name: 'Student link' });
  await expect(student).toHaveValue(/\/r\//, { timeout: 15_000 });
  const studentLink = new URL(await student.inputValue(), page.url()).href;

  await page.goto(studentLink);
  const join = page.getByRole('button', { name: 'Join', exact: true });
  await expect(join).toBeEnabled({ timeout: 20_000 }); // enabled once hydrated
  await tabTo(page, page.getByRole('textbox', { name: 'Your name' }));
  await page.keyboard.type(name);
  await tabTo(page, join);
  await expectFocusRing(join);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('figure', { name: `${name} (you)` })).toBeVisible({ timeout: 20_000 });
  return studentLink;
}

test('create a room, join, mute and leave with the keyboard alone', async ({ page }) => {
  await createAndJoin(page, 'Minji');

  const mute = page.getByRole('button', { name: 'Mute microphone' });
  await tabTo(page, mute);
  await expectFocusRing(mute);
  await page.keyboard.press('Space');
  const unmute = page.getByRole('button', { name: 'Unmute microphone' });
  await expect(unmute).toBeVisible();
  await expect(unmute, 'the toggled button keeps the focus').toBeFocused();
  await page.keyboard.press('Space');
  await expect(mute).toBeFocused();

  // The device pickers live in a <details>: Enter opens it, and Tab goes through them and on.
  const devices = page.getByRole('toolbar', { name: 'Call controls' }).getByText('Devices', { exact: true });
  await tabTo(page, devices);
  await expectFocusRing(devices);
  await page.keyboard.press('Enter');
  const camera = page.getByRole('toolbar').getByRole('combobox', { name: 'Camera' });
  await tabTo(page, camera);
  await expect(camera).toBeInViewport();

  const leave = page.getByRole('button', { name: 'Leave' });
  await tabTo(page, leave);
  await expectFocusRing(leave);
  await page.keyboard.press('Enter');
  await expect(page.getByText('You left the class')).toBeVisible();

  const again = page.getByRole('button', { name: 'Join again' });
  await tabTo(page, again);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeVisible();
});

test('the language can be switched with the keyboard', async ({ page }) => {
  await page.goto('/');
  const language = page.getByRole('combobox', { name: 'Language' });
  await tabTo(page, language);
  await expectFocusRing(language);
  // Options: 한국어, English. The select only reacts once hydrated; Home is idempotent, so retry.
  await expect(async () => {
    await page.keyboard.press('Home');
    await expect(page.getByRole('heading', { level: 1, name: '수업방 만들기' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('combobox', { name: '언어' })).toBeFocused();
});

// Focus management when the screen changes under the focused button: focus should land on the new
// screen (its heading, message or main control), not fall back to the top of the page.
test('focus moves to the new screen after Join and after Leave', async ({ page }) => {
  await createAndJoin(page, 'Joon');
  expect.soft(await focused(page), 'after Join, focus is inside the call, not on <body>').not.toBe('body');

  await tabTo(page, page.getByRole('button', { name: 'Leave' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('You left the class')).toBeVisible();
  expect.soft(await focused(page), 'after Leave, focus is on the message or "Join again", not on <body>').not.toBe('body');
});

// WAI-ARIA APG (button pattern): a toggle button's name must not change with its state; aria-pressed
// alone says whether it is on. Otherwise a screen reader says "Show Ara in the grid, pressed".
test('the enlarge toggle keeps its name and reports its state with aria-pressed', async ({ page }) => {
  await createAndJoin(page, 'Ara');
  const enlarge = page.getByRole('button', { name: 'Enlarge Ara' });
  await tabTo(page, enlarge);
  await expectFocusRing(enlarge);
  await expect(enlarge).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Enter');
  const toggle = page.getByRole('figure', { name: 'Ara (you)' }).getByRole('button');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle, 'the toggle keeps the focus').toBeFocused();
  await expect(toggle, 'same name while pressed').toHaveAccessibleName('Enlarge Ara');
});
