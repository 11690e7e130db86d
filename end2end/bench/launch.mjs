// One Chromium per benchmark participant, with its own fake camera colour and the peer-connection
// recorder (plus any extra init scripts). Shared by the bench/*.mjs scripts.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, recordPeerConnections } from '../lib/chromium.mjs';
import { writeClips } from '../scripts/make-y4m.mjs';

export const BASE_URL = process.env.CLASSROOM_URL || 'http://127.0.0.1:3000';
const Y4M_DIR = process.env.CLASSROOM_Y4M_DIR || join(tmpdir(), 'classroom-e2e-y4m');

/** @param {string} colour @param {Function[]} initScripts */
export async function launch(colour, initScripts = []) {
  if (!existsSync(join(Y4M_DIR, 'green.y4m'))) writeClips(Y4M_DIR);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${join(Y4M_DIR, `${colour}.y4m`)}`],
  });
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'en-US', permissions: ['camera', 'microphone'] });
  for (const script of [recordPeerConnections, ...initScripts]) await context.addInitScript(/** @type {any} */ (script));
  return { browser, page: await context.newPage() };
}
