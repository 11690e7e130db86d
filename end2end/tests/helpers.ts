// Shared helpers for the Classroom end-to-end tests. Everything is located by role and accessible
// name (the UI contract), never by CSS path.
import {
  test as base,
  chromium,
  expect,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Page,
  type Response,
  type TestInfo,
} from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_ARGS, CHROMIUM_PATH, FAKE_UI_FLAG, recordPeerConnections } from '../lib/chromium.mjs';
import { CLIP_NAMES, COLOURS, writeClips } from '../scripts/make-y4m.mjs';

export type Colour = keyof typeof COLOURS;
export const BASE_URL = process.env.CLASSROOM_URL || 'http://127.0.0.1:3000';

// ---------------------------------------------------------------------------------------------------
// Content-Security-Policy guard. Every spec imports `test` and `expect` from here, not from
// @playwright/test: this `test` watches every browser context a test opens (the `page`/`context`
// fixtures, `browser.newContext()`/`browser.newPage()`, and launchParticipant's own Chromium) and fails
// the test if any page reported a CSP violation. Two sources, so that no-JS pages are covered too:
//  - the `securitypolicyviolation` DOM event, sent to Node by an init script (JavaScript pages);
//  - Chromium's console error "Executing inline script / Applying inline style / Refused to frame …
//    violates the following Content Security Policy directive …", logged with or without JavaScript.
// A test that provokes a violation on purpose takes it out of the `cspViolations` fixture
// (security.spec.ts and security.nojs.spec.ts do, to prove the guard works).
// ---------------------------------------------------------------------------------------------------

/** Violations seen during the current test (workers run one test at a time). */
const cspViolations: string[] = [];
const watchedContexts = new WeakSet<BrowserContext>();
const CSP_CONSOLE = /Content[ -]Security[ -]Policy/i;

/** Runs in every page before its own scripts: forwards each CSP violation event to Node. */
function listenForCspViolations() {
  const report = (window as any).__reportCspViolation;
  if (typeof report !== 'function') return;
  document.addEventListener(
    'securitypolicyviolation',
    (e: SecurityPolicyViolationEvent) =>
      report({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : '',
        disposition: e.disposition,
      }),
    true,
  );
}

/** Starts recording CSP violations of every page in `context` (idempotent). */
export async function watchCsp(context: BrowserContext): Promise<void> {
  if (watchedContexts.has(context)) return;
  watchedContexts.add(context);
  context.on('console', (m) => {
    if (CSP_CONSOLE.test(m.text())) cspViolations.push(`console.${m.type()} on ${m.page()?.url() ?? '?'}: ${m.text()}`);
  });
  await context.exposeBinding('__reportCspViolation', ({ page }, v: Record<string, string>) => {
    cspViolations.push(
      `securitypolicyviolation on ${page.url()}: ${v.directive} blocked ${v.blocked || '(inline)'}` +
        `${v.sample ? ` "${v.sample}"` : ''}${v.source ? ` at ${v.source}` : ''} (${v.disposition})`,
    );
  });
  await context.addInitScript(listenForCspViolations);
}

/** Makes `browser.newContext()` (and so `browser.newPage()`, which uses it) watch what it creates. */
function watchContextsOf(browser: Browser) {
  if ((browser as any).__cspWatched) return;
  (browser as any).__cspWatched = true;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await watchCsp(context);
    return context;
  };
}

export const test = base.extend<{ cspViolations: string[]; cspGuard: void }>({
  context: async ({ context }, use) => {
    await watchCsp(context);
    await use(context);
  },
  /** What the guard has collected so far in this test; splice out the violations a test expects. */
  cspViolations: async ({}, use) => use(cspViolations),
  cspGuard: [
    async ({ browser }, use, testInfo) => {
      watchContextsOf(browser);
      cspViolations.length = 0;
      await use();
      const found = cspViolations.splice(0);
      if (found.length === 0) return;
      const text = found.map((v) => `- ${v}`).join('\n');
      await testInfo.attach('csp-violations.txt', { body: text, contentType: 'text/plain' });
      throw new Error(`${found.length} Content-Security-Policy violation(s):\n${text}`);
    },
    { auto: true },
  ],
});
export { expect };

export type Lang = 'en' | 'ko';
/** Browser locale (sent as Accept-Language) that makes the server pick each language. */
export const LOCALE: Record<Lang, string> = { en: 'en-US', ko: 'ko-KR' };
/**
 * The UI strings the helpers locate elements by, written out (not read from locales/) so that a
 * changed translation is noticed by the tests.
 */
export const UI = {
  en: {
    language: 'Language', className: 'Class name', createRoom: 'Create room', studentLink: 'Student link',
    teacherLink: 'Teacher link', yourName: 'Your name', camera: 'Camera', microphone: 'Microphone', join: 'Join',
    you: (name: string) => `${name} (you)`, mute: 'Mute microphone', unmute: 'Unmute microphone',
    micOff: 'Microphone off', leave: 'Leave', youLeft: 'You left the class', joinAgain: 'Join again',
    notFound: 'Room not found', homeTitle: 'Create a room', roomFull: 'This room is full',
    autoAdmit: 'Let students in automatically',
    adminPassword: 'Password', adminLogIn: 'Log in', adminLogOut: 'Log out',
  },
  ko: {
    language: '언어', className: '수업 이름', createRoom: '수업방 만들기', studentLink: '학생용 링크',
    teacherLink: '교사용 링크', yourName: '이름', camera: '카메라', microphone: '마이크', join: '참여하기',
    you: (name: string) => `${name} (나)`, mute: '마이크 끄기', unmute: '마이크 켜기',
    micOff: '마이크 꺼짐', leave: '나가기', youLeft: '수업에서 나갔습니다', joinAgain: '다시 참여하기',
    notFound: '수업방을 찾을 수 없습니다', homeTitle: '수업방 만들기', roomFull: '수업방이 가득 찼습니다',
    autoAdmit: '학생 자동 입장',
    adminPassword: '비밀번호', adminLogIn: '로그인', adminLogOut: '로그아웃',
  },
} as const;

export interface Participant {
  colour: Colour;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, attached to the report when a test fails. */
  errors: string[];
}

/** Directory with the Y4M clips: run.sh makes them; a direct `npx playwright test` makes its own. */
function y4mDir(): string {
  const dir = process.env.CLASSROOM_Y4M_DIR || join(tmpdir(), 'classroom-e2e-y4m');
  if (!CLIP_NAMES.every((c) => existsSync(join(dir, `${c}.y4m`)))) writeClips(dir);
  return dir;
}

/**
 * A separate Chromium process (so each one can have its own fake camera picture) with one page.
 * `denyPermissions`: no auto-accepted prompt and no granted permissions, as for a person who said no.
 * `noMicrophone`: the camera allowed, the microphone refused (a student who joins on camera only;
 * it also spares the machine a captured, echo-cancelled microphone per browser).
 */
export async function launchParticipant(
  colour: Colour,
  opts: { denyPermissions?: boolean; noMicrophone?: boolean; locale?: string; moving?: boolean } = {},
): Promise<Participant> {
  // `moving`: the 640x360 noise clip instead of the colour (a camera that costs real bandwidth).
  const clip = opts.moving ? 'moving' : colour;
  const args = [...BASE_ARGS, `--use-file-for-fake-video-capture=${join(y4mDir(), `${clip}.y4m`)}`];
  const refuses = opts.denyPermissions || opts.noMicrophone;
  args.push(refuses ? '--deny-permission-prompts' : FAKE_UI_FLAG);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args });
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: opts.locale ?? 'en-US',
    // Also needed by receive-only peers: without it Chromium hides loopback ICE candidates.
    permissions: opts.denyPermissions ? [] : opts.noMicrophone ? ['camera'] : ['camera', 'microphone'],
  });
  await watchCsp(context);
  await context.addInitScript(recordPeerConnections);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (['error', 'warning', 'debug'].includes(m.type())) errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { colour, browser, context, page, errors };
}

/** Closes every participant's browser; never throws (used in finally blocks). */
export async function closeAll(participants: Participant[]): Promise<void> {
  await Promise.all(participants.map((p) => p.browser.close().catch(() => {})));
}

/**
 * On failure: console errors and peer connection states of every participant, written to test-results/
 * (attached, so reporters list them) and printed, for CI logs. Playwright's `screenshot: 'only-on-failure'`
 * already captures every open page.
 */
export async function attachOnFailure(testInfo: TestInfo, participants: Record<string, Participant>) {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const [who, p] of Object.entries(participants)) {
    const pcs = await peerConnectionSummary(p.page).catch((e) => [`(unavailable: ${e})`]);
    const text = [`== ${who}: ${p.page.url()}`, 'peer connections:', ...pcs, 'errors:', ...p.errors].join('\n');
    console.error(text);
    writeFileSync(testInfo.outputPath(`${who}.txt`), text);
    await testInfo.attach(`${who}.txt`, { path: testInfo.outputPath(`${who}.txt`), contentType: 'text/plain' });
  }
}

/** One line per recorded RTCPeerConnection (closed ones too): states and inbound video counters. */
export async function peerConnectionSummary(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const pcs: RTCPeerConnection[] = (window as any).__pcs ?? [];
    return Promise.all(
      pcs.map(async (pc, i) => {
        let video = '';
        (await pc.getStats()).forEach((r: any) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video')
            video += ` in-video(received=${r.packetsReceived ?? 0}, decoded=${r.framesDecoded ?? 0})`;
        });
        return `#${i} ${pc.connectionState} ice=${pc.iceConnectionState} signaling=${pc.signalingState}${video}`;
      }),
    );
  });
}

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

export const tile = (page: Page, name: string) => page.getByRole('figure', { name, exact: true });
export const selfTile = (page: Page, name: string, lang: Lang = 'en') => tile(page, UI[lang].you(name));
/**
 * Mutes `page`'s microphone with its button and waits for the button to offer unmuting. (How fast
 * the button answers is call.spec's "answers at once"; here eight starved browsers may take a few
 * seconds to draw anything.)
 */
export async function muteMicrophone(page: Page) {
  await page.getByRole('button', { name: UI.en.mute }).click();
  await expect(page.getByRole('button', { name: UI.en.unmute })).toBeVisible({ timeout: 10_000 });
}

export const participantsList = (page: Page) => page.getByRole('list', { name: 'Participants' });
export const participantEntry = (page: Page, name: string) =>
  participantsList(page).getByRole('listitem').filter({ hasText: new RegExp(`\\b${name}\\b`) });

/** framesDecoded of the inbound video of every open RTCPeerConnection in the page (see lib/chromium.mjs). */
export async function decodedFramesPerPc(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const pcs: RTCPeerConnection[] = (window as any).__pcs ?? [];
    const result: number[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      let frames = 0;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
      result.push(frames);
    }
    return result;
  });
}

/** Video keeps arriving: the frames decoded over every open link grow by `by` within `timeout`. */
export async function expectFramesRising(page: Page, what: string, by = 15, timeout = 10_000) {
  const total = async () => (await decodedFramesPerPc(page)).reduce((a, b) => a + b, 0);
  const before = await total();
  await expect
    .poll(async () => (await total()) - before, { message: `${what}: frames decoded keep rising`, timeout })
    .toBeGreaterThanOrEqual(by);
}

/** Local SDP of each open peer connection: unchanged SDP means no renegotiation happened. */
export async function localSdps(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ((window as any).__pcs as RTCPeerConnection[])
      .filter((pc) => pc.connectionState !== 'closed')
      .map((pc) => pc.localDescription?.sdp ?? ''),
  );
}

export interface TileColour {
  videoWidth: number;
  /** Average RGB of the centre half of the current frame; null until a frame has arrived. */
  rgb: [number, number, number] | null;
}

/** Reads the picture currently shown in the tile `name` by drawing its video on a canvas. */
export async function tileColour(page: Page, name: string, timeout = 5_000): Promise<TileColour> {
  return tile(page, name)
    .locator('video')
    .evaluate((video: HTMLVideoElement) => {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return { videoWidth: w, rgb: null };
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(video, 0, 0, w, h);
      const data = ctx.getImageData(Math.floor(w / 4), Math.floor(h / 4), Math.floor(w / 2), Math.floor(h / 2)).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) {
        sum[0] += data[i];
        sum[1] += data[i + 1];
        sum[2] += data[i + 2];
      }
      const n = data.length / 4;
      return { videoWidth: w, rgb: sum.map((s) => Math.round(s / n)) as [number, number, number] };
    }, undefined, { timeout });
}

/**
 * Names the colour: the clip colour within tolerance (VP8 and YUV↔RGB shift values a little),
 * else "rgb(r,g,b)", so a failed expectation says what was seen.
 */
export function colourName(rgb: [number, number, number] | null, tolerance = 80): string {
  if (!rgb) return 'no frame';
  for (const [name, ref] of Object.entries(COLOURS)) {
    if (ref.every((c, i) => Math.abs(c - rgb[i]) <= tolerance)) return name;
  }
  return `rgb(${rgb.join(',')})`;
}

/** Waits until the tile `name` in `page` shows a decoded picture of colour `colour`. */
export async function expectTileColour(page: Page, name: string, colour: Colour, timeout = 20_000) {
  await expect
    .poll(
      async () => {
        try {
          const t = await tileColour(page, name, 2_000);
          return t.videoWidth > 0 ? colourName(t.rgb) : 'videoWidth 0';
        } catch (e) {
          return `error: ${(e as Error).message.split('\n')[0]}`;
        }
      },
      { message: `tile "${name}" shows ${colour}`, timeout },
    )
    .toBe(colour);
}

/** The CSP of `res` (a page or API response), as a directive → value map, and its nonce. */
export function parseCsp(res: Response | APIResponse | null) {
  const header = res?.headers()['content-security-policy'];
  expect(header, 'Content-Security-Policy header').toBeTruthy();
  const directives = new Map<string, string>();
  for (const part of header!.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values.join(' '));
  }
  const nonce = directives.get('script-src')?.match(/'nonce-([^']+)'/)?.[1];
  return { header: header!, directives, nonce };
}

/** Every CSP promise of the hardening issue, for a page (with nonce) or anything else. */
export function expectPolicy(res: Response | APIResponse | null, { page }: { page: boolean }) {
  const { header, directives, nonce } = parseCsp(res);
  expect(directives.get('default-src')).toBe("'self'");
  const scripts = directives.get('script-src') ?? '';
  expect(scripts.split(' ')).toEqual(
    expect.arrayContaining(["'self'", "'wasm-unsafe-eval'", ...(page ? [`'nonce-${nonce}'`] : [])]),
  );
  // Never inline or eval for scripts ('wasm-unsafe-eval' only allows compiling WebAssembly).
  expect(scripts).not.toMatch(/'unsafe-inline'|(?<!wasm-)'unsafe-eval'|\*|data:/);
  if (page) expect(nonce, 'a nonce of at least 128 bits').toMatch(/^[A-Za-z0-9+/_=-]{22,}$/);
  else expect(nonce, 'no nonce outside pages').toBeUndefined();
  expect(directives.get('style-src')).toBe("'self'");
  expect(directives.get('connect-src')).toBe("'self'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(directives.get('base-uri')).toBe("'none'");
  expect(directives.get('form-action')).toBe("'self'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(header).not.toContain('unsafe-inline');
  const headers = res!.headers();
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  // No Referer ever leaves for another site. (`no-referrer` also makes Chromium send `Origin: null`
  // with the no-JS form post, which the origin check refuses; `same-origin` does not.)
  expect(headers['referrer-policy'], 'Referrer-Policy').toBe('same-origin');
  const permissions = headers['permissions-policy'] ?? '';
  for (const feature of ['camera=(self)', 'microphone=(self)', 'display-capture=(self)'])
    expect(permissions).toContain(feature);
  return nonce;
}

/** The local port of the page's connection to the media peer (where its media arrives). */
export async function mediaPort(page: Page): Promise<number> {
  return page.evaluate(async () => {
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      let port = 0;
      stats.forEach((r: any) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return;
        const pair = stats.get(r.selectedCandidatePairId);
        port = stats.get(pair?.localCandidateId)?.port ?? 0;
      });
      if (port) return port;
    }
    return 0;
  });
}
