// From a path to data: picks the loader by file type, pairs data files with
// their labels files, and makes the training and test sets a run uses.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCsv } from './csv';
import { DataError, type Dataset } from './dataset';
import { fileFormat, idxLabelsFile, idxPair, npyLabelsFile } from './discover';
import { loadIdxImages, loadIdxLabels } from './idx';
import { withLabels } from './makeDataset';
import { loadNpy, loadNpyLabels } from './npy';
import { loadPngFolder } from './pngFolder';
import type { ImageOptions } from './pngImage';
import { holdOut, pairUp } from './split';

export { datasetFiles } from './discover';
export type { ImageOptions };

/** How the data of a run are read again (to resume or evaluate it): as they were when it started. */
export function imageOptionsOf(data: { channels?: number }): ImageOptions {
  return { colour: data.channels === 3 };
}

/** One dataset: an IDX images file, a `.npy` or `.csv` file (each optionally gzipped), or a folder of PNGs. */
export async function loadDataset(path: string, options: ImageOptions = {}): Promise<Dataset> {
  if (await isFolder(path)) return loadPngFolder(path, options);
  refuseColour(path, options);
  switch (fileFormat(path)) {
    case 'idx': return loadIdx(path);
    case 'npy': return loadNpyWithLabels(path);
    case 'csv': return loadCsv(path);
    default:
      throw new DataError(path, 'unknown dataset type: expected an IDX file (*-idx3-ubyte, optionally .gz), .npy, .csv, or a folder of PNG images');
  }
}

/** Training and test sets: an MNIST-style folder's train and t10k files, or else the last 10% held out
 * (of each class, for PNG class folders). Both sets get the same `kind`. */
export async function loadSplit(path: string, options: ImageOptions = {}): Promise<{ train: Dataset; test: Dataset }> {
  if (!(await isFolder(path))) return holdOut(await loadDataset(path, options), false);
  const pair = idxPair(await readdir(path));
  if (!pair) return holdOut(await loadPngFolder(path, options), true);
  refuseColour(path, options);
  const train = await loadIdx(join(path, pair.train));
  return pair.test ? pairUp(train, await loadIdx(join(path, pair.test))) : holdOut(train, false);
}

/** Colour channels come from PNG images only; asking for them elsewhere is a mistake worth naming. */
function refuseColour(path: string, options: ImageOptions): void {
  if (options.colour) throw new DataError(path, 'colour channels are read from folders of PNG images only; this dataset has one value per pixel');
}

async function isFolder(path: string): Promise<boolean> {
  const stats = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(path, e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.message})`);
  });
  return stats.isDirectory();
}

async function loadIdx(imagesFile: string): Promise<Dataset> {
  const data = await loadIdxImages(imagesFile);
  const labelsFile = await idxLabelsFile(imagesFile);
  return labelsFile ? withLabels(data, await loadIdxLabels(labelsFile), labelsFile) : data;
}

async function loadNpyWithLabels(file: string): Promise<Dataset> {
  const data = await loadNpy(file);
  const labelsFile = await npyLabelsFile(file);
  return labelsFile ? withLabels(data, await loadNpyLabels(labelsFile), labelsFile) : data;
}
