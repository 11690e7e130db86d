// axe-core on every page state, in English and Korean (and without JavaScript, and in dark mode).
// A "serious" or "critical" violation fails the test; the message names the rule, the help page and
// every failing element so that a developer can fix it. Milder findings are attached, not fatal.
import type { Browser } from '@playwright/test';
import { checkA11y } from './axe';
import { clickJoin, createRoom, expect, joinCall, LOCALE, selfTile, test, tile, UI, type Lang } from './helpers';

const newPage = async (browser: Browser, lang: Lang) =>
  (await browser.newContext({ locale: LOCALE[lang], permissions: ['camera', 'microphone'] })).newPage();

for (const lang of ['en', 'ko'] as const) {
  const ui = UI[lang];

  test(`${lang}: every page state has no serious accessibility violation`, async ({ browser }) => {
    test.setTimeout(120_000);
    const [a, b] = [await newPage(browser, lang), await newPage(browser, lang)];
    try {
      await a.goto('/');
      await expect(a.getByRole('heading', { level: 1, name: ui.homeTitle })).toBeVisible();
      await checkA11y(a, `${lang} home`);

      const { studentLink } = await createRoom(a, lang === 'ko' ? '3학년 1반 수학' : 'Math 3-1', lang, { autoAdmit: true });
      await expect(a.getByRole('button', { name: lang === 'ko' ? '학생용 링크 복사' : 'Copy student link' })).toBeVisible();
      await checkA11y(a, `${lang} home with links`);

      await a.goto(studentLink);
      await expect(a.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
      await expect.poll(() => a.getByRole('combobox', { name: ui.camera }).getByRole('option').count()).toBeGreaterThan(0);
      await checkA11y(a, `${lang} lobby`);

      await clickJoin(a, lang === 'ko' ? '민지' : 'Minji', lang);
      await expect(selfTile(a, lang === 'ko' ? '민지' : 'Minji', lang)).toBeVisible({ timeout: 20_000 });
      await checkA11y(a, `${lang} call alone`);

      await joinCall(b, studentLink, lang === 'ko' ? '준' : 'Joon', lang);
      await expect(tile(a, lang === 'ko' ? '준' : 'Joon')).toBeVisible({ timeout: 20_000 });
      await a.getByRole('button', { name: ui.mute }).click(); // also shows the "mic off" marks
      await expect(tile(b, lang === 'ko' ? '민지' : 'Minji').getByRole('img', { name: ui.micOff })).toBeVisible();
      await checkA11y(a, `${lang} call with 2 (self muted)`);
      await checkA11y(b, `${lang} call with 2 (other muted)`);

      await b.getByRole('button', { name: ui.leave }).click();
      await expect(b.getByText(ui.youLeft)).toBeVisible();
      await checkA11y(b, `${lang} left the class`);

      const response = await a.goto('/r/doesnotexist');
      expect(response?.status()).toBe(404);
      await expect(a.getByRole('heading', { level: 1, name: ui.notFound })).toBeVisible();
      await checkA11y(a, `${lang} 404`);
    } finally {
      await Promise.all([a.context().close(), b.context().close()]);
    }
  });
}

// The classroom's own screens: a student's waiting screen, the teacher's panels with someone waiting,
// a raised hand and a chat message, and the ended screens (removed, class ended), in both languages and
// in dark mode for the teacher.
for (const lang of ['en', 'ko'] as const) {
  test(`${lang}: classroom screens have no serious accessibility violation`, async ({ browser }) => {
    test.setTimeout(150_000);
    const t = await newPage(browser, lang);
    const s = await newPage(browser, lang);
    const dark = await browser.newPage({ colorScheme: 'dark', locale: LOCALE[lang], permissions: ['camera', 'microphone'] });
    const ko = lang === 'ko';
    try {
      const { studentLink, teacherLink } = await createRoom(t, ko ? '과학' : 'Science', lang);
      await joinCall(t, teacherLink, ko ? '김 선생님' : 'Ms Kim', lang);
      await s.goto(studentLink);
      await clickJoin(s, ko ? '민지' : 'Minji', lang);
      const waiting = ko ? '선생님이 입장을 허락할 때까지 기다려 주세요' : 'Waiting for the teacher to let you in';
      await expect(s.getByRole('heading', { name: waiting })).toBeVisible({ timeout: 20_000 });
      await checkA11y(s, `${lang} student waiting`);
      const admit = t.getByRole('button', { name: ko ? '입장 허락' : 'Admit', exact: true });
      await expect(admit).toBeVisible();
      await checkA11y(t, `${lang} teacher with a knock`);
      await admit.click();
      await expect(selfTile(s, ko ? '민지' : 'Minji', lang)).toBeVisible({ timeout: 20_000 });
      await s.getByRole('button', { name: ko ? '손 들기' : 'Raise hand' }).click();
      await s.getByRole('textbox', { name: ko ? '메시지' : 'Message' }).fill(ko ? '질문 있어요 https://example.com' : 'A question https://example.com');
      await s.getByRole('button', { name: ko ? '보내기' : 'Send', exact: true }).click();
      await expect(t.getByRole('log')).toContainText('https://example.com');
      await t.getByRole('button', { name: ko ? '마이크 잠금' : 'Lock microphones' }).click();
      await checkA11y(t, `${lang} teacher with a hand and a chat line`);
      await checkA11y(s, `${lang} student in class, microphones locked`);
      await dark.goto(teacherLink);
      await clickJoin(dark, ko ? '이 선생님' : 'Mr Lee', lang);
      await expect(dark.getByRole('log')).toContainText('https://example.com', { timeout: 20_000 });
      await checkA11y(dark, `${lang} dark teacher`);
      await t.getByRole('button', { name: ko ? '학생 전체 음소거' : 'Mute all students' }).click();
      await t.getByRole('button', { name: ko ? '모두의 수업 종료' : 'End class for everyone' }).click();
      await checkA11y(t, `${lang} end class confirmation`);
      await t.getByRole('alertdialog').getByRole('button', { name: ko ? '모두의 수업 종료' : 'End class for everyone' }).click();
      await expect(s.getByText(ko ? '수업이 끝났습니다.' : 'The class has ended.')).toBeVisible({ timeout: 15_000 });
      await checkA11y(s, `${lang} class ended`);
    } finally {
      await Promise.all([t.context().close(), s.context().close(), dark.context().close()]);
    }
  });
}

// The preview in the lobby is a figure named like a call tile, "NAME (you)", with the name still
// empty: screen readers announce a figure called "(you)". It needs a name of its own.
test('the lobby preview has a meaningful accessible name', async ({ page, context }) => {
  await context.grantPermissions(['camera', 'microphone']);
  const { studentLink } = await createRoom(page, 'Preview', 'en', { autoAdmit: true });
  await page.goto(studentLink);
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeEnabled({ timeout: 20_000 });
  const preview = page.getByRole('main').getByRole('figure');
  await expect(preview).toHaveCount(1);
  await expect(preview).not.toHaveAccessibleName(/^\s*(\(you\))?\s*$/);
});

test('room full screen (en and ko) has no serious accessibility violation', async ({ browser }) => {
  test.setTimeout(150_000);
  const pages = await Promise.all(['en', 'en', 'en', 'en', 'ko'].map((l) => newPage(browser, l as Lang)));
  try {
    const [one, two, three, en, ko] = pages;
    const { studentLink } = await createRoom(one, 'Full class', 'en', { autoAdmit: true });
    await joinCall(one, studentLink, 'One');
    await joinCall(two, studentLink, 'Two');
    await joinCall(three, studentLink, 'Three'); // the e2e server's capacity is 3
    for (const [page, lang] of [[en, 'en'], [ko, 'ko']] as const) {
      await page.goto(studentLink);
      await clickJoin(page, 'Four', lang);
      await expect(page.getByRole('alert').filter({ hasText: UI[lang].roomFull })).toBeVisible({ timeout: 15_000 });
      await checkA11y(page, `${lang} room full`);
    }
  } finally {
    await Promise.all(pages.map((p) => p.context().close()));
  }
});

// The call while its connection is lost: Playwright plays the server on /ws, answers the join, then
// drops the socket and never answers the resume, so "Reconnecting…" stays on screen.
test('a call that is reconnecting (en, ko, dark) has no serious accessibility violation', async ({ browser }) => {
  const text: Record<Lang, string> = { en: 'Reconnecting…', ko: '다시 연결하는 중…' };
  for (const [lang, colorScheme] of [['en', 'light'], ['ko', 'light'], ['en', 'dark']] as const) {
    const context = await browser.newContext({ locale: LOCALE[lang], colorScheme, permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    try {
      const res = await page.request.post('/api/rooms', { data: { name: 'Lost class' } });
      const { id } = await res.json();
      await page.routeWebSocket('**/ws', (ws) => {
        ws.onMessage((raw) => {
          const msg = JSON.parse(String(raw));
          if (msg.type !== 'join') return; // a resume: no answer
          ws.send(JSON.stringify({
            type: 'joined', you: 5, role: 'student', room: { id, name: 'Lost class', capacity: 6 }, peers: [],
            ice_servers: [], topology: 'mesh', resume: 'r'.repeat(43),
          }));
          setTimeout(() => void ws.close({ code: 4000, reason: 'lost' }), 500);
        });
      });
      await page.goto(`/r/${id}`);
      await clickJoin(page, 'Minji', lang);
      await expect(selfTile(page, 'Minji', lang)).toBeVisible({ timeout: 20_000 });
      await expect(page.getByText(text[lang], { exact: true })).toBeVisible({ timeout: 10_000 });
      await checkA11y(page, `${lang} ${colorScheme} reconnecting`);
    } finally {
      await context.close();
    }
  }
});

// Server-rendered pages as a browser without JavaScript gets them. A `javaScriptEnabled: false` context
// cannot be used: axe's source can be evaluated there, but `axe.run` waits on timers and promise jobs,
// which never run with JavaScript disabled (the evaluate hangs until the test times out). So the app's
// own scripts and WASM are blocked instead: the page is never hydrated, forms post the plain way.
// (The one difference: <noscript> content is not shown, since JavaScript itself is on.)
test.describe('server-rendered, app scripts blocked', () => {
  for (const lang of ['en', 'ko'] as const) {
    test(`${lang}: home, links, lobby and 404 have no serious accessibility violation`, async ({ browser }) => {
      const context = await browser.newContext({ locale: LOCALE[lang] });
      await context.route(/\.(js|wasm)(\?.*)?$/, (route) => route.abort());
      const page = await context.newPage();
      try {
        await page.goto('/');
        await checkA11y(page, `${lang} no-JS home`);
        await page.getByRole('textbox', { name: UI[lang].className }).fill('History');
        await page.getByRole('button', { name: UI[lang].createRoom }).click();
        const student = page.getByRole('textbox', { name: UI[lang].studentLink });
        await expect(student).toBeVisible();
        await checkA11y(page, `${lang} no-JS home with links`);
        await page.goto(new URL(await student.inputValue(), page.url()).href);
        await expect(page.getByRole('textbox', { name: UI[lang].yourName })).toBeVisible();
        await checkA11y(page, `${lang} no-JS lobby`);
        expect((await page.goto('/r/doesnotexist'))?.status()).toBe(404);
        await checkA11y(page, `${lang} no-JS 404`);
      } finally {
        await context.close();
      }
    });
  }
});

test.describe('dark colour scheme', () => {
  test('home, links, lobby and 404 have no serious accessibility violation', async ({ browser }) => {
    const page = await browser.newPage({ colorScheme: 'dark', permissions: ['camera', 'microphone'] });
    try {
      await page.goto('/');
      await checkA11y(page, 'dark home');
      const { studentLink } = await createRoom(page, 'Night class', 'en', { autoAdmit: true });
      await checkA11y(page, 'dark home with links');
      await page.goto(studentLink);
      await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeEnabled({ timeout: 20_000 });
      await checkA11y(page, 'dark lobby');
      await page.goto('/r/doesnotexist');
      await checkA11y(page, 'dark 404');
    } finally {
      await page.context().close();
    }
  });
});
