import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { datasetFiles, loadDataset, loadSplit } from '../../src/engine/data/load';
import { escapeRegExp, greyPixels, idxBytes, npyBytes, pngBytes, rejectsWithDataError, tempDir, write } from './fixtures';

const dir = tempDir();

test('load: the bundled MNIST folder splits into its 9000 training and 1000 test digits', async () => {
  const { train, test: held } = await loadSplit('examples/mnist');
  for (const [data, n] of [[train, 9000], [held, 1000]] as const) {
    assert.equal(data.n, n);
    assert.equal(data.d, 784);
    assert.equal(data.x.length, n * 784);
    assert.deepEqual(data.imageShape, [28, 28]);
    assert.equal(data.kind, 'unit');
    assert.equal(data.labels?.length, n);
    assert.deepEqual(new Set(data.labels), new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  }
  assert.match(train.source, /train-images-idx3-ubyte\.gz$/);
  assert.match(held.source, /t10k-images-idx3-ubyte\.gz$/);
});

test('load: a single file holds out its last 10%, at least one example, with the whole file\'s kind', async () => {
  const values = Array.from({ length: 25 * 2 }, (_, i) => (i < 46 ? 0.5 : 1));
  const file = write(join(dir, 'split', 'x.npy'), npyBytes('<f4', [25, 2], values));
  write(join(dir, 'split', 'x.labels.npy'), npyBytes('<i4', [25], Array.from({ length: 25 }, (_, i) => i)));
  const { train, test: held } = await loadSplit(file);
  assert.equal(train.n, 23);
  assert.deepEqual(Array.from(held.labels ?? []), [23, 24]);
  assert.deepEqual(Array.from(held.x), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(train.labels ?? []), Array.from({ length: 23 }, (_, i) => i));
  assert.equal(held.kind, 'unit');
  assert.equal(train.kind, 'unit');
  const small = write(join(dir, 'split', 'small.csv'), '1\n2\n3\n');
  const smallSplit = await loadSplit(small);
  assert.deepEqual([Array.from(smallSplit.train.x), Array.from(smallSplit.test.x)], [[1, 2], [3]]);
  const one = write(join(dir, 'split', 'one.csv'), '1,2\n');
  await rejectsWithDataError(loadSplit(one), one, /has 1 example; holding out a test set needs at least 2/);
});

test('load: a PNG class folder holds out the last 10% of each class', async () => {
  const folder = join(dir, 'pngsplit');
  for (let i = 0; i < 10; i++) {
    write(join(folder, 'a', `${i}.png`), pngBytes(1, 1, greyPixels([i])));
    write(join(folder, 'b', `${i}.png`), pngBytes(1, 1, greyPixels([100 + i])));
  }
  const { train, test: held } = await loadSplit(folder);
  assert.equal(train.n, 18);
  assert.deepEqual(Array.from(held.labels ?? []), [0, 1]);
  assert.deepEqual(Array.from(held.x), [Math.fround(9 / 255), Math.fround(109 / 255)]);
});

test('load: an MNIST-style folder pairs train and t10k; both get the wider kind; sizes must agree', async () => {
  const pair = join(dir, 'pair');
  write(join(pair, 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 1, 2], [0, 255, 255, 0]));
  write(join(pair, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [1, 1, 2], [0, 7])));
  write(join(pair, 't10k-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [1], [3])));
  const { train, test: held } = await loadSplit(pair);
  assert.deepEqual([train.n, held.n], [2, 1]);
  assert.equal(train.labels, undefined);
  assert.deepEqual(Array.from(held.labels ?? []), [3]);
  assert.deepEqual([train.kind, held.kind], ['unit', 'unit']);

  const odd = join(dir, 'odd');
  write(join(odd, 'train-images-idx3-ubyte'), idxBytes(0x08, [1, 2, 2], [0, 0, 0, 0]));
  const oddTest = write(join(odd, 't10k-images-idx3-ubyte'), idxBytes(0x08, [1, 1, 3], [0, 0, 0]));
  await rejectsWithDataError(loadSplit(odd), oddTest, /has 3 \(1x3\) values per example but .* has 4 \(2x2\)/);

  const trainOnly = join(dir, 'train-only');
  write(join(trainOnly, 'train-images-idx3-ubyte'), idxBytes(0x08, [10, 1, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  const alone = await loadSplit(trainOnly);
  assert.deepEqual([alone.train.n, alone.test.n], [9, 1]);
});

test('load: unknown types, missing paths and folders without data are DataErrors', async () => {
  const text = write(join(dir, 'unknown', 'notes.txt'), 'hello');
  await rejectsWithDataError(loadDataset(text), text, /unknown dataset type: expected an IDX file/);
  const missing = join(dir, 'nowhere.npy');
  await rejectsWithDataError(loadDataset(missing), missing, /does not exist/);
  await rejectsWithDataError(loadSplit(missing), missing, /does not exist/);
  const folder = join(dir, 'unknown');
  await rejectsWithDataError(loadSplit(folder), folder, /empty: no PNG images/);
});

test('load: a folder of other data files says what it holds and what a folder needs', async () => {
  const npys = join(dir, 'npys');
  write(join(npys, 'b.npy'), npyBytes('<f4', [2, 1], [1, 2]));
  write(join(npys, 'a.npy'), npyBytes('<f4', [2, 1], [1, 2]));
  write(join(npys, 'a.labels.npy'), npyBytes('<i4', [2], [0, 1]));
  write(join(npys, 'notes.txt'), 'not data');
  await rejectsWithDataError(loadSplit(npys), npys, new RegExp(
    `holds no PNG images \\(in it or its subfolders\\), but 3 data files: a\\.labels\\.npy \\(labels\\), a\\.npy, b\\.npy; to train on one file, give its path \\(e\\.g\\. ${escapeRegExp(join(npys, 'a.npy'))}\\)$`));
  const labelsOnly = join(dir, 'labels-only');
  write(join(labelsOnly, 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], [0, 1]));
  await rejectsWithDataError(loadSplit(labelsOnly), labelsOnly, /but 1 data file: train-labels-idx1-ubyte \(labels\); a folder of IDX files needs train-images-idx3-ubyte .*; labels alone are no dataset/);
  const testOnly = join(dir, 'test-only');
  write(join(testOnly, 't10k-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [2, 1, 1], [0, 1])));
  await rejectsWithDataError(loadSplit(testOnly), testOnly, /but 1 data file: t10k-images-idx3-ubyte\.gz; a folder of IDX files needs train-images-idx3-ubyte/);
});

test('load: a FIFO, a socket or a device named like a dataset is refused at once, not read', { timeout: 20_000 }, async () => {
  const fifo = join(dir, 'special', 'x.npy');
  mkdirSync(dirname(fifo), { recursive: true });
  execFileSync('mkfifo', [fifo]);
  await rejectsWithDataError(loadDataset(fifo), fifo, /is not a regular file \(a FIFO\); only regular files can be read/);
  await rejectsWithDataError(loadSplit(fifo), fifo, /is not a regular file \(a FIFO\)/);
  const device = join(dir, 'special', 'zero.csv');
  symlinkSync('/dev/zero', device);
  await rejectsWithDataError(loadDataset(device), device, /is not a regular file \(a character device\)/);
  assert.deepEqual(await datasetFiles(join(dir, 'special')), [], 'the quick pick offers no special files');
});

test('load: a gzipped file stops inflating where its header says the data end', async () => {
  const bomb = write(join(dir, 'gz', 'bomb-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([idxBytes(0x08, [2, 1, 1], [0, 1]), Buffer.alloc(30 * 2 ** 20)])));
  await rejectsWithDataError(loadDataset(bomb), bomb, /decompresses to more than the 18 bytes its header declares/);
  const npy = write(join(dir, 'gz', 'bomb.npy.gz'), gzipSync(Buffer.concat([npyBytes('<f4', [2, 1], [1, 2]), Buffer.alloc(30 * 2 ** 20)])));
  await rejectsWithDataError(loadDataset(npy), npy, /decompresses to more than the 136 bytes its header declares/);
  const liar = write(join(dir, 'gz', 'liar-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [1e9, 1, 1], [])));
  await rejectsWithDataError(loadDataset(liar), liar, /its header declares 1000000016 bytes, more than its \d+ bytes of gzip data can hold \(at most 33\.3 KiB\)/);
  const short = write(join(dir, 'gz', 'short.npy.gz'), gzipSync(npyBytes('<f4', [2, 1], [1, 2]).subarray(0, 130)));
  await rejectsWithDataError(loadDataset(short), short, /truncated: header says shape \(2, 1\) of <f4 \(8 bytes of data\) but the file has 2 once decompressed/);
});

test('load: an NPY header longer than numpy reads is refused before it is parsed', async () => {
  const head = Buffer.alloc(12);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 2;
  head.writeUInt32LE(50 * 2 ** 20, 8);
  const file = write(join(dir, 'npy-header', 'x.npy'), Buffer.concat([head, Buffer.alloc(50 * 2 ** 20, '(')]));
  await rejectsWithDataError(loadDataset(file), file, /its header declares 52428800 bytes, more than the 10000 numpy itself reads/);
});

test('load: a labels file that is a FIFO or a folder is an error, not a missing file', { timeout: 20_000 }, async () => {
  const data = write(join(dir, 'odd-labels', 'x.npy'), npyBytes('<f4', [2, 1], [0, 1]));
  execFileSync('mkfifo', [join(dir, 'odd-labels', 'x.labels.npy')]);
  await rejectsWithDataError(loadDataset(data), join(dir, 'odd-labels', 'x.labels.npy'), /is not a regular file \(a FIFO\)/);
  const images = write(join(dir, 'odd-idx', 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 1, 1], [0, 1]));
  mkdirSync(join(dir, 'odd-idx', 'train-labels-idx1-ubyte'));
  await rejectsWithDataError(loadDataset(images), join(dir, 'odd-idx', 'train-labels-idx1-ubyte'), /is a folder, not a file/);
});

test('datasetFiles: lists what the loaders read, skipping labels files, node_modules and dot-folders', async () => {
  const root = join(dir, 'workspace');
  const png = pngBytes(1, 1, greyPixels([1]));
  write(join(root, 'a.csv'), '1,2\n3,4\n');
  write(join(root, 'data', 'x.npy'), npyBytes('<f4', [2, 1], [1, 2]));
  write(join(root, 'data', 'x.labels.npy'), npyBytes('<i4', [2], [0, 1]));
  write(join(root, 'data', 'readme.md'), 'not data');
  write(join(root, 'mnist', 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [2, 1, 1], [0, 1])));
  write(join(root, 'mnist', 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [2], [0, 1])));
  write(join(root, 'pets', 'cat', '1.png'), png);
  write(join(root, 'pets', 'cat', '2.png'), png);
  write(join(root, 'pets', 'dog', '1.png'), png);
  write(join(root, 'pets', 'dog', '2.png'), png);
  write(join(root, 'icons', 'logo.png'), png);
  write(join(root, 'icons', 'logo2.png'), png);
  write(join(root, 'node_modules', 'pkg', 'b.csv'), '1\n');
  write(join(root, '.cache', 'c.csv'), '1\n');
  const found = await datasetFiles(root);
  assert.deepEqual(found, [
    join(root, 'a.csv'),
    join(root, 'data', 'x.npy'),
    join(root, 'icons'),
    join(root, 'mnist'),
    join(root, 'mnist', 'train-images-idx3-ubyte.gz'),
    join(root, 'pets'),
  ]);
  for (const path of found) assert.ok((await loadSplit(path)).train.n > 0, path);
  assert.deepEqual(await datasetFiles(join(root, 'icons')), [join(root, 'icons')]);
});
