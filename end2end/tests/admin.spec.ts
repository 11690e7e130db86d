// The administrator's attendance pages: the room list counts people live without a reload, a class
// session appears with its participants once they have left, the CSV downloads, and every admin
// page passes axe (serious/critical) in English and Korean.
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  adminLogin,
  attachOnFailure,
  closeAll,
  createRoom,
  expect,
  joinCall,
  launchParticipant,
  LOCALE,
  test,
  type Lang,
  type Participant,
} from './helpers';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe findings on the whole page, described for the failure message. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n: any) => n.html).join(' | ')}`);
  });
}

async function adminPage(browser: Browser, lang: Lang): Promise<Page> {
  const context = await browser.newContext({ locale: LOCALE[lang] });
  const page = await context.newPage();
  await adminLogin(page, lang);
  return page;
}

/** The room list's row for `name` (its header cell is a link to the room). */
const roomRow = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });

/** A class of two in a room with students let in automatically; returns the student link. */
async function classOfTwo(name: string, people: Participant[]) {
  const [a, b] = people;
  const { studentLink } = await createRoom(a.page, name, 'en', { autoAdmit: true });
  await joinCall(a.page, studentLink, 'Minji');
  await joinCall(b.page, studentLink, 'Jisoo');
  return studentLink;
}

test('the list counts people live, the session lists them after they leave, the CSV downloads', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const name = `Attendance ${Date.now()}`;
  const admin = await adminPage(browser, 'en');
  await admin.goto(`/admin?q=${encodeURIComponent(name)}`);
  const people: Participant[] = [await launchParticipant('yellow'), await launchParticipant('blue')];
  try {
    await expect(roomRow(admin, name)).toHaveCount(0);
    // Hydrated: the marker below only survives if the page is not loaded again.
    await expect(admin.getByRole('link', { name: 'Refresh' })).toBeVisible();
    await admin.evaluate(() => ((window as any).__notReloaded = true));
    const link = await classOfTwo(name, people);
    // The list reads itself again every few seconds: the room appears, live, with two people.
    const row = roomRow(admin, name);
    await expect(row).toContainText('Live', { timeout: 20_000 });
    // Cells: created, status, people now, …
    await expect(row.getByRole('cell').nth(2)).toHaveText('2', { timeout: 20_000 });
    expect(await admin.evaluate(() => (window as any).__notReloaded)).toBe(true);
    // Minji's tab loads the room again and she rejoins: the same browser is the same person.
    await joinCall(people[0].page, link, 'Minji');
    await expect(row.getByRole('cell').nth(2)).toHaveText('2', { timeout: 20_000 });

    await closeAll(people);
    await expect(row).toContainText('Idle', { timeout: 20_000 });
    await row.getByRole('link', { name }).click();
    await expect(admin.getByRole('heading', { level: 1, name })).toBeVisible();
    const sessions = admin.getByRole('table', { name: /Class sessions \(1\)/ });
    await expect(sessions).toBeVisible({ timeout: 10_000 });
    await sessions.getByRole('rowheader').getByRole('link').click();
    const table = admin.getByRole('table', { name: 'Participants (2)' });
    await expect(table.getByRole('rowheader', { name: 'Minji' })).toBeVisible();
    await expect(table.getByRole('rowheader', { name: 'Jisoo' })).toBeVisible();
    // Cells after the name: role, first joined, last left, time present, times joined, …
    const minji = table.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: 'Minji' }) });
    await expect(minji.getByRole('cell').nth(4)).toHaveText('2');

    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/attendance.*\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^session,session started,session ended,session end,name,role,/);
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(',')[4]).sort()).toEqual(['Jisoo', 'Minji']);
  } finally {
    await attachOnFailure(testInfo, { yellow: people[0], blue: people[1] });
    await closeAll(people);
    await admin.context().close();
  }
});

for (const lang of ['en', 'ko'] as const) {
  test(`admin pages pass axe (${lang})`, async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    const name = lang === 'ko' ? `출석 점검 ${Date.now()}` : `Axe check ${Date.now()}`;
    const login = await (await browser.newContext({ locale: LOCALE[lang] })).newPage();
    await login.goto('/admin/login');
    expect(await seriousViolations(login), 'login page').toEqual([]);
    await login.context().close();

    const people: Participant[] = [await launchParticipant('yellow'), await launchParticipant('blue')];
    const admin = await adminPage(browser, lang);
    try {
      await classOfTwo(name, people);
      await closeAll(people);
      await admin.goto(`/admin?q=${encodeURIComponent(name)}`);
      await expect(roomRow(admin, name)).toBeVisible();
      expect(await seriousViolations(admin), 'room list').toEqual([]);
      await roomRow(admin, name).getByRole('link', { name }).click();
      await expect(admin.getByRole('heading', { level: 1, name })).toBeVisible();
      expect(await seriousViolations(admin), 'room page').toEqual([]);
      const session = admin.getByRole('table').getByRole('rowheader').getByRole('link');
      await expect(session).toHaveCount(1, { timeout: 10_000 });
      await session.click();
      await expect(admin.getByRole('table').getByRole('rowheader', { name: 'Minji' })).toBeVisible();
      expect(await seriousViolations(admin), 'session page').toEqual([]);
    } finally {
      await attachOnFailure(testInfo, { yellow: people[0], blue: people[1] });
      await closeAll(people);
      await admin.context().close();
    }
  });
}
