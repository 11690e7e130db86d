// Media checks on a page: frames decoded, local SDPs, the colour a tile shows, the media port.
import { expect, type Page } from '@playwright/test';
import { COLOURS } from '../scripts/make-y4m.mjs';
import type { Colour } from './participants';
import { tile } from './ui';

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
