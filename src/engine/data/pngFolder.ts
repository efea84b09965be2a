// A folder of PNG images as a dataset, every image the same size, read as grey
// luminance in [0, 1] or, when asked, as red, green and blue channels
// (pngImage.ts). Images directly in the folder are
// unlabelled; images in subfolders are labelled by the subfolder's rank among
// the sorted subfolder names, so the ids do not depend on the file system's order.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkValueCount } from './bounds';
import { DataError, type Dataset } from './dataset';
import { folderWithoutImages, isPngEntry } from './discover';
import { makeDataset, withLabels } from './makeDataset';
import { readPixels, type ImageOptions } from './pngImage';

interface Image {
  readonly file: string;
  readonly label: number;
}

export async function loadPngFolder(dir: string, options: ImageOptions = {}): Promise<Dataset> {
  const { images, labelled } = await listImages(dir);
  const first = readPixels(images[0].file, options);
  checkValueCount(dir, images.length * first.values.length, `${images.length} images of ${first.width}x${first.height}`);
  const x = new Float32Array(images.length * first.values.length);
  for (const [i, image] of images.entries()) {
    const pixels = i === 0 ? first : readPixels(image.file, options);
    if (pixels.width !== first.width || pixels.height !== first.height) {
      throw new DataError(image.file, `is ${pixels.width}x${pixels.height} but ${images[0].file} is ${first.width}x${first.height}; every image must be the same size`);
    }
    x.set(pixels.values, i * first.values.length);
  }
  const data = makeDataset(dir, x, images.length, first.values.length, [first.height, first.width], options.colour ? 3 : 1);
  return labelled ? withLabels(data, Int32Array.from(images, (image) => image.label), dir) : data;
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
  if (direct.length === 0 && classes.length === 0) throw new DataError(dir, folderWithoutImages(dir, entries.filter((e) => !e.isDirectory()).map((e) => e.name)));
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
