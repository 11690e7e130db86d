// What the server promises the browser (issue "Hardening"): a Content-Security-Policy whose nonce is
// the one on the page's inline scripts, no framing, no cookie for the JavaScript room creation, and
// other sites refused for state changes (POST and the signaling socket). The no-JS side of each
// lives in security.nojs.spec.ts.
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOtherSite } from '../lib/server';
import { BASE_URL, createRoom, expect, expectPolicy, test, UI } from './helpers';

const EVIL = 'http://evil.example';
const FLASH_COOKIE = 'classroom_new_room';

/**
 * `nonce` of every inline <script> with code in the live document (browsers hide the attribute's
 * value from getAttribute). Empty ones (leptos_i18n's hydration placeholder) never run.
 */
const inlineScriptNonces = (page: Page) =>
  page.evaluate(() => [...document.scripts].filter((s) => !s.src && s.text.trim() !== '').map((s) => s.nonce));

test.describe('Content-Security-Policy', () => {
  test('home, room and 404 pages carry it, with a fresh nonce that their inline scripts use', async ({ page, request }) => {
    const home = await page.goto('/');
    const nonce = expectPolicy(home, { page: true });
    const scripts = await inlineScriptNonces(page);
    expect(scripts.length, 'the hydration script is inline').toBeGreaterThan(0);
    expect(scripts.every((n) => n === nonce), `inline script nonces ${scripts} = ${nonce}`).toBe(true);

    const again = await page.reload();
    expect(expectPolicy(again, { page: true }), 'a new nonce for every response').not.toBe(nonce);

    const { studentLink } = await createRoom(page, 'CSP class', 'en', { autoAdmit: true });
    const room = await page.goto(studentLink);
    const roomNonce = expectPolicy(room, { page: true });
    // The room page also carries resolved-resource scripts (async SSR): all need the nonce.
    const roomScripts = await inlineScriptNonces(page);
    expect(roomScripts.length).toBeGreaterThan(0);
    expect(roomScripts.every((n) => n === roomNonce), `inline script nonces ${roomScripts} = ${roomNonce}`).toBe(true);
    // It hydrated under the policy ("Join" is enabled by the WASM); the CSP guard checks the rest.
    await expect(page.getByRole('button', { name: UI.en.join, exact: true })).toBeEnabled({ timeout: 20_000 });

    const missing = await page.goto('/r/doesnotexist');
    expect(missing?.status()).toBe(404);
    expectPolicy(missing, { page: true });

    // Everything else (files, the API, health checks) has the policy without a nonce.
    expectPolicy(await request.get('/healthz'), { page: false });
    expectPolicy(await request.get('/favicon.svg'), { page: false });
  });

  test('the page cannot be framed by another site', async ({ page, cspViolations }) => {
    const other = await startOtherSite(`<title>other</title><iframe title="classroom" src="${BASE_URL}/"></iframe>`);
    try {
      await page.goto(other.url);
      const frame = page.getByTitle('classroom');
      await expect(frame).toBeVisible();
      // The refusal is itself a CSP report (frame-ancestors): expected here, so taken out of the guard.
      await expect
        .poll(() => cspViolations.join('\n'), { message: 'Chromium reports the refused frame' })
        .toMatch(/frame-ancestors/);
      await expect(frame.contentFrame().getByRole('heading', { name: UI.en.homeTitle })).toHaveCount(0);
      cspViolations.splice(0, cspViolations.length, ...cspViolations.filter((v) => !v.includes('frame-ancestors')));
    } finally {
      await other.close();
    }
  });

  // Proof that the guard in helpers.ts works: a script the policy blocks is reported.
  test('the CSP guard notices an inline script without the nonce', async ({ page, cspViolations }) => {
    await page.route(`${BASE_URL}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('</body>', '<script>window.__injected = true;</script></body>');
      await route.fulfill({ response, body });
    });
    await page.goto('/');
    await expect.poll(() => cspViolations.length, { message: 'the guard saw the blocked script' }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as any).__injected), 'the injected script did not run').toBeUndefined();
    expect(cspViolations.join('\n')).toMatch(/script-src/);
    expect(cspViolations.join('\n'), 'the DOM event is reported too').toMatch(/securitypolicyviolation/);
    cspViolations.length = 0;
  });
});

test('every spec uses the guarded `test` from helpers.ts', async () => {
  const dir = dirname(fileURLToPath(import.meta.url));
  const unguarded = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .filter((f) => /import\s*{[^}]*\b(test|expect)\b[^}]*}\s*from\s*'@playwright\/test'/.test(readFileSync(join(dir, f), 'utf8')));
  expect(unguarded, 'import { test, expect } from ./helpers, so the CSP guard runs').toEqual([]);
});

test.describe('the new-room cookie', () => {
  test('creating a room with JavaScript sets no cookie', async ({ page, context }) => {
    const setCookies: string[] = [];
    page.on('response', async (res) => {
      const value = await res.headerValue('set-cookie').catch(() => null);
      if (value) setCookies.push(`${res.request().method()} ${res.url()}: ${value}`);
    });
    await createRoom(page, 'Cookie-free class', 'en', { autoAdmit: true });
    expect(setCookies.filter((c) => c.includes(FLASH_COOKIE)), 'no Set-Cookie for the new room').toEqual([]);
    expect((await context.cookies()).map((c) => c.name)).not.toContain(FLASH_COOKIE);
    // The links live only in this page: a reload shows the empty form.
    await page.reload();
    await expect(page.getByRole('textbox', { name: UI.en.className })).toBeVisible();
    await expect(page.getByRole('textbox', { name: UI.en.teacherLink })).toHaveCount(0);
  });
});

test.describe('other sites', () => {
  test('cannot create rooms through the API; this site and scripts without Origin can', async ({ request }) => {
    for (const origin of [EVIL, 'null', `${BASE_URL}.evil.example`]) {
      const res = await request.post('/api/rooms', { headers: { Origin: origin }, data: { name: 'Math' } });
      expect(res.status(), `Origin: ${origin}`).toBe(403);
    }
    for (const headers of [{}, { Origin: new URL(BASE_URL).origin }] as Record<string, string>[]) {
      const res = await request.post('/api/rooms', { headers, data: { name: 'Math' } });
      expect(res.status(), JSON.stringify(headers)).toBe(201);
      const body = await res.json();
      expect(body.name).toBe('Math');
      expect(body.student_link).toMatch(new RegExp(`^${BASE_URL}/r/[^/#]+$`));
      expect(body.teacher_link).toMatch(new RegExp(`^${body.student_link}#teacher=.+`));
    }
  });

  test('cannot post the room form (server function)', async ({ page, request }) => {
    await page.goto('/');
    const action = await page
      .getByRole('button', { name: UI.en.createRoom })
      .evaluate((b: HTMLButtonElement) => b.form!.action);
    const form = { name: 'Math' };
    expect((await request.post(action, { headers: { Origin: EVIL }, form })).status()).toBe(403);
    expect((await request.post(action, { headers: { Origin: new URL(BASE_URL).origin }, form })).status()).toBeLessThan(400);
  });

  test('cannot open the signaling socket, this site can', async ({ page, request }) => {
    // Without upgrade headers: the origin check answers before the WebSocket handshake would.
    expect((await request.get('/ws', { headers: { Origin: EVIL } })).status()).toBe(403);

    const open = (p: Page) =>
      p.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => {
              ws.close();
              resolve('open');
            };
            ws.onclose = (e) => resolve(`closed ${e.code}`);
          }),
        `${BASE_URL.replace(/^http/, 'ws')}/ws`,
      );
    // A page of another site trying to connect from the visitor's browser.
    const other = await startOtherSite('<title>other</title>');
    const logged: string[] = [];
    page.on('console', (m) => logged.push(m.text()));
    try {
      await page.goto(other.url);
      expect(await open(page), `from ${other.url}`).toBe('closed 1006');
      // Refused by the server, not by the browser on its own: Chromium logs the handshake's status.
      await expect.poll(() => logged.join('\n')).toMatch(/WebSocket[\s\S]*\b403\b/);
    } finally {
      await other.close();
    }
    await page.goto('/');
    expect(await open(page), 'from the site itself').toBe('open');
  });
});
