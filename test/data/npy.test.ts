import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset } from '../../src/engine/data/load';
import { escapeRegExp, grey, npyBytes, rejectsWithDataError, tempDir, write } from './fixtures';

const dir = tempDir();

test('npy: every supported dtype round-trips; uint8 scales to [0, 1], the rest keep their values', async () => {
  const cases: [string, number[], number[]][] = [
    ['<f4', [0.5, -2, 1e-3, 7], [0.5, -2, Math.fround(1e-3), 7]],
    ['<f8', [0.1, 2, -3.25, 1e10], [Math.fround(0.1), 2, -3.25, 1e10]],
    ['|u1', [0, 1, 128, 255], grey([0, 1, 128, 255])],
    ['<i4', [-5, 0, 70000, 3], [-5, 0, 70000, 3]],
    ['<i8', [-5, 0, 2 ** 40, 3], [-5, 0, 2 ** 40, 3]],
    ['|b1', [1, 0, 0, 1], [1, 0, 0, 1]],
  ];
  for (const [descr, values, expected] of cases) {
    const file = write(join(dir, 'dtypes', `${descr.slice(1)}.npy`), npyBytes(descr, [2, 2], values));
    const data = await loadDataset(file);
    assert.deepEqual(Array.from(data.x), expected, descr);
    assert.equal(data.n, 2);
    assert.equal(data.d, 2);
    assert.equal(data.imageShape, undefined);
    assert.equal(data.labels, undefined);
  }
});

test('npy: the value kind follows the values', async () => {
  const kindOf = async (name: string, descr: string, values: number[]) =>
    (await loadDataset(write(join(dir, 'kinds', name), npyBytes(descr, [1, values.length], values)))).kind;
  assert.equal(await kindOf('b.npy', '|b1', [0, 1, 1]), 'binary');
  assert.equal(await kindOf('u.npy', '|u1', [0, 17, 255]), 'unit');
  assert.equal(await kindOf('r.npy', '<f4', [0, 1.5]), 'real');
});

test('npy: versions 2 and 3 of the header read the same', async () => {
  for (const version of [2, 3] as const) {
    const file = write(join(dir, 'versions', `v${version}.npy`), npyBytes('<f4', [3, 1], [1, 2, 3], { version }));
    assert.deepEqual(Array.from((await loadDataset(file)).x), [1, 2, 3]);
  }
});

test('npy: a 3-D array is N images of height x width, with NAME.labels.npy as labels', async () => {
  const pixels = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110];
  const file = write(join(dir, 'images', 'digits.npy'), npyBytes('|u1', [2, 3, 2], pixels));
  write(join(dir, 'images', 'digits.labels.npy'), npyBytes('<i8', [2], [4, 9]));
  const data = await loadDataset(file);
  assert.deepEqual(data.imageShape, [3, 2]);
  assert.equal(data.d, 6);
  assert.deepEqual(Array.from(data.x), grey(pixels));
  assert.deepEqual(Array.from(data.labels ?? []), [4, 9]);
  assert.equal(data.kind, 'unit');
});

test('npy: NAME_labels.npy is found as well, (N, 1) shaped', async () => {
  const file = write(join(dir, 'underscore', 'x.npy'), npyBytes('<f4', [3, 2], [1, 2, 3, 4, 5, 6]));
  write(join(dir, 'underscore', 'x_labels.npy'), npyBytes('|u1', [3, 1], [0, 1, 0]));
  assert.deepEqual(Array.from((await loadDataset(file)).labels ?? []), [0, 1, 0]);
});

test('npy: a wrong magic number is named', async () => {
  const file = write(join(dir, 'magic', 'x.npy'), Buffer.from('PK\x03\x04 this is a zip'));
  await rejectsWithDataError(loadDataset(file), file, /wrong magic number: not an NPY file/);
});

test('npy: truncated data and a truncated header are reported with sizes', async () => {
  const full = npyBytes('<f4', [3, 4], new Array(12).fill(1));
  const data = write(join(dir, 'trunc', 'data.npy'), full.subarray(0, full.length - 8));
  await rejectsWithDataError(loadDataset(data), data, /truncated: header says shape \(3, 4\) of <f4 \(48 bytes of data\) but the file has 40$/);
  const header = write(join(dir, 'trunc', 'header.npy'), full.subarray(0, 40));
  await rejectsWithDataError(loadDataset(header), header, new RegExp(`truncated: the header needs ${full.length - 48} bytes but the file has 40`));
  const long = write(join(dir, 'trunc', 'long.npy'), Buffer.concat([full, Buffer.alloc(4)]));
  await rejectsWithDataError(loadDataset(long), long, /4 bytes too many/);
});

test('npy: Fortran order and unsupported dtypes are refused plainly', async () => {
  const fortran = write(join(dir, 'refused', 'f.npy'), npyBytes('<f4', [2, 2], [1, 2, 3, 4], { fortran: true }));
  await rejectsWithDataError(loadDataset(fortran), fortran, /Fortran \(column-major\) order/);
  const bigEndian = write(join(dir, 'refused', 'b.npy'), npyBytes('>f4', [2, 2], [1, 2, 3, 4]));
  await rejectsWithDataError(loadDataset(bigEndian), bigEndian, /unsupported dtype '>f4'; supported: <f4, <f8, \|u1, \|b1, <i4, <i8/);
});

test('npy: shapes that are not a dataset, and labels that do not fit, are errors', async () => {
  const flat = write(join(dir, 'shapes', 'flat.npy'), npyBytes('<f4', [4], [1, 2, 3, 4]));
  await rejectsWithDataError(loadDataset(flat), flat, /has shape \(4,\); a dataset needs \(N, D\) or \(N, height, width\)/);
  const data = write(join(dir, 'shapes', 'x.npy'), npyBytes('<f4', [3, 1], [1, 2, 3]));
  const labels = write(join(dir, 'shapes', 'x.labels.npy'), npyBytes('<i4', [2], [0, 1]));
  await rejectsWithDataError(loadDataset(data), labels, new RegExp(`holds 2 labels but ${escapeRegExp(data)} holds 3 examples`));
  const wide = write(join(dir, 'shapes2', 'y.npy'), npyBytes('<f4', [2, 1], [1, 2]));
  const wideLabels = write(join(dir, 'shapes2', 'y_labels.npy'), npyBytes('<i4', [2, 2], [0, 1, 1, 0]));
  await rejectsWithDataError(loadDataset(wide), wideLabels, /has shape \(2, 2\); labels need \(N,\)/);
  const negative = write(join(dir, 'shapes3', 'z.npy'), npyBytes('<f4', [2, 1], [1, 2]));
  const negativeLabels = write(join(dir, 'shapes3', 'z.labels.npy'), npyBytes('<i4', [2], [0, -1]));
  await rejectsWithDataError(loadDataset(negative), negativeLabels, /label -1 at example 1 is not a whole number from 0 up/);
});

test('npy: NaN and infinite values are reported with their position', async () => {
  const nan = write(join(dir, 'nan', 'a.npy'), npyBytes('<f4', [4, 20], Array.from({ length: 80 }, (_, i) => (i === 77 ? NaN : i))));
  await rejectsWithDataError(loadDataset(nan), nan, /contains NaN at example 3, value 17/);
  const inf = write(join(dir, 'nan', 'b.npy'), npyBytes('<f8', [2, 2], [0, 1, Infinity, 2]));
  await rejectsWithDataError(loadDataset(inf), inf, /contains Infinity at example 1, value 0/);
});

test('npy: a header dict numpy would not have written is malformed, not guessed at', async () => {
  const good = npyBytes('<f4', [2, 1], [1, 2]);
  const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }";
  const start = good.indexOf('{');
  for (const [name, edited] of [
    ['double-comma', "{'descr': '<f4', 'fortran_order': False, 'shape': (2,1,,), }"],
    ['unterminated', "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), "],
    ['not-a-tuple', "{'descr': '<f4', 'fortran_order': False, 'shape': (2), }  "],
    ['extra-key', "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), 'x': 1}"],
    ['repeated-key', "{'descr': '<f4', 'descr': '<f4', 'shape': (2, 1), }"],
    ['trailing', "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), } !"],
    ['fortran-word', "{'descr': '<f4', 'fortran_order': Nope, 'shape': (2, 1), }"],
  ]) {
    const header = Buffer.from(edited.padEnd(dict.length, ' '), 'latin1');
    const file = write(join(dir, 'strict', `${name}.npy`), Buffer.concat([good.subarray(0, start), header, good.subarray(start + dict.length)]));
    await rejectsWithDataError(loadDataset(file), file, /malformed NPY header \(numpy writes a dict of 'descr', 'fortran_order' and 'shape'/);
  }
  const reordered = "{'shape': (2, 1), \"fortran_order\": False, 'descr': '<f4'}".padEnd(dict.length, ' ');
  const file = write(join(dir, 'strict', 'reordered.npy'), Buffer.concat([good.subarray(0, start), Buffer.from(reordered, 'latin1'), good.subarray(start + dict.length)]));
  assert.deepEqual(Array.from((await loadDataset(file)).x), [1, 2]);
});

test('npy: a finite <f8 value float32 cannot hold is said to exceed its range', async () => {
  const big = write(join(dir, 'big', 'a.npy'), npyBytes('<f8', [2, 2], [0, 1, 2, -1e300]));
  await rejectsWithDataError(loadDataset(big), big, /-1e\+300 exceeds float32's range \(±3\.4028e\+38\) at example 1, value 1/);
  const largest = write(join(dir, 'big', 'b.npy'), npyBytes('<f8', [1, 1], [3.4028234e38]));
  assert.deepEqual(Array.from((await loadDataset(largest)).x), [Math.fround(3.4028234e38)]);
});

test('npy: an empty file and an array of zero rows are both "empty"', async () => {
  const zeroBytes = write(join(dir, 'empty', 'a.npy'), Buffer.alloc(0));
  await rejectsWithDataError(loadDataset(zeroBytes), zeroBytes, /empty file/);
  const zeroRows = write(join(dir, 'empty', 'b.npy'), npyBytes('<f4', [0, 5], []));
  await rejectsWithDataError(loadDataset(zeroRows), zeroRows, /empty: it holds no examples/);
});
