import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../src/engine/data/load';
import { grey, greyPixels, pngBytes, pngChunk, pngFromParts, rejectsWithDataError, tempDir, write } from './fixtures';

const dir = tempDir();

test('png: a folder of greyscale images reads in name order as value / 255', async () => {
  const folder = join(dir, 'flat');
  write(join(folder, 'b.png'), pngBytes(3, 2, greyPixels([6, 5, 4, 3, 2, 1])));
  write(join(folder, 'a.png'), pngBytes(3, 2, greyPixels([0, 51, 102, 153, 204, 255])));
  write(join(folder, 'notes.txt'), 'not an image');
  write(join(folder, '.hidden.png'), 'skipped: dot files are not data');
  const data = await loadDataset(folder);
  assert.equal(data.n, 2);
  assert.equal(data.d, 6);
  assert.deepEqual(data.imageShape, [2, 3]);
  assert.deepEqual(Array.from(data.x), grey([0, 51, 102, 153, 204, 255, 6, 5, 4, 3, 2, 1]));
  assert.equal(data.labels, undefined);
  assert.equal(data.kind, 'unit');
  assert.equal(data.source, folder);
});

test('png: subfolders are classes, numbered in sorted order', async () => {
  const folder = join(dir, 'classes');
  write(join(folder, 'dog', '1.png'), pngBytes(2, 1, greyPixels([255, 255])));
  write(join(folder, 'cat', '2.png'), pngBytes(2, 1, greyPixels([0, 255])));
  write(join(folder, 'cat', '1.png'), pngBytes(2, 1, greyPixels([0, 0])));
  write(join(folder, 'empty-class', 'readme.md'), 'no images here, so not a class');
  const data = await loadDataset(folder);
  assert.deepEqual(Array.from(data.x), [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(data.labels ?? []), [0, 0, 1]);
  assert.equal(data.kind, 'binary');
});

test('png: colour becomes luminance and alpha is ignored', async () => {
  const folder = join(dir, 'colour');
  write(join(folder, 'c.png'), pngBytes(3, 1, [255, 0, 0, 255, 0, 255, 0, 0, 10, 20, 30, 128], 6));
  const data = await loadDataset(folder);
  const luma = (r: number, g: number, b: number) => Math.fround((0.299 * r + 0.587 * g + 0.114 * b) / 255);
  assert.deepEqual(Array.from(data.x), [luma(255, 0, 0), luma(0, 255, 0), luma(10, 20, 30)]);
});

test('png: a file that is not a PNG (wrong magic number) is named', async () => {
  const folder = join(dir, 'magic');
  write(join(folder, 'a.png'), pngBytes(1, 1, greyPixels([9])));
  const bad = write(join(folder, 'b.png'), 'GIF89a pretending');
  await rejectsWithDataError(loadDataset(folder), bad, /wrong magic number: not a PNG file/);
});

test('png: a truncated or corrupt PNG is named', async () => {
  const folder = join(dir, 'trunc');
  const full = pngBytes(8, 8, greyPixels(new Array(64).fill(0).map((_, i) => i * 4)));
  const bad = write(join(folder, 'a.png'), full.subarray(0, full.length - 20));
  await rejectsWithDataError(loadDataset(folder), bad, /truncated: the PNG ends after \d+ bytes, inside chunk IDAT at byte 33 \(which declares \d+ bytes\), before its IEND end chunk/);
  const corrupt = Buffer.from(full);
  corrupt[40] ^= 0xff;
  const broken = write(join(dir, 'corrupt', 'a.png'), corrupt);
  await rejectsWithDataError(loadDataset(join(dir, 'corrupt')), broken, /corrupt: the chunk at byte 33 has type bytes 49 44 41 ab, not four letters/);
  const noPalette = write(join(dir, 'no-palette', 'a.png'), pngFromParts(2, 1, Buffer.from([0, 0, 0]), { colourType: 3 }));
  await rejectsWithDataError(loadDataset(join(dir, 'no-palette')), noPalette, /not a readable PNG image \(Expected palette not found\)/);
});

test('png: images of different sizes name the first odd file', async () => {
  const folder = join(dir, 'sizes');
  write(join(folder, '1.png'), pngBytes(2, 2, greyPixels([0, 0, 0, 0])));
  write(join(folder, '2.png'), pngBytes(2, 2, greyPixels([1, 1, 1, 1])));
  const odd = write(join(folder, '3.png'), pngBytes(3, 2, greyPixels([0, 0, 0, 0, 0, 0])));
  write(join(folder, '4.png'), pngBytes(1, 1, greyPixels([0])));
  await rejectsWithDataError(loadDataset(folder), odd, /is 3x2 but .*1\.png is 2x2; every image must be the same size/);
});

test('png: images both loose and in subfolders are ambiguous', async () => {
  const folder = join(dir, 'mixed');
  write(join(folder, 'a.png'), pngBytes(1, 1, greyPixels([0])));
  write(join(folder, 'sub', 'b.png'), pngBytes(1, 1, greyPixels([0])));
  await rejectsWithDataError(loadDataset(folder), folder, /holds PNG images both directly and in subfolders/);
});

test('png: a folder without images and an empty PNG file are "empty"', async () => {
  const none = join(dir, 'none');
  write(join(none, 'data.txt'), '1,2,3');
  await rejectsWithDataError(loadDataset(none), none, /empty: no PNG images in it or in its subfolders/);
  const zero = write(join(dir, 'zero', 'a.png'), Buffer.alloc(0));
  await rejectsWithDataError(loadDataset(join(dir, 'zero')), zero, /empty file/);
});

/** `rows` scanlines of a `width`-pixel 8-bit grey image, filter byte 0, pixel value `level`. */
function greyRows(width: number, rows: number, level = 128): Buffer {
  const row = Buffer.alloc(1 + width, level);
  row[0] = 0;
  return Buffer.concat(Array.from({ length: rows }, () => row));
}

test('png: image data that stops short of the declared rows is truncated, not zeros', async () => {
  const whole = write(join(dir, 'rows', 'whole', 'a.png'), pngFromParts(28, 28, greyRows(28, 28)));
  assert.deepEqual(Array.from((await loadDataset(join(dir, 'rows', 'whole'))).x), grey(new Array(784).fill(128)), `${whole} reads`);
  const short = write(join(dir, 'rows', 'short', 'a.png'), pngFromParts(28, 28, greyRows(28, 10)));
  await rejectsWithDataError(loadDataset(join(dir, 'rows', 'short')), short, /truncated image data: 290 of the 812 bytes a 28x28 image needs \(10 of 28 rows\)/);
  const interlaced = write(join(dir, 'rows', 'interlaced', 'a.png'), pngFromParts(28, 28, greyRows(28, 10), { interlace: 1 }));
  await rejectsWithDataError(loadDataset(join(dir, 'rows', 'interlaced')), interlaced, /truncated image data: 290 of the \d+ bytes a 28x28 image needs$/);
  const long = write(join(dir, 'rows', 'long', 'a.png'), pngFromParts(28, 28, greyRows(28, 29)));
  await rejectsWithDataError(loadDataset(join(dir, 'rows', 'long')), long, /corrupt: its image data holds more than the 812 bytes a 28x28 image needs/);
});

test('png: a declared size is checked against the file and a bound before anything is decoded', async () => {
  for (const side of [60000, 6000]) {
    const file = write(join(dir, `lying-${side}`, 'a.png'), pngFromParts(side, side, greyRows(28, 2)));
    await rejectsWithDataError(loadDataset(join(dir, `lying-${side}`)), file, new RegExp(`declares ${side}x${side} pixels, more than the 4194304 \\(2048x2048\\) an image may have`));
  }
  const small = write(join(dir, 'lying-small', 'a.png'), pngFromParts(2000, 2000, greyRows(28, 2)));
  await rejectsWithDataError(loadDataset(join(dir, 'lying-small')), small, /declares 2000x2000 pixels \(3\.82 MiB of image data\), more than its \d+ bytes of compressed image data can hold/);
  const flat = write(join(dir, 'flat-big', 'a.png'), pngFromParts(2049, 2048, Buffer.alloc(0)));
  await rejectsWithDataError(loadDataset(join(dir, 'flat-big')), flat, /declares 2049x2048 pixels, more than the 4194304/);
});

test('png: a bad CRC names the chunk', async () => {
  const good = pngBytes(4, 4, greyPixels(new Array(16).fill(7)));
  const badIhdr = Buffer.from(good);
  badIhdr[29] ^= 0x01; // the last byte of IHDR's CRC
  const file = write(join(dir, 'crc', 'a.png'), badIhdr);
  await rejectsWithDataError(loadDataset(join(dir, 'crc')), file, /corrupt: chunk IHDR at byte 8 has a bad CRC \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
  const badData = Buffer.from(good);
  badData[41] ^= 0x10; // inside the IDAT data
  const data = write(join(dir, 'crc-data', 'a.png'), badData);
  await rejectsWithDataError(loadDataset(join(dir, 'crc-data')), data, /corrupt: chunk IDAT at byte 33 has a bad CRC/);
});

test('png: honest interlaced images of every size read, each Adam7 pass sized as pngjs sizes it', async () => {
  // pngjs's own pass sizes are the oracle for how much image data an interlaced PNG holds.
  const { getImagePasses } = await import('pngjs/lib/interlace.js' as string) as { getImagePasses: (w: number, h: number) => { width: number; height: number }[] };
  for (const [width, height] of [[1, 1], [3, 5], [9, 2], [17, 33], [8, 8], [2, 9]]) {
    for (const bitDepth of [1, 8, 16]) {
      const passes = getImagePasses(width, height).map(({ width: w, height: h }) => {
        const row = Buffer.alloc(1 + Math.ceil((w * bitDepth) / 8), 0xff);
        row[0] = 0;
        return Buffer.concat(Array.from({ length: h }, () => row));
      });
      const folder = join(dir, 'interlaced', `${width}x${height}-${bitDepth}`);
      write(join(folder, 'a.png'), pngFromParts(width, height, Buffer.concat(passes), { bitDepth, interlace: 1 }));
      const data = await loadDataset(folder);
      assert.deepEqual(Array.from(data.x), new Array(width * height).fill(1), `${width}x${height}, ${bitDepth}-bit`);
    }
  }
});

test('png: a gzipped file named .png is not unpacked: it is no PNG', async () => {
  const file = write(join(dir, 'gz', 'a.png'), gzipSync(pngBytes(1, 1, greyPixels([0]))));
  await rejectsWithDataError(loadDataset(join(dir, 'gz')), file, /wrong magic number: not a PNG file/);
});

test('png: a critical chunk PNG does not define, and a PNG without image data, are named as such', async () => {
  const good = pngBytes(2, 2, greyPixels([1, 2, 3, 4]));
  const idatAt = 33;
  const unknown = write(join(dir, 'critical', 'a.png'), Buffer.concat([good.subarray(0, idatAt), pngChunk('ABCD', Buffer.alloc(4)), good.subarray(idatAt)]));
  await rejectsWithDataError(loadDataset(join(dir, 'critical')), unknown, /corrupt or unsupported: chunk ABCD at byte 33 is a critical chunk PNG does not define/);
  const ancillary = write(join(dir, 'ancillary', 'a.png'), Buffer.concat([good.subarray(0, idatAt), pngChunk('tEXt', Buffer.from('Comment\0skipped')), good.subarray(idatAt)]));
  assert.deepEqual(Array.from((await loadDataset(join(dir, 'ancillary'))).x), grey([1, 2, 3, 4]), `${ancillary} reads`);
  const noData = write(join(dir, 'no-idat', 'a.png'), Buffer.concat([good.subarray(0, idatAt), pngChunk('IEND', Buffer.alloc(0))]));
  await rejectsWithDataError(loadDataset(join(dir, 'no-idat')), noData, /corrupt: it holds no image data \(no IDAT chunk\)/);
});
