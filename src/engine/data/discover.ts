// Where datasets are in the file system: which file names the loaders read,
// which labels file goes with a data file, which folders hold an MNIST-style
// train/test pair, and what under a workspace folder can be offered as data.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type FileFormat = 'idx' | 'npy' | 'csv';

export function fileFormat(path: string): FileFormat | undefined {
  const name = basename(path).replace(/\.gz$/i, '');
  if (/idx\d-ubyte$/i.test(name)) return 'idx';
  if (/\.npy$/i.test(name)) return 'npy';
  if (/\.csv$/i.test(name)) return 'csv';
  return undefined;
}

/** Whether a directory entry is a PNG image the PNG folder loader reads. */
export function isPngEntry(entry: Dirent): boolean {
  return !entry.isDirectory() && !entry.name.startsWith('.') && /\.png$/i.test(entry.name);
}

/** Why a folder holding no PNG images (and, for a split, no MNIST-style pair) is no dataset: what it holds instead and what it would need. */
export function folderWithoutImages(dir: string, names: readonly string[]): string {
  const files = names.filter((name) => fileFormat(name) && !name.startsWith('.')).sort();
  if (files.length === 0) return 'empty: no PNG images in it or in its subfolders';
  const shown = files.slice(0, 3).map((name) => (isLabelsFile(name) ? `${name} (labels)` : name));
  const more = files.length > shown.length ? ` and ${files.length - shown.length} more` : '';
  const advice: string[] = [];
  if (files.some((name) => fileFormat(name) === 'idx')) {
    advice.push('a folder of IDX files needs train-images-idx3-ubyte (or .gz; t10k-images-idx3-ubyte and the labels files are optional)');
  }
  const dataFile = files.find((name) => !isLabelsFile(name));
  if (dataFile) advice.push(`to train on one file, give its path (e.g. ${join(dir, dataFile)})`);
  else advice.push('labels alone are no dataset: they go beside the file of examples they label');
  return `holds no PNG images (in it or its subfolders), but ${files.length} data file${files.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}; ${advice.join('; ')}`;
}

/** `train-images-idx3-ubyte[.gz]` → `train-labels-idx1-ubyte[.gz]`, if it exists. */
export async function idxLabelsFile(imagesFile: string): Promise<string | undefined> {
  const name = basename(imagesFile).replace(/\.gz$/i, '');
  if (!/images/i.test(name)) return undefined;
  const labels = join(dirname(imagesFile), name.replace(/images/i, 'labels').replace(/idx3/i, 'idx1'));
  return firstExisting(/\.gz$/i.test(imagesFile) ? [`${labels}.gz`, labels] : [labels, `${labels}.gz`]);
}

/** `NAME.npy` → `NAME.labels.npy` or `NAME_labels.npy`, if one exists. */
export async function npyLabelsFile(file: string): Promise<string | undefined> {
  const base = join(dirname(file), basename(file).replace(/\.npy(\.gz)?$/i, ''));
  return firstExisting([`${base}.labels.npy`, `${base}_labels.npy`, `${base}.labels.npy.gz`, `${base}_labels.npy.gz`]);
}

/** The image files of an MNIST-style folder: `train-images-idx3-ubyte[.gz]` and, if present, `t10k-` (or `test-`) images. */
export function idxPair(names: readonly string[]): { train: string; test?: string } | undefined {
  const first = (pattern: RegExp) => names.filter((name) => pattern.test(name)).sort()[0];
  const train = first(/^train[-.]images[-.]idx3-ubyte(\.gz)?$/i);
  const test = first(/^(t10k|test)[-.]images[-.]idx3-ubyte(\.gz)?$/i);
  return train ? { train, ...(test ? { test } : {}) } : undefined;
}

/** Every dataset under `dir` (node_modules and dot-folders skipped), sorted: data files (not their
 * labels files), MNIST-style folders and PNG folders. A folder made only of PNG subfolders is offered
 * as one labelled dataset, its subfolders not separately. */
export async function datasetFiles(dir: string): Promise<string[]> {
  const root = await walk(dir);
  return [...root.paths, ...(root.holdsPngs ? [dir] : [])].sort();
}

interface Found {
  /** Datasets under the folder, except the folder itself as a PNG folder: its parent decides that. */
  readonly paths: string[];
  readonly holdsPngs: boolean;
}

async function walk(dir: string): Promise<Found> {
  // A folder that cannot be listed has nothing to offer; it is not an error for the caller.
  const entries = (await readdir(dir, { withFileTypes: true }).catch((): Dirent[] => [])).filter(isVisible);
  const paths: string[] = [];
  const children: { path: string; found: Found }[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) children.push({ path, found: await walk(path) });
    else if (fileFormat(e.name) && !isLabelsFile(e.name) && (await isRegularFile(e, path))) paths.push(path);
  }
  const holdsPngs = entries.some(isPngEntry);
  const classFolders = !holdsPngs && children.length >= 2 && children.every((c) => c.found.holdsPngs);
  if (classFolders || idxPair(entries.map((e) => e.name))) paths.push(dir);
  for (const c of children) {
    paths.push(...c.found.paths);
    if (c.found.holdsPngs && !classFolders) paths.push(c.path);
  }
  return { paths, holdsPngs };
}

/** FIFOs, sockets and devices are never offered: reading one would block or never end. */
async function isRegularFile(entry: Dirent, path: string): Promise<boolean> {
  return entry.isFile() || (entry.isSymbolicLink() && (await stat(path).then((s) => s.isFile(), () => false)));
}

function isVisible(entry: Dirent): boolean {
  return !entry.name.startsWith('.') && entry.name !== 'node_modules';
}

function isLabelsFile(name: string): boolean {
  return /idx1-ubyte(\.gz)?$/i.test(name) || /[._]labels\.npy(\.gz)?$/i.test(name);
}

/** The first candidate that exists, whatever it is: a labels file that is a FIFO or a folder is an error to report, not a file to ignore. */
async function firstExisting(candidates: string[]): Promise<string | undefined> {
  for (const path of candidates) {
    if (await stat(path).then(() => true, () => false)) return path;
  }
  return undefined;
}
