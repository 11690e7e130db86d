// The steps the specs share: making a room (API or form), joining from the lobby, the admin login,
// muting, and a deadline shared by several expectations.
import { expect, type Page } from '@playwright/test';
import { selfTile, UI, type Lang } from './ui';

/**
 * Creates a room through the HTTP API of the server at `baseUrl`, letting students in
 * automatically; its id and links as full URLs.
 */
export async function roomByApi(baseUrl: string, name: string): Promise<{ id: string; studentLink: string; teacherLink: string }> {
  const res = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, auto_admit: true }),
  });
  expect(res.status).toBe(201);
  const room = await res.json();
  return {
    id: room.id,
    studentLink: new URL(room.student_link, baseUrl).href,
    teacherLink: new URL(room.teacher_link, baseUrl).href,
  };
}

/**
 * Creates a room through the home page form; returns absolute links. `autoAdmit` ticks "Let students in
 * automatically" (for specs about the call rather than the waiting room); off, students wait.
 */
export async function createRoom(page: Page, name: string, lang: Lang = 'en', opts: { autoAdmit?: boolean } = {}) {
  await page.goto('/');
  await page.getByRole('textbox', { name: UI[lang].className }).fill(name);
  if (opts.autoAdmit) await page.getByRole('checkbox', { name: UI[lang].autoAdmit }).check();
  await page.getByRole('button', { name: UI[lang].createRoom }).click();
  const student = page.getByRole('textbox', { name: UI[lang].studentLink });
  const teacher = page.getByRole('textbox', { name: UI[lang].teacherLink });
  await expect(student).toHaveValue(/\/r\//, { timeout: 15_000 });
  await expect(teacher).toHaveValue(/#teacher=/);
  // The app may show absolute or relative links; resolve both against the current page.
  const studentLink = new URL(await student.inputValue(), page.url()).href;
  const teacherLink = new URL(await teacher.inputValue(), page.url()).href;
  return { studentLink, teacherLink };
}

/** Whether the WASM loaded and whether a fresh getUserMedia settles within 5 s, for a stuck lobby. */
async function lobbyProbe(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const wasm = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm'));
      const media = await Promise.race([
        navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(
          (s) => (s.getTracks().forEach((t) => t.stop()), 'getUserMedia resolved'),
          (e) => `getUserMedia failed: ${e}`,
        ),
        new Promise((ok) => setTimeout(() => ok('getUserMedia still pending after 5 s'), 5_000)),
      ]);
      const wasmState = wasm.map((r) => `${r.name.split('/').pop()} ${Math.round(r.duration)} ms`).join(', ') || 'no .wasm fetched';
      return `${wasmState}; ${media}; readyState ${document.readyState}`;
    })
    .catch((e) => `probe failed: ${e}`);
}

/**
 * In the lobby already open in `page`: types the name and clicks "Join" (no wait for the outcome).
 * Waits for "Join" to be enabled first: the app renders it disabled until the WASM has hydrated, so the
 * name typed here is not wiped by hydration and the click reaches the Rust handler.
 */
export async function clickJoin(page: Page, yourName: string, lang: Lang = 'en') {
  const join = page.getByRole('button', { name: UI[lang].join, exact: true });
  try {
    await expect(join).toBeEnabled({ timeout: 20_000 });
  } catch (e) {
    // "Join" waits for hydration and the camera preview; say which one never came (seen once in CI).
    // In the message itself, so failures.txt (the end of a CI log) carries it.
    throw new Error(`Join stayed disabled on ${page.url()}: ${await lobbyProbe(page)}\n${(e as Error).message}`);
  }
  const nameBox = page.getByRole('textbox', { name: UI[lang].yourName });
  await nameBox.fill(yourName);
  await expect(nameBox).toHaveValue(yourName);
  await join.click();
}

/** Joins from the lobby behind `link` and waits for the own tile "NAME (you)". */
export async function joinCall(page: Page, link: string, yourName: string, lang: Lang = 'en') {
  await page.goto(link);
  await clickJoin(page, yourName, lang);
  await expect(selfTile(page, yourName, lang)).toBeVisible({ timeout: 20_000 });
}

/** The shared e2e server's administrator password (set by scripts/with-server.sh). */
export const ADMIN_PASSWORD = process.env.CLASSROOM_E2E_ADMIN_PASSWORD || '';

/** Logs in at /admin/login with the e2e server's password and waits for "Log out" on /admin. */
export async function adminLogin(page: Page, lang: Lang = 'en') {
  if (!ADMIN_PASSWORD) throw new Error('CLASSROOM_E2E_ADMIN_PASSWORD is not set (end2end/run.sh sets it)');
  await page.goto('/admin/login');
  const password = page.getByLabel(UI[lang].adminPassword);
  // The form works before hydration too (a plain POST), so no wait for the WASM here.
  await password.fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: UI[lang].adminLogIn }).click();
  await expect(page.getByRole('button', { name: UI[lang].adminLogOut })).toBeVisible({ timeout: 15_000 });
}

/** A shared deadline for several expectations: `left()` is the time still allowed (never 0 = "no limit"). */
export function deadline(ms: number) {
  const end = Date.now() + ms;
  return { left: () => Math.max(1, end - Date.now()) };
}

/**
 * Mutes `page`'s microphone with its button and waits for the button to offer unmuting. (How fast
 * the button answers is call.spec's "answers at once"; here eight starved browsers may take a few
 * seconds to draw anything.)
 */
export async function muteMicrophone(page: Page) {
  await page.getByRole('button', { name: UI.en.mute }).click();
  await expect(page.getByRole('button', { name: UI.en.unmute })).toBeVisible({ timeout: 10_000 });
}
