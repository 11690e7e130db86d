// What sfu-view.spec.ts reads off a page: the signaling messages it sent and received (`Wire`), the
// simulcast encodings it sends, what it decodes, and which tiles and speaking marks it shows.
import type { Page } from '@playwright/test';
import { tile } from './helpers';

/** What a page's signaling socket carried, parsed: sent and received messages in order. */
export interface Wire {
  sent: any[];
  received: any[];
}

/** Everyone's peer id by name, as the page was told (`joined`, `peer_joined`). */
export function idsByName(wire: Wire): Record<string, number> {
  const ids: Record<string, number> = {};
  for (const m of wire.received) {
    if (m?.type === 'joined') for (const p of m.peers) ids[p.name] = p.id;
    if (m?.type === 'peer_joined') ids[m.peer.name] = m.peer.id;
  }
  return ids;
}

/** The last `view` the page sent, as {peer: quality}, or null before any. */
export function lastView(wire: Wire): Record<number, string> | null {
  const views = wire.sent.filter((m) => m?.type === 'view');
  if (!views.length) return null;
  return Object.fromEntries(views[views.length - 1].tiles.map((t: any) => [t.peer, t.quality]));
}

/** The names of the remote camera tiles the page shows (visible figures, our own and screens left out). */
export async function visibleTiles(page: Page, me: string): Promise<string[]> {
  const names = await page.getByRole('figure').evaluateAll((figures) =>
    figures.filter((f) => (f as HTMLElement).offsetParent !== null).map((f) => f.getAttribute('aria-label') ?? ''),
  );
  return names.filter((n) => n !== `${me} (you)`).sort();
}

/** The simulcast encodings the page sends its camera in: outbound video with a rid. */
export async function simulcastOut(page: Page) {
  return page.evaluate(async () => {
    const out: { rid: string; width: number; height: number; bytesSent: number; active?: boolean }[] = [];
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video' && r.rid)
          out.push({ rid: r.rid, width: r.frameWidth ?? 0, height: r.frameHeight ?? 0, bytesSent: r.bytesSent ?? 0, active: r.active });
      });
    }
    return out.sort((a, b) => a.rid.localeCompare(b.rid));
  });
}

/** Frames decoded of the page's inbound videos, and each remote tile's videoWidth. */
export async function decoding(page: Page) {
  return page.evaluate(async () => {
    const frames: number[] = [];
    for (const pc of (window as any).__pcs as RTCPeerConnection[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames.push(r.framesDecoded ?? 0);
      });
    }
    return frames;
  });
}

export const speakingMark = (page: Page, name: string) => tile(page, name).getByRole('img', { name: 'Speaking' });
