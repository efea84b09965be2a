// A folder of PNG images as a dataset, every image the same size, read as grey
// luminance in [0, 1] or, when asked, as red, green and blue channels in [0, 1]
// stored last, [H, W, 3] (alpha ignored either way). Images directly in the folder are
// unlabelled; images in subfolders are labelled by the subfolder's rank among
// the sorted subfolder names, so the ids do not depend on the file system's order.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DataError, type Dataset } from './dataset';
import { makeDataset, withLabels } from './makeDataset';
import { readBytes } from './readBytes';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The IEND chunk every complete PNG ends with: zero length, type, CRC. */
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

interface Image {
  readonly file: string;
  readonly label: number;
}

interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly values: Float32Array;
}

export interface ImageOptions {
  /** Red, green and blue as three channels instead of one luminance value per pixel. */
  colour?: boolean;
}

export async function loadPngFolder(dir: string, options: ImageOptions = {}): Promise<Dataset> {
  const { images, labelled } = await listImages(dir);
  const readGrey = (file: string) => readPixels(file, options.colour ?? false);
  const first = await readGrey(images[0].file);
  const x = new Float32Array(images.length * first.values.length);
  for (const [i, image] of images.entries()) {
    const grey = i === 0 ? first : await readGrey(image.file);
    if (grey.width !== first.width || grey.height !== first.height) {
      throw new DataError(image.file, `is ${grey.width}x${grey.height} but ${images[0].file} is ${first.width}x${first.height}; every image must be the same size`);
    }
    x.set(grey.values, i * first.values.length);
  }
  const data = makeDataset(dir, x, images.length, first.values.length, [first.height, first.width], options.colour ? 3 : 1);
  return labelled ? withLabels(data, Int32Array.from(images, (image) => image.label), dir) : data;
}

/** Whether a directory entry is a PNG image the loader reads. */
export function isPngEntry(entry: Dirent): boolean {
  return !entry.isDirectory() && !entry.name.startsWith('.') && /\.png$/i.test(entry.name);
}

async function listImages(dir: string): Promise<{ images: Image[]; labelled: boolean }> {
  const entries = await listFolder(dir);
  const direct = pngNames(entries).map((name) => ({ file: join(dir, name), label: 0 }));
  const classes: Image[][] = [];
  for (const sub of visibleFolders(entries)) {
    const names = pngNames(await listFolder(join(dir, sub)));
    if (names.length > 0) classes.push(names.map((name) => ({ file: join(dir, sub, name), label: classes.length })));
  }
  if (direct.length > 0 && classes.length > 0) {
    throw new DataError(dir, 'holds PNG images both directly and in subfolders; put every image in a class subfolder, or none');
  }
  if (direct.length === 0 && classes.length === 0) throw new DataError(dir, 'empty: no PNG images in it or in its subfolders');
  return direct.length > 0 ? { images: direct, labelled: false } : { images: classes.flat(), labelled: true };
}

async function listFolder(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch((e: Error) => {
    throw new DataError(dir, `cannot be listed (${e.message})`);
  });
}

function pngNames(entries: Dirent[]): string[] {
  return entries.filter(isPngEntry).map((e) => e.name).sort(byCodePoint);
}

function visibleFolders(entries: Dirent[]): string[] {
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readPixels(file: string, colour: boolean): Promise<Pixels> {
  const { bytes } = await readBytes(file);
  // pngjs's sync reader reports a wrong signature as "unrecognised content at end of stream".
  if (!bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new DataError(file, 'wrong magic number: not a PNG file (PNG files start with \\x89PNG)');
  }
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    // pngjs words a cut-off file as "read requests waiting on finished stream"; the missing end chunk says it plainly.
    const cutOff = !bytes.subarray(bytes.length - PNG_END.length).equals(PNG_END);
    throw new DataError(file, cutOff ? 'truncated: the PNG ends before its IEND end chunk' : `not a readable PNG image (${(e as Error).message})`);
  }
  const { width, height, data } = png;
  if (colour) return { width, height, values: Float32Array.from({ length: width * height * 3 }, (_, i) => data[4 * Math.floor(i / 3) + (i % 3)] / 255) };
  const values = new Float32Array(width * height);
  for (let p = 0; p < values.length; p++) {
    const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
    // ITU-R 601 luma weights, as Python's PIL uses, so images read as they do there;
    // grey pixels skip the weighting so that they read back exactly as value / 255.
    values[p] = r === g && g === b ? r / 255 : (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  return { width, height, values };
}
