// Browser launch: one Chromium per participant with its own fake camera, and what to report of them
// when a test fails.
import { chromium, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_ARGS, CHROMIUM_PATH, FAKE_UI_FLAG, recordPeerConnections } from '../lib/chromium.mjs';
import { CLIP_NAMES, COLOURS, writeClips } from '../scripts/make-y4m.mjs';
import { watchCsp } from './csp-guard';

export type Colour = keyof typeof COLOURS;
export const BASE_URL = process.env.CLASSROOM_URL || 'http://127.0.0.1:3000';

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
