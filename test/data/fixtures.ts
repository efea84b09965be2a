// Dataset files written in code for the loader tests, byte by byte from each
// format's specification, into a fresh temporary folder per test file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { DataError } from '../../src/engine/data/dataset';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'latent-lab-data-'));
}

export function write(path: string, contents: Buffer | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents);
  return path;
}

const IDX_WRITERS: Record<number, [number, (b: Buffer, v: number, o: number) => void]> = {
  0x08: [1, (b, v, o) => b.writeUInt8(v, o)],
  0x0c: [4, (b, v, o) => b.writeInt32BE(v, o)],
  0x0d: [4, (b, v, o) => b.writeFloatBE(v, o)],
  0x0e: [8, (b, v, o) => b.writeDoubleBE(v, o)],
};

export function idxBytes(typeCode: number, dims: number[], values: number[]): Buffer {
  const [size, put] = IDX_WRITERS[typeCode];
  const header = 4 + 4 * dims.length;
  const b = Buffer.alloc(header + values.length * size);
  b.writeUInt32BE(typeCode * 256 + dims.length, 0);
  dims.forEach((dim, i) => b.writeUInt32BE(dim, 4 + 4 * i));
  values.forEach((v, i) => put(b, v, header + i * size));
  return b;
}

const NPY_WRITERS: Record<string, [number, (b: Buffer, v: number, o: number) => void]> = {
  '<f4': [4, (b, v, o) => b.writeFloatLE(v, o)],
  '<f8': [8, (b, v, o) => b.writeDoubleLE(v, o)],
  '|u1': [1, (b, v, o) => b.writeUInt8(v, o)],
  '|b1': [1, (b, v, o) => b.writeUInt8(v, o)],
  '<i4': [4, (b, v, o) => b.writeInt32LE(v, o)],
  '<i8': [8, (b, v, o) => b.writeBigInt64LE(BigInt(v), o)],
  '>f4': [4, (b, v, o) => b.writeFloatBE(v, o)],
};

/** An .npy file as numpy.save writes it: the header dict padded with spaces and a newline to a multiple of 64 bytes. */
export function npyBytes(descr: string, shape: number[], values: number[], options: { version?: 1 | 2 | 3; fortran?: boolean } = {}): Buffer {
  const version = options.version ?? 1;
  const [size, put] = NPY_WRITERS[descr];
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const preamble = version === 1 ? 10 : 12;
  const padded = dict.padEnd(Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble - 1, ' ') + '\n';
  const head = Buffer.alloc(preamble);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = version;
  if (version === 1) head.writeUInt16LE(padded.length, 8);
  else head.writeUInt32LE(padded.length, 8);
  const data = Buffer.alloc(values.length * size);
  values.forEach((v, i) => put(data, v, i * size));
  return Buffer.concat([head, Buffer.from(padded, version === 3 ? 'utf8' : 'latin1'), data]);
}

/** A PNG from RGBA pixels, encoded as greyscale (colorType 0) or RGBA (colorType 6). */
export function pngBytes(width: number, height: number, rgba: number[], colorType: 0 | 6 = 0): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png, { colorType });
}

/** One PNG chunk: length, type, data and the CRC over type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG written chunk by chunk, for images no encoder would write: `imageData` is the already-filtered scanlines, deflated here. */
export function pngFromParts(width: number, height: number, imageData: Buffer, options: { bitDepth?: number; colourType?: number; interlace?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = options.bitDepth ?? 8;
  ihdr[9] = options.colourType ?? 0;
  ihdr[12] = options.interlace ?? 0;
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(imageData)), pngChunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** RGBA pixels for grey levels, fully opaque. */
export function greyPixels(levels: number[]): number[] {
  return levels.flatMap((v) => [v, v, v, 255]);
}

/** Asserts that `promise` fails with a DataError for `file` whose message matches `problem`. */
export async function rejectsWithDataError(promise: Promise<unknown>, file: string, problem: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.ok(e.message.startsWith(`${file}: `), `message does not start with the file: ${e.message}`);
    assert.match(e.message, problem);
    return true;
  });
}

/** The values a loader must produce for bytes 0..255: the float32 nearest v / 255. */
export function grey(levels: number[]): number[] {
  return levels.map((v) => Math.fround(v / 255));
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
