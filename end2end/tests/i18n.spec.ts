// Korean (the main audience) and English: the server picks the language from the cookie, else
// Accept-Language; the "Language" select switches it in place and remembers it in a cookie.
// The Korean strings are written out here on purpose: a changed or missing translation must be noticed.
import type { Page } from '@playwright/test';
import {
  attachOnFailure,
  closeAll,
  createRoom,
  expect,
  joinCall,
  launchParticipant,
  participantsList,
  selfTile,
  test,
  tile,
  type Participant,
} from './helpers';

const htmlLang = (page: Page) => page.locator('html');

test.describe('a ko-KR browser', () => {
  test.use({ locale: 'ko-KR' });

  test('gets the home page in Korean', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(htmlLang(page)).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1, name: '수업방 만들기' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: '수업 이름' })).toBeVisible();
    await expect(page.getByRole('button', { name: '수업방 만들기' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: '언어' })).toHaveValue('ko');
    await expect(page).toHaveTitle(/수업방 만들기/);
  });

  test('gets the lobby, the call and the leave screen in Korean', async () => {
    test.setTimeout(150_000);
    const people: Record<string, Participant> = {};
    try {
      people['민지'] = await launchParticipant('red', { locale: 'ko-KR' });
      people['준'] = await launchParticipant('green', { locale: 'ko-KR' });
      const minji = people['민지'].page;
      const joon = people['준'].page;
      const { studentLink } = await createRoom(minji, '3학년 1반 수학', 'ko', { autoAdmit: true });

      await test.step('lobby labels', async () => {
        await minji.goto(studentLink);
        await expect(htmlLang(minji)).toHaveAttribute('lang', 'ko');
        await expect(minji.getByRole('heading', { level: 1, name: '3학년 1반 수학' })).toBeVisible();
        await expect(minji.getByRole('textbox', { name: '이름', exact: true })).toBeVisible();
        await expect(minji.getByRole('combobox', { name: '카메라' })).toBeVisible();
        await expect(minji.getByRole('combobox', { name: '마이크' })).toBeVisible();
        await expect(minji.getByRole('button', { name: '참여하기', exact: true })).toBeEnabled({ timeout: 20_000 });
      });

      await test.step('two people join; own tile is "NAME (나)"', async () => {
        await joinCall(minji, studentLink, '민지', 'ko');
        await joinCall(joon, studentLink, '준', 'ko');
        await expect(selfTile(minji, '민지', 'ko')).toHaveAccessibleName('민지 (나)');
        await expect(tile(minji, '준')).toBeVisible({ timeout: 20_000 });
        await expect(tile(joon, '민지')).toBeVisible({ timeout: 20_000 });
        await expect(participantsList(minji)).toHaveCount(0); // the English label must not be used
        await expect(minji.getByRole('list', { name: '참여자' }).getByRole('listitem')).toHaveCount(2);
        await expect(minji.getByRole('toolbar', { name: '통화 제어' })).toBeVisible();
        await expect(minji.getByRole('region', { name: '영상' })).toBeVisible();
        await expect(minji.getByRole('status').filter({ hasText: '준 님이 들어왔습니다' })).toHaveCount(1);
      });

      await test.step('mute: "마이크 끄기" becomes "마이크 켜기"; the other sees "마이크 꺼짐"', async () => {
        await minji.getByRole('button', { name: '마이크 끄기' }).click();
        await expect(minji.getByRole('button', { name: '마이크 켜기' })).toBeVisible();
        await expect(minji.getByRole('status').filter({ hasText: '마이크가 꺼졌습니다' })).toHaveCount(1);
        await expect(tile(joon, '민지').getByRole('img', { name: '마이크 꺼짐' })).toBeVisible({ timeout: 5_000 });
        await expect(tile(joon, '준 (나)').getByRole('img', { name: '마이크 꺼짐' })).toHaveCount(0);
      });

      await test.step('leaving says so in Korean', async () => {
        await joon.getByRole('button', { name: '나가기' }).click();
        await expect(joon.getByText('수업에서 나갔습니다')).toBeVisible();
        await expect(joon.getByRole('button', { name: '다시 참여하기' })).toBeVisible();
        await expect(minji.getByRole('status').filter({ hasText: '준 님이 나갔습니다' })).toHaveCount(1);
      });
    } finally {
      await attachOnFailure(test.info(), people);
      await closeAll(Object.values(people));
    }
  });
});

test.describe('an en-US browser', () => {
  test.use({ locale: 'en-US' });

  test('gets English, and switches to Korean in place, remembered by a cookie', async ({ page, context }) => {
    await page.goto('/');
    await expect(htmlLang(page)).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1, name: 'Create a room' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Class name' })).toBeVisible();
    const language = page.getByRole('combobox', { name: 'Language' });
    await expect(language).toHaveValue('en');
    await expect(language.getByRole('option')).toHaveText(['한국어', 'English']);

    await test.step('choose 한국어: Korean without a reload', async () => {
      await page.evaluate(() => ((window as any).__samePage = true));
      // The select only reacts once the WASM has hydrated; choosing again is harmless.
      await expect(async () => {
        await language.selectOption('ko');
        await expect(page.getByRole('heading', { level: 1, name: '수업방 만들기' })).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
      await expect(page.getByRole('textbox', { name: '수업 이름' })).toBeVisible();
      await expect(page.getByRole('button', { name: '수업방 만들기' })).toBeVisible();
      await expect(page.getByRole('combobox', { name: '언어' })).toHaveValue('ko');
      expect(await page.evaluate(() => (window as any).__samePage), 'no reload happened').toBe(true);
      await expect(htmlLang(page), '<html lang> follows the language').toHaveAttribute('lang', 'ko');
      await expect(page).toHaveTitle(/수업방 만들기/);
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'classroom_lang')?.value).toBe('ko');
    });

    await test.step('a choice kept in the old cookie (leptos_i18n\'s, no Path) still counts', async () => {
      const page2 = await context.newPage();
      const url = new URL(page.url());
      await context.clearCookies();
      await context.addCookies([{ name: 'i18n_pref_locale', value: 'ko', domain: url.hostname, path: '/' }]);
      await page2.goto('/');
      await expect(htmlLang(page2)).toHaveAttribute('lang', 'ko');
      await page2.close();
      await context.addCookies([{ name: 'classroom_lang', value: 'ko', domain: url.hostname, path: '/' }]);
    });

    await test.step('reload: still Korean (cookie beats Accept-Language)', async () => {
      await page.reload();
      await expect(htmlLang(page)).toHaveAttribute('lang', 'ko');
      await expect(page.getByRole('heading', { level: 1, name: '수업방 만들기' })).toBeVisible();
      await expect(page.getByRole('textbox', { name: '수업 이름' })).toBeVisible();
    });

    await test.step('the room page is Korean too', async () => {
      const { studentLink } = await createRoom(page, '과학', 'ko', { autoAdmit: true });
      await page.goto(studentLink);
      await expect(htmlLang(page)).toHaveAttribute('lang', 'ko');
      await expect(page.getByRole('textbox', { name: '이름', exact: true })).toBeVisible();
      await expect(page.getByRole('combobox', { name: '카메라' })).toBeVisible();
      await expect(page.getByRole('combobox', { name: '마이크' })).toBeVisible();
      await expect(page.getByRole('button', { name: '참여하기', exact: true })).toBeVisible();
      // The creation time, formatted by the browser for Korean ("2026년 11월 24일 …"), not left in UTC.
      await expect(page.getByText(/^개설 \d{4}년 \d{1,2}월 \d{1,2}일/)).toBeVisible();
      // Switching language re-formats it in place.
      await page.getByRole('combobox', { name: '언어' }).selectOption('en');
      await expect(page.getByText(/^Created [A-Z][a-z]+ \d{1,2}, \d{4}/)).toBeVisible();
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    });

    await test.step('the 404 page is Korean too, with status 404', async () => {
      const response = await page.goto('/r/doesnotexist');
      expect(response?.status()).toBe(404);
      await expect(htmlLang(page)).toHaveAttribute('lang', 'ko');
      await expect(page.getByRole('heading', { level: 1, name: '수업방을 찾을 수 없습니다' })).toBeVisible();
      await expect(page.getByRole('link', { name: '새 수업방 만들기' })).toBeVisible();
    });

    await test.step('and back to English', async () => {
      await page.goto('/');
      await expect(async () => {
        await page.getByRole('combobox', { name: '언어' }).selectOption('en');
        await expect(page.getByRole('heading', { level: 1, name: 'Create a room' })).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 20_000 });
      await expect(htmlLang(page)).toHaveAttribute('lang', 'en');
      await page.reload();
      await expect(page.getByRole('textbox', { name: 'Class name' })).toBeVisible();
    });
  });
});
