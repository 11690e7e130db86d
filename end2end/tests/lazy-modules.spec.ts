// The page weight (issue 11): every page loads one WASM module; the call's code and the
// administrator's pages are modules of their own (`cargo leptos --split`). A room link must show a
// working lobby from the first module alone, fetch the call's modules while a name is typed (so Join
// does not wait for them), and never fetch an administrator's page; the admin pages fetch theirs.
import type { Page } from '@playwright/test';
import {
  adminLogin,
  attachOnFailure,
  clickJoin,
  BASE_URL,
  closeAll,
  expect,
  launchParticipant,
  roomByApi,
  selfTile,
  test,
  UI,
  type Participant,
} from './helpers';

const ui = UI.en;

/** The names of the WASM files the page fetches under /pkg, in order. */
function recordModules(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.wasm')) names.push(path.slice('/pkg/'.length));
  });
  return names;
}

const isMain = (n: string) => n.startsWith('classroom.');
const CALL_MODULES = ['split_call_engine.', 'split_call_view.'];
const isCall = (n: string) => CALL_MODULES.some((p) => n.startsWith(p));
const isAdmin = (n: string) => n.startsWith('split___admin');

const people: Record<string, Participant> = {};
test.afterEach(async ({}, testInfo) => {
  await attachOnFailure(testInfo, people);
  await closeAll(Object.values(people));
  for (const k of Object.keys(people)) delete people[k];
});

test('a room link works from the first module; the call modules come while a name is typed', async () => {
  people.minji = await launchParticipant('red');
  const page = people.minji.page;
  const modules = recordModules(page);
  const { studentLink } = await roomByApi(BASE_URL, 'Lazy modules');
  await page.goto(studentLink);
  // The lobby is hydrated and its preview ready: Join is enabled.
  await expect(page.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
  expect(modules.filter(isMain), 'the first module').toHaveLength(1);
  expect(modules.filter((n) => !isMain(n)), 'nothing but the first module before a name is typed').toEqual([]);

  await page.getByRole('textbox', { name: ui.yourName }).fill('Minji');
  await expect
    .poll(() => CALL_MODULES.filter((p) => modules.some((n) => n.startsWith(p))), {
      message: 'the engine and the call view are fetched while the name is typed',
      timeout: 10_000,
    })
    .toHaveLength(2);
  await page.getByRole('button', { name: ui.join, exact: true }).click();
  await expect(selfTile(page, 'Minji')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: ui.leave })).toBeVisible();
  expect(modules.filter(isAdmin), "a student never fetches the administrator's pages").toEqual([]);
});

test('a call module that fails to load ends the join with a message, and Join again loads it', async () => {
  people.jisoo = await launchParticipant('green');
  const page = people.jisoo.page;
  // The network drops every request for the call's modules (and what they share) until told otherwise.
  let blocked = true;
  await page.route(/\/pkg\/(split|chunk)_[^/]*\.wasm$/, (route) => (blocked ? route.abort('failed') : route.continue()));
  const { studentLink } = await roomByApi(BASE_URL, 'Lazy modules blocked');
  await page.goto(studentLink);
  await expect(page.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
  await page.getByRole('textbox', { name: ui.yourName }).fill('Jisoo');
  await page.getByRole('button', { name: ui.join, exact: true }).click();
  await expect(page.getByText('The connection to the class was lost.')).toBeVisible({ timeout: 15_000 });
  blocked = false;
  await page.getByRole('button', { name: ui.joinAgain }).click();
  await clickJoin(page, 'Jisoo');
  await expect(selfTile(page, 'Jisoo')).toBeVisible({ timeout: 20_000 });
  // The page survived the failed load: no panic reached the console.
  expect(people.jisoo.errors.filter((e) => /panicked|unreachable/.test(e))).toEqual([]);
});

test('a page left while the call modules load starts no call', async () => {
  people.yuna = await launchParticipant('green');
  const page = people.yuna.page;
  // The call's modules are held back until the page has gone (a slow network).
  const held: (() => void)[] = [];
  await page.route(/\/pkg\/(split|chunk)_[^/]*\.wasm$/, (route) => held.push(() => void route.continue()));
  const joins: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('"join"') && joins.push(String(f.payload))));
  const { studentLink } = await roomByApi(BASE_URL, 'Lazy modules left');
  await page.goto(studentLink);
  await expect(page.getByRole('button', { name: ui.join, exact: true })).toBeEnabled({ timeout: 20_000 });
  await page.getByRole('textbox', { name: ui.yourName }).fill('Yuna');
  await page.getByRole('button', { name: ui.join, exact: true }).click();
  await expect.poll(() => held.length, { message: 'the call modules were asked for' }).toBeGreaterThan(0);
  // Away to the home page (the brand link: the router, no reload), then the modules arrive.
  await page.getByRole('link', { name: 'Classroom' }).click();
  await expect(page.getByRole('button', { name: ui.createRoom })).toBeVisible();
  for (const go of held.splice(0)) go();
  await page.unroute(/\/pkg\/(split|chunk)_[^/]*\.wasm$/);
  await page.waitForTimeout(1_500);
  expect(joins, 'no join was sent for the page that went away').toEqual([]);
});

test("the administrator's pages fetch their own modules, not the call's", async () => {
  people.admin = await launchParticipant('blue');
  const page = people.admin.page;
  const modules = recordModules(page);
  await adminLogin(page);
  // /admin after the login: its route's module was fetched to hydrate it, and it works (the list's
  // search box is hydrated: typing filters without a reload is covered by admin.spec.ts).
  await expect.poll(() => modules.filter(isAdmin).length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(modules.filter(isMain)).not.toHaveLength(0);
  expect(modules.filter(isCall), "the call's modules are not the administrator's").toEqual([]);
});
