import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/engine/data/load';
import { rejectsWithDataError, tempDir, write } from './fixtures';

const dir = tempDir();

test('csv: a header with a label column round-trips values and labels', async () => {
  const file = write(join(dir, 'labelled.csv'), '\ufeff"a", label ,b\r\n0.5,3,-1\r\n\r\n1e-3,0,2.25\r\n');
  const data = await loadDataset(file);
  assert.deepEqual(Array.from(data.x), [0.5, -1, Math.fround(1e-3), 2.25]);
  assert.deepEqual(Array.from(data.labels ?? []), [3, 0]);
  assert.equal(data.n, 2);
  assert.equal(data.d, 2);
  assert.equal(data.kind, 'real');
  assert.equal(data.imageShape, undefined);
  assert.equal(data.source, file);
});

test('csv: without a header every column is a value, even a square number of them', async () => {
  const file = write(join(dir, 'plain.csv'), '0,1,1,0\n1,1,0,0\n0,0,0,1\n');
  const data = await loadDataset(file);
  assert.deepEqual(Array.from(data.x), [0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
  assert.equal(data.d, 4);
  assert.equal(data.imageShape, undefined);
  assert.equal(data.labels, undefined);
  assert.equal(data.kind, 'binary');
});

test('csv: a header without a label column, gzipped', async () => {
  const file = write(join(dir, 'zipped.csv.gz'), gzipSync('x,y\n0.25,0.75\n1,0.5\n'));
  const data = await loadDataset(file);
  assert.deepEqual(Array.from(data.x), [0.25, 0.75, 1, 0.5]);
  assert.equal(data.labels, undefined);
  assert.equal(data.kind, 'unit');
});

test('csv: a binary file (the CSV counterpart of a wrong magic number) is named as such', async () => {
  const file = write(join(dir, 'binary.csv'), Buffer.from([0x93, 0x4e, 0x55, 0x00, 0x01, 0x0a, 0x31]));
  await rejectsWithDataError(loadDataset(file), file, /holds binary data \(a NUL byte\), not CSV text/);
});

test('csv: a truncated last row and a row too long name their line', async () => {
  const short = write(join(dir, 'short.csv'), 'a,b,c\n1,2,3\n4,5,6\n7,8');
  await rejectsWithDataError(loadDataset(short), short, /line 4 has 2 columns but the header has 3/);
  const long = write(join(dir, 'long.csv'), '1,2\n3,4\n5,6,7\n');
  await rejectsWithDataError(loadDataset(long), long, /line 3 has 3 columns but line 1 has 2/);
  const quote = write(join(dir, 'quote.csv'), '1,2\n3,"4\n');
  await rejectsWithDataError(loadDataset(quote), quote, /not valid CSV \(Quote Not Closed/);
});

test('csv: NaN, infinities, words and empty cells name line and column', async () => {
  const nan = write(join(dir, 'nan.csv'), 'a,b\n1,2\n3,NaN\n');
  await rejectsWithDataError(loadDataset(nan), nan, /line 3, column 2 \("b"\): "NaN" is not a finite number/);
  const firstRowNan = write(join(dir, 'nan-first.csv'), '1,nan\n3,4\n');
  await rejectsWithDataError(loadDataset(firstRowNan), firstRowNan, /line 1, column 2: "nan" is not a finite number/);
  const inf = write(join(dir, 'inf.csv'), '1,2\n-Infinity,4\n');
  await rejectsWithDataError(loadDataset(inf), inf, /line 2, column 1: "-Infinity" is not a finite number/);
  const word = write(join(dir, 'word.csv'), 'a,b\n1,2\n3,four\n');
  await rejectsWithDataError(loadDataset(word), word, /line 3, column 2 \("b"\): "four" is not a decimal number/);
  const blank = write(join(dir, 'blank.csv'), '1,2\n,4\n');
  await rejectsWithDataError(loadDataset(blank), blank, /line 2, column 1: empty cell/);
});

test('csv: labels must be whole numbers from 0', async () => {
  const file = write(join(dir, 'badlabel.csv'), 'v,label\n1,0\n2,1.5\n');
  await rejectsWithDataError(loadDataset(file), file, /line 3, column 2 \("label"\): "1.5" is not a label/);
});

test('csv: an empty file, a header alone, and a label column alone are "empty"', async () => {
  const zero = write(join(dir, 'zero.csv'), '');
  await rejectsWithDataError(loadDataset(zero), zero, /empty file/);
  const blankLines = write(join(dir, 'blank-lines.csv'), '\n\n');
  await rejectsWithDataError(loadDataset(blankLines), blankLines, /empty: no rows of numbers/);
  const headerOnly = write(join(dir, 'header-only.csv'), 'a,b,label\n');
  await rejectsWithDataError(loadDataset(headerOnly), headerOnly, /empty: a header but no rows of numbers/);
  const labelsOnly = write(join(dir, 'labels-only.csv'), 'label\n1\n2\n');
  await rejectsWithDataError(loadDataset(labelsOnly), labelsOnly, /empty: its examples hold no values/);
});

test('csv: hex, binary and octal literals are not decimal numbers', async () => {
  for (const cell of ['0x10', '0b11', '0o7', '0X1F', '1_000']) {
    const file = write(join(dir, `literal-${cell}.csv`), `a,b\n1,2\n3,${cell}\n`);
    await rejectsWithDataError(loadDataset(file), file, new RegExp(`line 3, column 2 \\("b"\\): "${cell}" is not a decimal number`));
  }
  const firstRow = write(join(dir, 'literal-first.csv'), '0x10,1\n2,3\n');
  await rejectsWithDataError(loadDataset(firstRow), firstRow, /line 1, column 1: "0x10" is not a decimal number/);
  const decimals = write(join(dir, 'decimals.csv'), '-1.5,.25,3.,+2e-3,1E2\n');
  assert.deepEqual(Array.from((await loadDataset(decimals)).x), [-1.5, 0.25, 3, 2e-3, 100].map(Math.fround));
});

test('csv: a header with two label columns is refused, naming both', async () => {
  const file = write(join(dir, 'two-labels.csv'), 'label,a,Label\n1,2,3\n');
  await rejectsWithDataError(loadDataset(file), file, /the header has 2 columns named "label" \(columns 1, 3\); only one can hold the labels/);
});

test('csv: a finite value float32 cannot hold is said to exceed its range', async () => {
  const big = write(join(dir, 'big.csv'), 'a,b\n1,2\n3,-1e39\n');
  await rejectsWithDataError(loadDataset(big), big, /line 3, column 2 \("b"\): "-1e39" exceeds float32's range \(±3\.4028e\+38\)/);
  const huge = write(join(dir, 'huge.csv'), '1e400,2\n');
  await rejectsWithDataError(loadDataset(huge), huge, /line 1, column 1: "1e400" exceeds float32's range/);
  const largest = write(join(dir, 'largest.csv'), '3.4028234e38,-3.4028234e38\n');
  assert.deepEqual(Array.from((await loadDataset(largest)).x), [3.4028234e38, -3.4028234e38].map(Math.fround));
});

test('csv: a row too long to be numbers is refused quickly, and another separator is named', async () => {
  const long = write(join(dir, 'long.csv'), `1,2\n"${'3,'.repeat(2 ** 21)}\n`);
  await rejectsWithDataError(loadDataset(long), long, /line 2 is longer than 2 MiB: not a row of numbers \(an unclosed quote\?\)/);
  const semicolons = write(join(dir, 'semicolons.csv'), '1;2\n3;4\n');
  await rejectsWithDataError(loadDataset(semicolons), semicolons, /"3;4" is not a decimal number \(only commas separate cells; is this file separated by ";"\?\)/);
});

test('csv: gzipped text is parsed as it inflates, so a small file cannot fill memory with text', async () => {
  const bomb = write(join(dir, 'bomb.csv.gz'), gzipSync(Buffer.from('0,'.repeat(16 * 2 ** 20))));
  await rejectsWithDataError(loadDataset(bomb), bomb, /line 1 is longer than 2 MiB/);
  const rows = write(join(dir, 'rows.csv.gz'), gzipSync(Buffer.from('label,a\n' + '1,0.5\n'.repeat(100_000))));
  const data = await loadDataset(rows);
  assert.equal(data.n, 100_000);
  assert.deepEqual([data.x[99_999], data.labels?.[99_999]], [0.5, 1]);
});
