// Checks shared by the SFU specs: a page's links to the media peer and what its tiles show, and a join
// from the lobby that waits for the own tile.
import type { Page } from '@playwright/test';
import { frames } from '../lib/instrument';
import { clickJoin, colourName, expect, selfTile, type Colour } from './helpers';

export async function join(page: Page, link: string, name: string) {
  await page.goto(link);
  await clickJoin(page, name);
  await expect(selfTile(page, name)).toBeVisible({ timeout: 30_000 });
}

export interface Links {
  /** Open RTCPeerConnections. */
  open: number;
  /** … of which to the media peer (its SDP is ICE-lite). */
  mediaPeer: number;
  /** Inbound video streams with frames decoded, over the open connections. */
  decoding: number;
  /** framesDecoded of each of those, for the report. */
  frames: number[];
}

/** The page's open peer connections and what they decode. */
export async function links(page: Page): Promise<Links> {
  return page.evaluate(async () => {
    const open = ((window as any).__pcs as RTCPeerConnection[]).filter((pc) => pc.connectionState !== 'closed');
    const frames: number[] = [];
    for (const pc of open) {
      (await pc.getStats()).forEach((r: any) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && (r.framesDecoded ?? 0) > 0) frames.push(r.framesDecoded);
      });
    }
    return {
      open: open.length,
      mediaPeer: open.filter((pc) => /^a=ice-lite/m.test(pc.remoteDescription?.sdp ?? '')).length,
      decoding: frames.length,
      frames,
    };
  });
}

/**
 * `name`'s page is on the media peer — one open connection, ICE-lite, offered to with `signal {to: 0}`
 * — and decodes a video from each of `senders` others on it.
 */
export async function expectOnMediaPeer(page: Page, name: string, senders: number, timeout = 60_000) {
  await expect
    .poll(async () => {
      const l = await links(page);
      return { open: l.open, mediaPeer: l.mediaPeer };
    }, { message: `${name}: one open connection, to the media peer`, timeout })
    .toEqual({ open: 1, mediaPeer: 1 });
  const offered = (await frames(page)).filter((f) => f.dir === 'out' && f.type === 'signal' && f.to === 0);
  expect(offered.length, `${name} signalled the media peer (to: 0)`).toBeGreaterThan(0);
  await expect
    .poll(async () => (await links(page)).decoding, { message: `${name} decodes ${senders} videos from the media peer`, timeout })
    .toBeGreaterThanOrEqual(senders);
  console.log(`${name}: frames decoded per inbound video ${(await links(page)).frames.join(', ')}`);
}

/**
 * The colour every tile of `page` shows, by the tile's accessible name: one round trip for all of
 * them (a room of eight has 56 tiles to check, on a machine busy decoding them).
 */
async function tileColours(page: Page): Promise<Record<string, string>> {
  const seen = await page.getByRole('figure').evaluateAll((figures) =>
    figures.map((figure) => {
      const video = figure.querySelector('video');
      const w = video?.videoWidth ?? 0;
      const h = video?.videoHeight ?? 0;
      if (!video || !w || !h) return { name: figure.getAttribute('aria-label') ?? '', rgb: null, width: w };
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(video, 0, 0, w, h);
      const data = ctx.getImageData(Math.floor(w / 4), Math.floor(h / 4), Math.floor(w / 2), Math.floor(h / 2)).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      const n = data.length / 4;
      return { name: figure.getAttribute('aria-label') ?? '', rgb: sum.map((v) => Math.round(v / n)) as [number, number, number], width: w };
    }),
  );
  return Object.fromEntries(seen.map((t) => [t.name, t.width > 0 ? colourName(t.rgb) : 'videoWidth 0']));
}

/** Each of `others` shows in its own tile at `page` (videoWidth > 0), in its own colour. */
export async function expectTiles(page: Page, name: string, others: [string, Colour][], timeout = 60_000) {
  const want = Object.fromEntries(others.map(([other, colour]) => [other, colour]));
  await expect
    .poll(
      async () => {
        const seen = await tileColours(page);
        return Object.fromEntries(others.map(([other]) => [other, seen[other] ?? 'no tile']));
      },
      { message: `${name}: every tile shows its sender's colour`, timeout },
    )
    .toEqual(want);
}
