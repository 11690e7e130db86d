// Page instrumentation for the resume specs, installed with `context.addInitScript` before the app's
// own scripts: every WebSocket the page opens (so a test can cut it, or make the next ones fail), the
// signaling messages with their times, and every text the live regions announced. Nothing in the app
// knows about it: wasm-bindgen looks the global `WebSocket` up when it constructs one.
import type { Page } from '@playwright/test';

/** One signaling frame as the page saw it; `at` is Date.now() in the page. */
export interface Frame {
  at: number;
  dir: 'in' | 'out';
  type: string;
  resumed?: boolean;
  code?: string;
  /** For `signal`: the description type or "candidate". */
  kind?: string;
  to?: number;
  token?: string;
}

/** Runs in the page: records sockets, frames and announcements (see the file comment). */
export function instrumentPage() {
  const w = window as any;
  if (w.__sockets) return;
  w.__sockets = [];
  w.__frames = [];
  w.__announcements = [];
  w.__blockSockets = false;
  const Original = w.WebSocket;
  const describe = (dir: string, raw: unknown) => {
    try {
      const m = JSON.parse(String(raw));
      const kind = m.data ? (m.data.kind === 'description' ? m.data.sdp_type : m.data.kind) : undefined;
      w.__frames.push({ at: Date.now(), dir, type: m.type, resumed: m.resumed, code: m.code, kind, to: m.to, token: m.token });
    } catch {
      w.__frames.push({ at: Date.now(), dir, type: '(unparsed)' });
    }
  };
  class RecordedSocket extends Original {
    constructor(url: string, protocols?: string | string[]) {
      // Blocked: a same-origin path that is no WebSocket, so the attempt fails like a server that is
      // away (and no Content-Security-Policy rule is broken by going elsewhere).
      super(w.__blockSockets ? String(url).replace(/\/ws$/, '/ws-blocked-by-test') : url, protocols);
      w.__sockets.push(this);
      this.addEventListener('message', (e: MessageEvent) => describe('in', e.data));
      this.addEventListener('close', (e: CloseEvent) =>
        w.__frames.push({ at: Date.now(), dir: 'in', type: `(closed ${e.code})` }),
      );
    }
    send(data: unknown) {
      describe('out', data);
      super.send(data as any);
    }
  }
  w.WebSocket = RecordedSocket;
  // Live regions: whatever text they show, in order (a later announcement replaces an earlier one on
  // screen, so the screen alone cannot tell what was said).
  new MutationObserver((records) => {
    for (const r of records) {
      const node = r.target.nodeType === Node.TEXT_NODE ? r.target.parentElement : (r.target as Element);
      const live = node?.closest?.('[aria-live]');
      const text = live?.textContent?.trim();
      if (text && w.__announcements[w.__announcements.length - 1] !== text) w.__announcements.push(text);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Closes the page's open signaling socket(s) from the browser side, as a network loss would. */
export async function cutSocket(page: Page): Promise<number> {
  return page.evaluate(() => {
    const cutAt = Date.now();
    for (const ws of (window as any).__sockets as WebSocket[]) if (ws.readyState <= WebSocket.OPEN) ws.close();
    return cutAt;
  });
}

/** While on, every new socket the page opens fails at once (the server seems away). */
export async function blockSockets(page: Page, on: boolean) {
  await page.evaluate((on) => ((window as any).__blockSockets = on), on);
}

export async function frames(page: Page): Promise<Frame[]> {
  return page.evaluate(() => (window as any).__frames);
}

export async function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__announcements);
}

/** How many WebSockets the page has opened so far. */
export async function socketCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).__sockets.length);
}

/** The time (page Date.now()) of the first `joined {resumed: true}` after `since`, or null. */
export async function resumedAt(page: Page, since: number): Promise<number | null> {
  const f = (await frames(page)).find((f) => f.dir === 'in' && f.type === 'joined' && f.resumed && f.at >= since);
  return f?.at ?? null;
}

/** How many RTCPeerConnections the page has created, and how many are not closed. */
export async function peerConnectionCounts(page: Page): Promise<{ created: number; open: number }> {
  return page.evaluate(() => {
    const pcs: RTCPeerConnection[] = (window as any).__pcs ?? [];
    return { created: pcs.length, open: pcs.filter((pc) => pc.connectionState !== 'closed').length };
  });
}

/** The `a=ice-ufrag` of each open peer connection's local description: a new one means ICE restarted. */
export async function localUfrags(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ((window as any).__pcs as RTCPeerConnection[])
      .filter((pc) => pc.connectionState !== 'closed')
      .map((pc) => /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? ''),
  );
}
