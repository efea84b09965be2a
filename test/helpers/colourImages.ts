// A small folder of 32x32 colour PNGs written in the test: coloured squares on
// a background, each image's colours and position drawn from a seed.
import { join } from 'node:path';
import { pngBytes, write } from '../data/fixtures';

export const SIDE = 32;

/** RGBA of image i: a square of one colour on a background of another. */
export function colourImagePixels(i: number): number[] {
  const hue = (k: number) => [(37 * k) % 256, (91 * k + 50) % 256, (53 * k + 120) % 256];
  const [square, background] = [hue(i), hue(i + 7)];
  const at = (i * 5) % 16;
  const rgba: number[] = [];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = x >= at && x < at + 12 && y >= at && y < at + 12;
      rgba.push(...(inside ? square : background), 255);
    }
  }
  return rgba;
}

/** n colour images in `dir`, named so that their order is their index. */
export function writeColourFolder(dir: string, n: number): string {
  for (let i = 0; i < n; i++) write(join(dir, `${String(i).padStart(4, '0')}.png`), pngBytes(SIDE, SIDE, colourImagePixels(i), 6));
  return dir;
}

