import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/engine/data/load';
import { escapeRegExp, grey, idxBytes, rejectsWithDataError, tempDir, write } from './fixtures';

const dir = tempDir();
const PIXELS = [0, 1, 127, 128, 254, 255, 3, 30, 60, 90, 120, 250];

test('idx: images and their labels file round-trip; bytes scale to [0, 1]', async () => {
  const images = write(join(dir, 'plain', 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 2, 3], PIXELS));
  write(join(dir, 'plain', 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], [7, 0]));
  const data = await loadDataset(images);
  assert.deepEqual(Array.from(data.x), grey(PIXELS));
  assert.deepEqual(Array.from(data.labels ?? []), [7, 0]);
  assert.equal(data.n, 2);
  assert.equal(data.d, 6);
  assert.deepEqual(data.imageShape, [2, 3]);
  assert.equal(data.kind, 'unit');
  assert.equal(data.source, images);
});

test('idx: gzipped files pair up too, and 0/255 images are binary', async () => {
  const images = write(join(dir, 'gz', 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [3, 1, 2], [0, 255, 255, 0, 0, 0])));
  write(join(dir, 'gz', 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [3], [1, 2, 3])));
  const data = await loadDataset(images);
  assert.deepEqual(Array.from(data.x), [0, 1, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(data.labels ?? []), [1, 2, 3]);
  assert.equal(data.kind, 'binary');
});

test('idx: without a labels file the images load unlabelled', async () => {
  const images = write(join(dir, 'alone', 'train-images-idx3-ubyte'), idxBytes(0x08, [1, 2, 2], [0, 64, 128, 255]));
  const data = await loadDataset(images);
  assert.equal(data.labels, undefined);
  assert.deepEqual(Array.from(data.x), grey([0, 64, 128, 255]));
});

test('idx: float and int types carry their values unscaled', async () => {
  const floats = write(join(dir, 'types', 'f-images-idx3-ubyte'), idxBytes(0x0d, [1, 2, 2], [-1.5, 0.25, 3, 1e6]));
  assert.deepEqual(Array.from((await loadDataset(floats)).x), [-1.5, 0.25, 3, 1e6]);
  const doubles = write(join(dir, 'types', 'd-images-idx3-ubyte'), idxBytes(0x0e, [1, 1, 2], [0.1, 2]));
  const d = await loadDataset(doubles);
  assert.deepEqual(Array.from(d.x), [Math.fround(0.1), 2]);
  assert.equal(d.kind, 'real');
  const ints = write(join(dir, 'types', 'i-images-idx3-ubyte'), idxBytes(0x0c, [1, 1, 2], [-7, 300]));
  assert.deepEqual(Array.from((await loadDataset(ints)).x), [-7, 300]);
});

test('idx: a wrong magic number is named', async () => {
  const bytes = idxBytes(0x08, [1, 2, 2], [0, 0, 0, 0]);
  bytes.writeUInt32BE(0x12345678, 0);
  const file = write(join(dir, 'magic', 'train-images-idx3-ubyte'), bytes);
  await rejectsWithDataError(loadDataset(file), file, /wrong magic number 0x12345678: not an IDX file \(IDX images start with 0x00000803\)/);
});

test('idx: a labels file given as images says so', async () => {
  const file = write(join(dir, 'dims', 'x-labels-idx1-ubyte'), idxBytes(0x08, [2], [1, 2]));
  await rejectsWithDataError(loadDataset(file), file, /magic number 0x00000801 says 1 dimension, but IDX images have 3 \(is this a labels file\?\)/);
});

test('idx: a truncated file reports the size the header promised', async () => {
  const full = idxBytes(0x08, [3, 28, 28], new Array(3 * 784).fill(9));
  const file = write(join(dir, 'trunc', 'train-images-idx3-ubyte'), full.subarray(0, full.length - 100));
  await rejectsWithDataError(loadDataset(file), file, /^.*: truncated: header says 3 images of 28x28 \(2368 bytes\) but the file has 2268$/);
  const header = write(join(dir, 'trunc', 'h-images-idx3-ubyte'), full.subarray(0, 10));
  await rejectsWithDataError(loadDataset(header), header, /truncated: the header needs 16 bytes but the file has 10/);
});

test('idx: a truncated gzip stream and surplus bytes are errors too', async () => {
  const zipped = gzipSync(idxBytes(0x08, [4, 8, 8], new Array(256).fill(1)));
  const cut = write(join(dir, 'gzcut', 'train-images-idx3-ubyte.gz'), zipped.subarray(0, zipped.length - 12));
  await rejectsWithDataError(loadDataset(cut), cut, /truncated or corrupt gzip data/);
  const long = write(join(dir, 'long', 'train-images-idx3-ubyte'), Buffer.concat([idxBytes(0x08, [1, 1, 1], [5]), Buffer.from([1, 2])]));
  await rejectsWithDataError(loadDataset(long), long, /header says 1 images of 1x1 \(17 bytes\) but the file has 19, 2 bytes too many/);
});

test('idx: image and label counts must match', async () => {
  const images = write(join(dir, 'count', 'train-images-idx3-ubyte'), idxBytes(0x08, [3, 1, 1], [1, 2, 3]));
  const labels = write(join(dir, 'count', 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], [1, 2]));
  await rejectsWithDataError(loadDataset(images), labels, new RegExp(`holds 2 labels but ${escapeRegExp(images)} holds 3 examples`));
});

test('idx: labels must be whole numbers from 0', async () => {
  const images = write(join(dir, 'badlabel', 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 1, 1], [1, 2]));
  const labels = write(join(dir, 'badlabel', 'train-labels-idx1-ubyte'), idxBytes(0x0d, [2], [1, 2.5]));
  await rejectsWithDataError(loadDataset(images), labels, /label 2.5 at example 1 is not a whole number/);
});

test('idx: NaN and infinite values are reported with their position', async () => {
  const nan = write(join(dir, 'nan', 'a-images-idx3-ubyte'), idxBytes(0x0d, [2, 2, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NaN, 0]));
  await rejectsWithDataError(loadDataset(nan), nan, /contains NaN at example 1, value 4/);
  const inf = write(join(dir, 'nan', 'b-images-idx3-ubyte'), idxBytes(0x0e, [1, 1, 2], [0, -Infinity]));
  await rejectsWithDataError(loadDataset(inf), inf, /contains -Infinity at example 0, value 1/);
});

test('idx: a finite double float32 cannot hold is said to exceed its range', async () => {
  const big = write(join(dir, 'big', 'a-images-idx3-ubyte'), idxBytes(0x0e, [1, 1, 2], [1e39, 0]));
  await rejectsWithDataError(loadDataset(big), big, /1e\+39 exceeds float32's range \(±3\.4028e\+38\) at example 0, value 0/);
});

test('idx: an empty file and a file of zero images are both "empty"', async () => {
  const zeroBytes = write(join(dir, 'empty', 'a-images-idx3-ubyte'), Buffer.alloc(0));
  await rejectsWithDataError(loadDataset(zeroBytes), zeroBytes, /empty file/);
  const zeroImages = write(join(dir, 'empty', 'b-images-idx3-ubyte'), idxBytes(0x08, [0, 28, 28], []));
  await rejectsWithDataError(loadDataset(zeroImages), zeroImages, /empty: it holds no examples/);
});
