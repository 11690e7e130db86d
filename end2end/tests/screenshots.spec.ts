// Screenshots of every page at phone (360×740) and desktop (1280×800) width, in English and Korean,
// saved as test-results/screenshots/<page>-<width>-<lang>.png for people to look at. Each one also
// checks what a screenshot would show going wrong: nothing wider than a phone, controls on screen.
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { clickJoin, createRoom, expect, joinCall, LOCALE, selfTile, test, tile, UI, type Lang } from './helpers';

const SIZES = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
] as const;

/** Waits until every video in the page that should show something has a decoded frame. */
async function videosPlaying(page: Page) {
  await expect
    .poll(
      () =>
        page.getByRole('figure').locator('video').evaluateAll((videos: HTMLVideoElement[]) =>
          videos.every((v) => v.videoWidth > 0 || getComputedStyle(v).visibility === 'hidden'),
        ),
      { message: 'every visible tile shows video', timeout: 20_000 },
    )
    .toBe(true);
}

async function shoot(page: Page, name: string, lang: Lang, opts: { call?: boolean } = {}) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await test.step(`${name}-${size.width}-${lang}`, async () => {
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect.soft(scrollWidth, `${name} at ${size.width}px: no horizontal scrolling`).toBeLessThanOrEqual(size.width);
      if (opts.call) {
        // The controls bar is fixed at the bottom: every button must be fully on screen.
        for (const button of await page.getByRole('toolbar').getByRole('button').all()) {
          const box = await button.boundingBox();
          const label = await button.textContent();
          expect.soft(box, `${label} has a box`).not.toBeNull();
          if (!box) continue;
          expect.soft(box.x >= 0 && box.x + box.width <= size.width, `${label} within the width`).toBe(true);
          expect.soft(box.y >= 0 && box.y + box.height <= size.height, `${label} within the height`).toBe(true);
        }
      }
      await page.screenshot({
        path: `test-results/screenshots/${name}-${size.width}-${lang}.png`,
        // The call's controls are fixed to the viewport: show the screen as the person sees it.
        fullPage: !opts.call,
        animations: 'disabled',
      });
    });
  }
}

/** Without a Korean font the ko screenshots show empty boxes (tofu): say so instead of failing. */
function warnWithoutKoreanFont() {
  let fonts = '';
  try {
    fonts = execFileSync('fc-list', [':lang=ko', 'family'], { encoding: 'utf8' });
  } catch {}
  if (fonts.trim()) return;
  const description = 'no Korean font installed (fc-list :lang=ko is empty): Korean text in the screenshots shows as boxes; install e.g. Debian fonts-noto-cjk';
  test.info().annotations.push({ type: 'warning', description });
  console.warn(`warning: ${description}`);
}

for (const lang of ['en', 'ko'] as const) {
  const ui = UI[lang];
  const [me, other] = lang === 'ko' ? ['김민지', '이준호'] : ['Minji', 'Joon'];

  test(`${lang}: every page at 360 and 1280 px`, async ({ browser }) => {
    test.setTimeout(120_000);
    if (lang === 'ko') warnWithoutKoreanFont();
    const open = async () =>
      (await browser.newContext({ locale: LOCALE[lang], permissions: ['camera', 'microphone'] })).newPage();
    const [a, b] = [await open(), await open()];
    try {
      await a.goto('/');
      await expect(a.getByRole('heading', { level: 1, name: ui.homeTitle })).toBeVisible();
      await shoot(a, 'home', lang);

      const className = lang === 'ko' ? '초등학교 3학년 1반 과학 탐구 수업' : 'Grade 3, class 1: science project';
      const { studentLink } = await createRoom(a, className, lang, { autoAdmit: true });
      await expect(a.getByRole('button', { name: lang === 'ko' ? '학생용 링크 복사' : 'Copy student link' })).toBeVisible();
      await shoot(a, 'home-links', lang);

      await a.goto(studentLink);
      await expect(a.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
      await videosPlaying(a);
      await shoot(a, 'lobby', lang);

      await clickJoin(a, me, lang);
      await expect(selfTile(a, me, lang)).toBeVisible({ timeout: 20_000 });
      await joinCall(b, studentLink, other, lang);
      await expect(tile(a, other)).toBeVisible({ timeout: 20_000 });
      await b.getByRole('button', { name: ui.mute }).click(); // shows a "microphone off" mark on a's screen
      await expect(tile(a, other).getByRole('img', { name: ui.micOff })).toBeVisible();
      await videosPlaying(a);
      await shoot(a, 'call', lang, { call: true });

      await tile(a, other).getByRole('button').click(); // enlarge the other person
      await videosPlaying(a);
      await shoot(a, 'call-enlarged', lang, { call: true });

      await a.getByRole('button', { name: ui.leave }).click();
      await expect(a.getByText(ui.youLeft)).toBeVisible();
      await shoot(a, 'left', lang);

      expect((await a.goto('/r/doesnotexist'))?.status()).toBe(404);
      await expect(a.getByRole('heading', { level: 1, name: ui.notFound })).toBeVisible();
      await shoot(a, '404', lang);
    } finally {
      await Promise.all([a.context().close(), b.context().close()]);
    }
  });
}
