#!/usr/bin/env node
// Writes solid-colour Y4M clips (320x240, 15 fps, 30 frames, 4:2:0) for Chromium's
// --use-file-for-fake-video-capture=FILE, so every test browser sends its own colour
// and a test can tell whose video a tile shows.
//
// Also moving.y4m: 640x360, moving and noisy, at 30 fps, a picture that costs an encoder what a real camera
// does (a solid colour costs a few kbit/s), and big enough for two simulcast layers.
//
// Usage: node scripts/make-y4m.mjs <dir>   → <dir>/{red,green,blue,yellow,…}.y4m (one per COLOURS entry), moving.y4m
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const WIDTH = 320;
export const HEIGHT = 240;
export const FPS = 15;
export const FRAMES = 30;

/**
 * Sender colours in sRGB; tests compare decoded pixels against these. Any two differ by at least
 * 127 in some channel, far more than VP8 and the YUV round trip shift a solid colour (sfu.spec.ts
 * needs nine senders).
 * @type {{ red: RGB, green: RGB, blue: RGB, yellow: RGB, cyan: RGB, magenta: RGB, white: RGB, grey: RGB, orange: RGB }}
 */
export const COLOURS = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  cyan: [0, 255, 255],
  magenta: [255, 0, 255],
  white: [255, 255, 255],
  grey: [128, 128, 128],
  orange: [255, 128, 0],
};

/** @typedef {[number, number, number]} RGB */

/** @param {number} v */
const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)));

/**
 * RGB (0..255) → limited-range BT.601 Y'CbCr, which is what Chromium assumes for I420 capture.
 * @param {RGB} rgb
 * @returns {RGB}
 */
export function rgbToYuv([r, g, b]) {
  const [R, G, B] = [r / 255, g / 255, b / 255];
  return [
    clamp(16 + 65.481 * R + 128.553 * G + 24.966 * B),
    clamp(128 - 37.797 * R - 74.203 * G + 112.0 * B),
    clamp(128 + 112.0 * R - 93.786 * G - 18.214 * B),
  ];
}

/**
 * One complete Y4M file as a Buffer.
 * @param {RGB} rgb
 */
export function y4mClip(rgb) {
  const [y, u, v] = rgbToYuv(rgb);
  const ySize = WIDTH * HEIGHT;
  const cSize = (WIDTH / 2) * (HEIGHT / 2);
  const frame = Buffer.alloc(6 + ySize + 2 * cSize);
  frame.write('FRAME\n', 0, 'ascii');
  frame.fill(y, 6, 6 + ySize);
  frame.fill(u, 6 + ySize, 6 + ySize + cSize);
  frame.fill(v, 6 + ySize + cSize);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  return Buffer.concat([header, ...Array(FRAMES).fill(frame)]);
}

/** The moving clip's size and rate: Chromium sends two simulcast layers (320x180, 640x360) of it. */
export const MOVING = { width: 640, height: 360, fps: 30, frames: 30 };

/**
 * A diagonal gradient sliding 4 px a frame with luma noise of ±12 over mid-grey chroma, from a
 * fixed seed (the same file every time). The noise takes whatever bits an encoder is given (1.5
 * Mbit/s for the full picture), yet a coarse quantizer can drop it, so a 150 kbit/s layer still
 * runs at full frame rate (pure noise made that layer drop to ~5 frames/s).
 */
export function movingClip() {
  const { width, height, fps, frames } = MOVING;
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const out = [header];
  let seed = 0x2545f491;
  for (let f = 0; f < frames; f++) {
    const frame = Buffer.alloc(6 + ySize + 2 * cSize, 128);
    frame.write('FRAME\n', 0, 'ascii');
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // xorshift32
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        const noise = ((seed >>> 0) % 25) - 12;
        frame[6 + y * width + x] = 40 + ((x + y + 4 * f) % 160) + noise;
      }
    }
    out.push(frame);
  }
  return Buffer.concat(out);
}

/** Every clip's name (`<dir>/<name>.y4m`): the colours, then the moving one. */
export const CLIP_NAMES = [...Object.keys(COLOURS), 'moving'];

/**
 * Writes every clip into dir (created if needed); returns dir.
 * @param {string} dir
 */
export function writeClips(dir) {
  mkdirSync(dir, { recursive: true });
  for (const [name, rgb] of Object.entries(COLOURS)) {
    writeFileSync(join(dir, `${name}.y4m`), y4mClip(rgb));
  }
  writeFileSync(join(dir, 'moving.y4m'), movingClip());
  return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/make-y4m.mjs <dir>');
    process.exit(2);
  }
  writeClips(dir);
  for (const name of CLIP_NAMES) console.log(join(dir, `${name}.y4m`));
}
