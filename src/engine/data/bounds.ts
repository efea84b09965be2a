// The sane bounds every size a dataset file declares is checked against before
// anything of that size is allocated (the other check: that the file really
// holds that many bytes). docs/guarantees.md lists them.
import { formatBytes } from '../files/readRegularFile';
import { DataError } from './dataset';

/** Largest dataset, in float32 values (1 GiB, 5.7 times MNIST): the engine holds it in memory, the
 * training/test split a second copy and the trainer a third as a tensor. */
export const MAX_VALUES = 2 ** 28;

/** Largest PNG image, in pixels (2048 x 2048): decoding a 16-bit RGBA image of that size takes about 190 MB. */
export const MAX_IMAGE_PIXELS = 2 ** 22;

/** Deflate's best ratio is about 1032:1, so compressed data can stand for at most this many bytes per byte. */
export const DEFLATE_MAX_RATIO = 1032;

/** Throws unless `count` float32 values fit the bound; `what` says what they are. */
export function checkValueCount(source: string, count: number, what: string): void {
  if (count > MAX_VALUES) {
    throw new DataError(source, `${what}: ${count} values (${formatBytes(4 * count)} as float32), more than the ${MAX_VALUES} (${formatBytes(4 * MAX_VALUES)}) a dataset may have`);
  }
}
