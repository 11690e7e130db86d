// Chromium settings shared by playwright.config.ts, tests/participants.ts and bench/*.mjs.
// Debian's Chromium is used because `npx playwright install` cannot download browsers here.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags every browser gets, except the fake-permission-UI one (see FAKE_UI_FLAG). */
export const BASE_ARGS = [
  '--headless',
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  // Without this Chromium gathers no ICE candidates on loopback (the only interface in the netns).
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/** Auto-accepts camera/microphone prompts. Dropped (and --deny-permission-prompts added) to test denial. */
export const FAKE_UI_FLAG = '--use-fake-ui-for-media-stream';

export const CHROMIUM_ARGS = [...BASE_ARGS, FAKE_UI_FLAG];

/**
 * Runs in every page before its own scripts: records each RTCPeerConnection in window.__pcs so
 * tests can read getStats() without any test hook in the app. wasm-bindgen resolves the global
 * `RTCPeerConnection` when it constructs one, so replacing it here is enough.
 */
export function recordPeerConnections() {
  const w = /** @type {any} */ (window);
  if (w.__pcs) return;
  w.__pcs = [];
  const Original = w.RTCPeerConnection;
  if (!Original) return;
  class RecordedPeerConnection extends Original {
    /** @param {any[]} args */
    constructor(...args) {
      super(...args);
      w.__pcs.push(this);
    }
  }
  w.RTCPeerConnection = RecordedPeerConnection;
}
