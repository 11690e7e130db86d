// Runs with JavaScript disabled (project "nojs"): the server's promises hold for plain HTML too.
// The form's answer travels in a one-minute HttpOnly, SameSite=Strict cookie that the home page
// clears as it shows the links, so the teacher link is shown once.
import { BASE_URL, expect, expectPolicy, parseCsp, test, UI } from './helpers';

const FLASH_COOKIE = 'classroom_new_room';
const ui = UI.en;

test('the form shows the new links once, through a short-lived HttpOnly cookie', async ({ page, context }) => {
  await page.goto('/');
  await page.getByRole('textbox', { name: ui.className }).fill('Geography');
  const post = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: ui.createRoom }).click();

  const setCookies = ((await (await post).headerValue('set-cookie')) ?? '').split('\n');
  const setCookie = setCookies.find((c) => c.startsWith(`${FLASH_COOKIE}=`)) ?? '';
  expect(setCookie, setCookies.join('\n')).toMatch(new RegExp(`^${FLASH_COOKIE}=[^;]+`));
  const attributes = setCookie.split(';').map((a) => a.trim().toLowerCase());
  expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'max-age=60', 'path=/']));

  const teacher = page.getByRole('textbox', { name: ui.teacherLink });
  await expect(page.getByRole('textbox', { name: ui.studentLink })).toHaveValue(/\/r\//);
  await expect(teacher).toHaveValue(/#teacher=/);
  // The teacher key never appears in an address.
  expect(page.url()).toBe(`${BASE_URL}/`);
  // The page that showed the links has cleared the cookie.
  expect((await context.cookies()).map((c) => c.name)).not.toContain(FLASH_COOKIE);

  await page.reload();
  await expect(page.getByRole('textbox', { name: ui.className })).toBeVisible();
  await expect(teacher, 'a reload no longer shows the teacher link').toHaveCount(0);
  await expect(page.getByRole('textbox', { name: ui.studentLink })).toHaveCount(0);
});

test('pages carry the CSP, and every inline script in the HTML has its nonce', async ({ page }) => {
  for (const path of ['/', '/r/doesnotexist']) {
    const res = await page.goto(path);
    const nonce = expectPolicy(res, { page: true });
    const html = await res!.text();
    // Inline scripts with code. An empty <script></script> (leptos_i18n renders one as a hydration
    // placeholder) is never run, so browsers do not check it against the policy.
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      .filter(([, attrs, code]) => !/\bsrc=/.test(attrs) && code.trim() !== '')
      .map(([tag]) => tag.slice(0, 80));
    expect(inline.length, `${path}: has the inline hydration script`).toBeGreaterThan(0);
    for (const tag of inline) expect(tag, `${path}: every inline script has the nonce`).toContain(`nonce="${nonce}"`);
    expect(html, 'no inline style attributes (style-src has no unsafe-inline)').not.toMatch(/<[^>]+\sstyle=/);
  }
  // A fresh nonce per response.
  const [a, b] = [parseCsp(await page.goto('/')).nonce, parseCsp(await page.reload()).nonce];
  expect(a).not.toBe(b);
});

// Proof that the guard in helpers.ts also works without JavaScript, where only Chromium's console
// report is available: an inline style attribute is blocked by style-src 'self'.
test('the CSP guard notices a blocked inline style without JavaScript', async ({ page, cspViolations }) => {
  await page.route(`${BASE_URL}/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</body>', '<p style="color: red">injected</p></body>');
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  await expect(page.getByText('injected')).toBeVisible();
  await expect.poll(() => cspViolations.join('\n'), { message: 'the guard saw the blocked style' }).toMatch(/style-src/);
  cspViolations.length = 0;
});
