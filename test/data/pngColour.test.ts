// Colour PNG folders read as red, green and blue channels when asked: values
// r/255, g/255, b/255 per pixel, channels last, alpha ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset, loadSplit } from '../../src/engine/data/load';
import { idxBytes, pngBytes, rejectsWithDataError, tempDir, write } from './fixtures';
import { colourImagePixels, SIDE, writeColourFolder } from '../helpers/colourImages';

const dir = tempDir();

test('png colour: red, green and blue per pixel, channels last, alpha ignored', async () => {
  const folder = join(dir, 'rgb');
  write(join(folder, 'a.png'), pngBytes(2, 1, [255, 0, 51, 10, 0, 102, 204, 255], 6));
  const data = await loadDataset(folder, { colour: true });
  assert.equal(data.d, 6);
  assert.equal(data.channels, 3);
  assert.deepEqual(data.imageShape, [1, 2]);
  assert.deepEqual(Array.from(data.x), [255, 0, 51, 0, 102, 204].map((v) => Math.fround(v / 255)));
  const grey = await loadDataset(folder);
  assert.equal(grey.d, 2);
  assert.equal(grey.channels, undefined);
});

test('png colour: a split of a 32x32 colour folder keeps its channels in both sets', async () => {
  const folder = writeColourFolder(join(dir, 'squares'), 20);
  const { train, test: held } = await loadSplit(folder, { colour: true });
  assert.deepEqual([train.n, held.n, train.d, train.channels, held.channels], [18, 2, SIDE * SIDE * 3, 3, 3]);
  const first = colourImagePixels(0).filter((_, i) => i % 4 !== 3).map((v) => Math.fround(v / 255));
  assert.deepEqual(Array.from(train.x.subarray(0, train.d)), first);
});

test('colour asked of data that are not PNG images is refused, naming the file', async () => {
  const file = write(join(dir, 'digits-idx3-ubyte'), idxBytes(0x08, [2, 1, 2], [0, 255, 255, 0]));
  await rejectsWithDataError(loadDataset(file, { colour: true }), file, /colour channels are read from folders of PNG images only/);
  await rejectsWithDataError(loadSplit(file, { colour: true }), file, /colour channels are read from folders of PNG images only/);
});
