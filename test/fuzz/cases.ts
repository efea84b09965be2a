// Damaged inputs for every loader, generated from a seed: valid files of each
// format, then bit flips, truncation at each structural boundary, headers that
// lie about sizes and counts, and wrong dtypes. The same seed gives the same
// cases, byte for byte, so any failure can be reproduced from its seed and id.
import { gzipSync } from 'node:zlib';
import { smallCheckpointBytes } from '../helpers/checkpoint';
import { greyPixels, idxBytes, npyBytes, pngBytes, pngChunk, pngFromParts } from '../data/fixtures';
import type { Loader } from './protocol';

/** A file of a case: its bytes, or a special file the loaders must refuse without reading. */
export interface FuzzFile {
  readonly path: string;
  readonly bytes?: Buffer;
  readonly special?: 'fifo' | 'folder' | 'device';
}

export interface FuzzCase {
  readonly id: string;
  readonly loader: Loader;
  readonly description: string;
  readonly files: readonly FuzzFile[];
  /** The path handed to the loader, relative to the case's folder. */
  readonly target: string;
}

/** A damaged version of one file, described. */
interface Damage {
  readonly description: string;
  readonly bytes: Buffer;
}

/** Every generator, by format, so a seed can be run for one format at a time. */
export const FORMATS = ['idx', 'npy', 'csv', 'png', 'checkpoint', 'special'] as const;
export type Format = (typeof FORMATS)[number];

export function fuzzCases(seed: number, formats: readonly Format[] = FORMATS): FuzzCase[] {
  const generators: Record<Format, (rng: Rng) => FuzzCase[]> = {
    idx: idxCases, npy: npyCases, csv: csvCases, png: pngCases, checkpoint: checkpointCases, special: () => specialCases(),
  };
  return formats.flatMap((format) => generators[format](new Rng(seed, format)));
}

/** splitmix32 over (seed, stream): small, seedable and good enough to pick damage. */
export class Rng {
  private state: number;

  constructor(seed: number, stream: string) {
    let h = seed >>> 0;
    for (const c of stream) h = Math.imul(h ^ c.charCodeAt(0), 0x9e3779b1) >>> 0;
    this.state = h;
  }

  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

// ---- damage that applies to any file -------------------------------------------------------

/** Cut the file at each boundary, and one byte either side of it. */
function truncations(bytes: Buffer, boundaries: Record<string, number>): Damage[] {
  const seen = new Set<number>();
  const out: Damage[] = [];
  for (const [what, at] of Object.entries(boundaries)) {
    for (const cut of [at - 1, at, at + 1]) {
      if (cut < 0 || cut >= bytes.length || seen.has(cut)) continue;
      seen.add(cut);
      out.push({ description: `truncated to ${cut} bytes (${what}${cut === at ? '' : cut < at ? ' - 1' : ' + 1'})`, bytes: bytes.subarray(0, cut) });
    }
  }
  return out;
}

/** `count` variants with 1 to 4 flipped bits, half of them within the first `headerBytes`. */
function bitFlips(rng: Rng, bytes: Buffer, count: number, headerBytes: number): Damage[] {
  return Array.from({ length: count }, () => {
    const damaged = Buffer.from(bytes);
    const flips: string[] = [];
    for (let k = 1 + rng.int(4); k > 0; k--) {
      const at = rng.next() < 0.5 ? rng.int(Math.min(headerBytes, bytes.length)) : rng.int(bytes.length);
      const bit = rng.int(8);
      damaged[at] ^= 1 << bit;
      flips.push(`${at}.${bit}`);
    }
    return { description: `bits flipped at ${flips.join(', ')}`, bytes: damaged };
  });
}

/** A copy of `bytes` with `write` applied. */
function edited(bytes: Buffer, write: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(bytes);
  write(copy);
  return copy;
}

/** Turns damage to one file of a set of valid files into cases. */
function casesFor(prefix: string, loader: FuzzCase['loader'], valid: readonly FuzzFile[], damaged: string, target: string, damages: readonly Damage[]): FuzzCase[] {
  return damages.map((d, i) => ({
    id: `${prefix}-${i}`,
    loader,
    description: `${damaged}: ${d.description}`,
    files: valid.map((f) => (f.path === damaged ? { path: f.path, bytes: d.bytes } : f)),
    target,
  }));
}

// ---- IDX -----------------------------------------------------------------------------------

const IDX_LIES = [0, 1, 4, 6, 0xffff, 2 ** 31, 2 ** 32 - 1];

function idxCases(rng: Rng): FuzzCase[] {
  const n = 6;
  const pixels = Array.from({ length: n * 12 }, () => rng.int(256));
  const images = idxBytes(0x08, [n, 3, 4], pixels);
  const labels = idxBytes(0x08, [n], Array.from({ length: n }, () => rng.int(10)));
  const files = [
    { path: 'mnist/train-images-idx3-ubyte', bytes: images },
    { path: 'mnist/train-labels-idx1-ubyte', bytes: labels },
    { path: 'mnist/t10k-images-idx3-ubyte', bytes: idxBytes(0x08, [2, 3, 4], pixels.slice(0, 24)) },
  ];
  const headerLies = (bytes: Buffer, dims: number): Damage[] => [
    ...Array.from({ length: dims }, (_, i) => IDX_LIES.map((v) => ({ description: `dimension ${i} says ${v}`, bytes: edited(bytes, (b) => b.writeUInt32BE(v, 4 + 4 * i)) }))).flat(),
    ...[0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xff].map((t) => ({ description: `type byte ${t}`, bytes: edited(bytes, (b) => { b[2] = t; }) })),
    ...[0, 2, 4, 255].map((d) => ({ description: `dimension count ${d}`, bytes: edited(bytes, (b) => { b[3] = d; }) })),
  ];
  const boundaries = (dims: number, length: number) => ({
    magic: 2, 'type byte': 3, 'dimension count': 4, ...Object.fromEntries(Array.from({ length: dims }, (_, i) => [`dimension ${i}`, 8 + 4 * i])), 'middle of data': Math.floor(length / 2), 'last byte': length - 1,
  });
  const imageDamage = [
    ...truncations(images, boundaries(3, images.length)),
    ...headerLies(images, 3),
    ...bitFlips(rng, images, 12, 16),
    { description: 'gzipped, then cut in half', bytes: gzipSync(images).subarray(0, 20) },
    { description: 'gzipped with a lying first dimension', bytes: gzipSync(edited(images, (b) => b.writeUInt32BE(2 ** 31, 4))) },
    { description: 'a gzip stream that inflates to 20 MB of zeros', bytes: gzipSync(Buffer.alloc(20 * 2 ** 20)) },
  ];
  const labelDamage = [...truncations(labels, boundaries(1, labels.length)), ...headerLies(labels, 1), ...bitFlips(rng, labels, 6, 8)];
  return [
    ...casesFor('idx-images', 'data', files, 'mnist/train-images-idx3-ubyte', 'mnist', imageDamage),
    ...casesFor('idx-labels', 'data', files, 'mnist/train-labels-idx1-ubyte', 'mnist', labelDamage),
  ];
}

// ---- NPY -----------------------------------------------------------------------------------

const NPY_DTYPES = ['<f4', '<f8', '|u1', '|b1', '<i4', '<i8'];

function npyCases(rng: Rng): FuzzCase[] {
  const descr = rng.pick(NPY_DTYPES);
  const values = Array.from({ length: 6 * 2 * 3 }, () => (descr === '|b1' ? rng.int(2) : rng.int(200)));
  const data = npyBytes(descr, [6, 2, 3], values, { version: rng.pick([1, 2, 3] as const) });
  const labels = npyBytes('<i8', [6], [0, 1, 2, 0, 1, 2]);
  const files = [{ path: 'x.npy', bytes: data }, { path: 'x.labels.npy', bytes: labels }];
  const headerStart = data[6] === 1 ? 10 : 12;
  const dataStart = headerStart + (data[6] === 1 ? data.readUInt16LE(8) : data.readUInt32LE(8));
  const header = data.toString('latin1', headerStart, dataStart);
  /** The same file with its header dict edited; the header length is kept right unless `keepLength`. */
  const withHeader = (edit: (h: string) => string): Buffer => {
    const text = edit(header);
    const head = Buffer.from(data.subarray(0, headerStart));
    if (data[6] === 1) head.writeUInt16LE(Math.min(text.length, 0xffff), 8);
    else head.writeUInt32LE(text.length, 8);
    return Buffer.concat([head, Buffer.from(text, 'latin1'), data.subarray(dataStart)]);
  };
  const shapes = ['()', '(0,)', '(6,)', '(6, 6)', '(36,)', '(99999999999, 2, 3)', '(6, 2, 3, 1)', '(-6, 2, 3)', '(6, 2.5, 3)', '(1e9,)', '(2147483648, 2147483648, 2147483648)', '(6, 2, 3', '(6,2,3,,)'];
  const dtypes = [...NPY_DTYPES, '<f2', '>f4', '>i4', '|S5', '<c8', 'O', '<u2', '|i1', '<U3', '', "'"];
  const damage = [
    ...truncations(data, { magic: 6, version: 8, 'header length': headerStart, 'header dict': headerStart + 20, 'header end': dataStart, 'middle of data': Math.floor((dataStart + data.length) / 2), 'last byte': data.length - 1 }),
    ...shapes.map((s) => ({ description: `shape says ${s}`, bytes: withHeader((h) => h.replace(/\([^)]*\)/, s)) })),
    ...dtypes.map((t) => ({ description: `dtype says '${t}'`, bytes: withHeader((h) => h.replace(/'descr': '[^']*'/, `'descr': '${t}'`)) })),
    { description: 'Fortran order', bytes: withHeader((h) => h.replace('False', 'True')) },
    { description: 'gzipped, with 8 MB of zeros after the data', bytes: gzipSync(Buffer.concat([data, Buffer.alloc(8 * 2 ** 20)])) },
    { description: 'gzipped, shape says (99999999, 2, 3)', bytes: gzipSync(withHeader((h) => h.replace(/\([^)]*\)/, '(99999999, 2, 3)'))) },
    { description: 'header length says 20000', bytes: edited(data, (b) => (data[6] === 1 ? b.writeUInt16LE(20000, 8) : b.writeUInt32LE(20000, 8))) },
    { description: 'header dict unterminated', bytes: withHeader((h) => h.replace('}', ' ')) },
    { description: 'header dict of 70000 characters', bytes: withHeader((h) => h.replace('}', `, 'pad': '${'x'.repeat(70000)}'}`)) },
    ...[0, 1, 2, 3, 4, 255].map((v) => ({ description: `format version ${v}`, bytes: edited(data, (b) => { b[6] = v; }) })),
    ...[0, 1, 0xffff].map((v) => ({ description: `header length says ${v}`, bytes: edited(data, (b) => b.writeUInt16LE(v, 8)) })),
    ...bitFlips(rng, data, 14, dataStart),
  ];
  const labelDamage = [
    ...truncations(labels, { 'header end': labels.length - 48, 'last byte': labels.length - 1 }),
    ...bitFlips(rng, labels, 6, labels.length - 48),
    { description: 'labels of shape (6, 2)', bytes: npyBytes('<i4', [6, 2], Array(12).fill(1)) },
    { description: 'labels as floats with a fraction', bytes: npyBytes('<f8', [6], [0, 1, 2.5, 0, 1, 2]) },
    { description: 'labels beyond int32', bytes: npyBytes('<i8', [6], [0, 1, 2 ** 40, 0, 1, 2]) },
  ];
  return [...casesFor('npy', 'data', files, 'x.npy', 'x.npy', damage), ...casesFor('npy-labels', 'data', files, 'x.labels.npy', 'x.npy', labelDamage)];
}

// ---- CSV -----------------------------------------------------------------------------------

const BAD_CELLS = ['0x10', '0b11', '0o7', '1e39', '-1e400', 'NaN', 'inf', '', '"', '""', '"1,2"', '\u0000', '\uff11', ' 1 ', '1e', '.', '-', '+.5', '1_0', 'label', '1\n2'];

function csvCases(rng: Rng): FuzzCase[] {
  const rows = Array.from({ length: 8 }, (_, i) => [String(i % 3), ...Array.from({ length: 4 }, () => (rng.int(1000) / 1000).toString())]);
  const text = (header: string[], body: string[][], eol = '\n') => [header, ...body].map((r) => r.join(',')).join(eol) + eol;
  const header = ['label', 'a', 'b', 'c', 'd'];
  const valid = Buffer.from(text(header, rows));
  const files = [{ path: 'data.csv', bytes: valid }];
  const lines = valid.toString().split('\n');
  const lineStarts = lines.reduce<number[]>((starts, line) => [...starts, starts[starts.length - 1] + line.length + 1], [0]);
  const cell = (value: string) => {
    const r = rng.int(rows.length), c = rng.int(5);
    const body = rows.map((row, i) => (i === r ? row.map((v, j) => (j === c ? value : v)) : row));
    return { description: `row ${r + 2}, column ${c + 1} is ${JSON.stringify(value)}`, bytes: Buffer.from(text(header, body)) };
  };
  const damage = [
    ...truncations(valid, { 'end of header': lineStarts[1] - 1, 'second row': lineStarts[2], 'inside a cell': lineStarts[3] + 3, 'last byte': valid.length - 1 }),
    ...BAD_CELLS.map(cell),
    { description: 'two label columns', bytes: Buffer.from(text(['label', 'a', 'label', 'c', 'd'], rows)) },
    { description: 'a row one cell short', bytes: Buffer.from(text(header, [...rows.slice(0, 3), rows[3].slice(1), ...rows.slice(4)])) },
    { description: 'a row one cell long', bytes: Buffer.from(text(header, [...rows.slice(0, 3), [...rows[3], '1'], ...rows.slice(4)])) },
    { description: 'no header, all numbers', bytes: Buffer.from(text(rows[0], rows.slice(1))) },
    { description: 'CRLF line ends and a byte-order mark', bytes: Buffer.from(`\ufeff${text(header, rows, '\r\n')}`) },
    { description: 'an unclosed quote', bytes: Buffer.from(`${text(header, rows)}"1,2,3\n`) },
    { description: 'a row of 100000 cells', bytes: Buffer.from(text(header, [...rows, Array(100000).fill('1')])) },
    { description: 'only a header', bytes: Buffer.from('label,a,b\n') },
    { description: 'only label columns', bytes: Buffer.from('label\n1\n2\n') },
    { description: 'gzipped', bytes: gzipSync(valid) },
    { description: 'gzipped, with 8 MB of one row after it', bytes: gzipSync(Buffer.concat([valid, Buffer.from('1,'.repeat(4 * 2 ** 20))])) },
    { description: 'binary garbage', bytes: Buffer.from(Array.from({ length: 300 }, () => 1 + rng.int(255))) },
    ...bitFlips(rng, valid, 14, lineStarts[1]),
  ];
  return casesFor('csv', 'data', files, 'data.csv', 'data.csv', damage);
}

// ---- PNG -----------------------------------------------------------------------------------

interface Chunk {
  readonly at: number;
  readonly type: string;
  readonly length: number;
}

function chunksOf(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = 8; at + 12 <= png.length;) {
    const length = png.readUInt32BE(at);
    chunks.push({ at, type: png.toString('latin1', at + 4, at + 8), length });
    at += 12 + length;
  }
  return chunks;
}

/** The same PNG with the CRC of every chunk made right again, so that damage reaches the decoder. */
function withCrcsFixed(png: Buffer): Buffer {
  const out = Buffer.from(png);
  for (const c of chunksOf(png)) {
    if (c.at + 12 + c.length > png.length) break;
    out.set(pngChunk(c.type, png.subarray(c.at + 8, c.at + 8 + c.length)), c.at);
  }
  return out;
}

/** A PNG with its IHDR fields replaced (and its CRC fixed). */
function withHeaderField(png: Buffer, offset: number, write: (b: Buffer, at: number) => void): Buffer {
  return withCrcsFixed(edited(png, (b) => write(b, 16 + offset)));
}

function pngCases(rng: Rng): FuzzCase[] {
  const image = (colourType: 0 | 6) => pngBytes(4, 4, colourType === 0 ? greyPixels(Array.from({ length: 16 }, () => rng.int(256))) : Array.from({ length: 64 }, () => rng.int(256)), colourType);
  const target = image(rng.pick([0, 6] as const));
  const files = [
    { path: 'pets/cat/1.png', bytes: image(0) }, { path: 'pets/cat/2.png', bytes: target }, { path: 'pets/cat/3.png', bytes: image(6) },
    { path: 'pets/dog/1.png', bytes: image(0) }, { path: 'pets/dog/2.png', bytes: image(6) },
  ];
  const chunks = chunksOf(target);
  const boundaries = Object.fromEntries(chunks.flatMap((c) => [
    [`${c.type} length`, c.at], [`${c.type} type`, c.at + 4], [`${c.type} data`, c.at + 8], [`middle of ${c.type}`, c.at + 8 + Math.floor(c.length / 2)], [`${c.type} CRC`, c.at + 8 + c.length],
  ]));
  const row = (width: number, filter = 0) => Buffer.concat([Buffer.from([filter]), Buffer.alloc(width, 90)]);
  const rows = (width: number, count: number, filter = 0) => Buffer.concat(Array.from({ length: count }, () => row(width, filter)));
  const idat = chunks.find((c) => c.type === 'IDAT') as Chunk;
  const sizes = [0, 1, 3, 5, 2048, 2049, 60000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
  const damage = [
    { description: 'signature only', bytes: target.subarray(0, 8) },
    ...truncations(target, { signature: 8, ...boundaries }),
    ...sizes.map((w) => ({ description: `IHDR width says ${w}`, bytes: withHeaderField(target, 0, (b, at) => b.writeUInt32BE(w, at)) })),
    ...sizes.map((h) => ({ description: `IHDR height says ${h}`, bytes: withHeaderField(target, 4, (b, at) => b.writeUInt32BE(h, at)) })),
    ...[0, 1, 2, 3, 4, 16, 32].map((d) => ({ description: `bit depth ${d}`, bytes: withHeaderField(target, 8, (b, at) => { b[at] = d; }) })),
    ...[1, 2, 3, 4, 5, 7].map((t) => ({ description: `colour type ${t}`, bytes: withHeaderField(target, 9, (b, at) => { b[at] = t; }) })),
    ...[[10, 1], [11, 1], [12, 1], [12, 2]].map(([o, v]) => ({ description: `IHDR byte ${o} is ${v}`, bytes: withHeaderField(target, o, (b, at) => { b[at] = v; }) })),
    ...[0, 1, idat.length - 1, idat.length + 1, 2 ** 31, 2 ** 32 - 1].map((v) => ({ description: `IDAT length says ${v}`, bytes: edited(target, (b) => b.writeUInt32BE(v, idat.at)) })),
    { description: 'IDAT length says +1, CRCs fixed', bytes: withCrcsFixed(edited(target, (b) => b.writeUInt32BE(idat.length + 1, idat.at))) },
    { description: '2 of 4 rows of image data', bytes: pngFromParts(4, 4, rows(4, 2)) },
    { description: '5 of 4 rows of image data', bytes: pngFromParts(4, 4, rows(4, 5)) },
    { description: 'filter type 5', bytes: pngFromParts(4, 4, rows(4, 4, 5)) },
    { description: 'Paeth filter on every row', bytes: pngFromParts(4, 4, rows(4, 4, 4)) },
    { description: 'interlaced, too little data', bytes: pngFromParts(4, 4, rows(4, 1), { interlace: 1 }) },
    { description: 'palette image without PLTE', bytes: pngFromParts(4, 4, rows(4, 4), { colourType: 3 }) },
    { description: '16-bit grey', bytes: pngFromParts(4, 4, rows(8, 4), { bitDepth: 16 }) },
    { description: '1-bit grey with rows one byte long', bytes: pngFromParts(4, 4, rows(1, 4), { bitDepth: 1 }) },
    { description: 'no IDAT at all', bytes: Buffer.concat([target.subarray(0, idat.at), target.subarray(idat.at + 12 + idat.length)]) },
    { description: 'IEND missing', bytes: target.subarray(0, target.length - 12) },
    { description: 'two IHDR chunks', bytes: Buffer.concat([target.subarray(0, 33), target.subarray(8, 33), target.subarray(33)]) },
    { description: 'IDAT not zlib', bytes: Buffer.concat([target.subarray(0, idat.at), pngChunk('IDAT', Buffer.from('not zlib at all')), target.subarray(idat.at + 12 + idat.length)]) },
    { description: '2048x2048 16-bit RGBA zeros, compressed well (big but honest)', bytes: pngFromParts(2048, 2048, Buffer.alloc(2048 * (1 + 8 * 2048)), { bitDepth: 16, colourType: 6 }) },
    { description: '2000x2000 declared over a 2048x2048 stream', bytes: withHeaderField(pngFromParts(2048, 2048, Buffer.alloc(2048 * 2049)), 0, (b, at) => { b.writeUInt32BE(2000, at); b.writeUInt32BE(2000, at + 4); }) },
    { description: 'trailing bytes after IEND', bytes: Buffer.concat([target, Buffer.from('trailing')]) },
    { description: 'an unknown critical chunk', bytes: Buffer.concat([target.subarray(0, idat.at), pngChunk('ABCD', Buffer.alloc(4)), target.subarray(idat.at)]) },
    { description: 'a 4x4 image whose 20 KB of image data inflate to 20 MB', bytes: pngFromParts(4, 4, Buffer.alloc(20 * 2 ** 20)) },
    ...bitFlips(rng, target, 10, 33),
    ...bitFlips(rng, target, 10, target.length).map((d) => ({ description: `${d.description}, CRCs fixed`, bytes: withCrcsFixed(d.bytes) })),
  ];
  return casesFor('png', 'data', files, 'pets/cat/2.png', 'pets', damage);
}

// ---- checkpoints ---------------------------------------------------------------------------

/** Every path to a leaf of a JSON value, e.g. ['model', 'layers', 0, 'hidden', 0]. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function setAt(value: unknown, path: readonly (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  if (leaf === undefined && rest.length === 0) delete copy[head];
  else copy[head] = setAt(copy[head], rest, leaf);
  return copy;
}

const ODD_VALUES: unknown[] = [null, -1, 0, 1.5, 1e308, 2e8, 'x', '', [], {}, true, undefined];

/** The safetensors header of `bytes` replaced by `header` (JSON text), with its length made right. */
function withSafetensorsHeader(bytes: Buffer, header: string): Buffer {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const json = Buffer.from(header);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, bytes.subarray(8 + headerLength)]);
}

function checkpointCases(rng: Rng): FuzzCase[] {
  const valid = smallCheckpointBytes();
  const headerLength = Number(valid.readBigUInt64LE(0));
  const header = JSON.parse(valid.subarray(8, 8 + headerLength).toString()) as Record<string, unknown>;
  const meta = header.__metadata__ as Record<string, string>;
  const files = [{ path: 'run/checkpoint.safetensors', bytes: valid }];
  const tensorNames = Object.keys(header).filter((k) => k !== '__metadata__');
  const editHeader = (description: string, edit: (h: Record<string, unknown>) => unknown): Damage =>
    ({ description, bytes: withSafetensorsHeader(valid, JSON.stringify(edit(structuredClone(header)))) });
  const tensorEdit = (field: string, value: unknown) => {
    const name = rng.pick(tensorNames);
    return editHeader(`tensor ${name} ${field} = ${JSON.stringify(value)}`, (h) => setAt(h, [name, field], value));
  };
  /** One metadata entry with a JSON leaf replaced, or the whole entry replaced by `text`. */
  const metadataEdit = (key: 'config' | 'state' | 'history'): Damage => {
    const value = JSON.parse(meta[key]);
    const path = rng.pick(leaves(value));
    const leaf = rng.pick(ODD_VALUES);
    return editHeader(`metadata ${key}.${path.join('.')} = ${JSON.stringify(leaf) ?? 'deleted'}`, (h) => setAt(h, ['__metadata__', key], JSON.stringify(setAt(value, path, leaf))));
  };
  const config = JSON.parse(meta.config);
  const lyingConfigs: [string, unknown][] = [
    ['hidden sizes of 2e8', setAt(config, ['model', 'layers', 0, 'hidden'], [200_000_000])],
    ['inputDim 1e9', setAt(config, ['model', 'inputDim'], 1e9)],
    ['1000 stochastic layers', setAt(config, ['model', 'layers'], Array(1000).fill({ hidden: [4], latent: 2 }))],
    ['a mixture prior of 1e9 components', setAt(setAt(config, ['model', 'prior'], 'mixture'), ['model', 'priorComponents'], 1e9)],
    ['a learned likelihood scale the file does not hold', setAt(config, ['model', 'likelihood'], 'gaussian-learned')],
    ['no data', setAt(config, ['data'], undefined)],
    ['null', null],
  ];
  const dataStart = 8 + headerLength;
  const firstTensor = header[tensorNames[0]] as { data_offsets: [number, number] };
  const damage: Damage[] = [
    ...truncations(valid, { 'header length': 8, 'middle of header': 8 + Math.floor(headerLength / 2), 'header end': dataStart, 'end of first tensor': dataStart + firstTensor.data_offsets[1], 'last byte': valid.length - 1 }),
    ...[0, 1, 7, headerLength - 1, headerLength + 1, 2 ** 32, 2 ** 53].map((v) => ({ description: `header length says ${v}`, bytes: edited(valid, (b) => b.writeBigUInt64LE(BigInt(v), 0)) })),
    { description: 'header length says 2^64 - 1', bytes: edited(valid, (b) => b.writeBigUInt64LE(2n ** 64n - 1n, 0)) },
    ...['F16', 'F64', 'BF16', 'I32', 'U8', 'BOOL', 123, null].map((t) => tensorEdit('dtype', t)),
    ...[[], [0], [-1], [1.5], ['4'], [2 ** 31, 2 ** 31], [1e308], [4, 4, 4, 4], null].map((s) => tensorEdit('shape', s)),
    ...[[0, 0], [-4, 0], [8, 0], [0, 2 ** 53], [1.5, 5.5], [0], null, 'x'].map((o) => tensorEdit('data_offsets', o)),
    ...[null, 7, 'x', []].map((v) => editHeader(`tensor ${tensorNames[1]} replaced by ${JSON.stringify(v)}`, (h) => setAt(h, [tensorNames[1]], v))),
    editHeader(`tensor ${tensorNames[2]} deleted`, (h) => setAt(h, [tensorNames[2]], undefined)),
    editHeader('a tensor renamed', (h) => ({ ...(setAt(h, [tensorNames[0]], undefined) as object), renamed: h[tensorNames[0]] })),
    ...[null, [], 'x', { format: 1 }].map((m) => editHeader(`__metadata__ = ${JSON.stringify(m)}`, (h) => setAt(h, ['__metadata__'], m))),
    ...(['config', 'state', 'history'] as const).flatMap((key) => ['null', '[]', '{}', '"x"', '{"a":', '[1]'].map((text) => editHeader(`metadata ${key} = ${text}`, (h) => setAt(h, ['__metadata__', key], text)))),
    ...lyingConfigs.map(([what, c]) => editHeader(`config with ${what}`, (h) => setAt(h, ['__metadata__', 'config'], JSON.stringify(c)))),
    editHeader('version 2', (h) => setAt(h, ['__metadata__', 'version'], '2')),
    editHeader('a header 50 arrays deep', (h) => setAt(h, ['__metadata__', 'history'], `${'['.repeat(50)}${']'.repeat(50)}`)),
    { description: 'header not JSON', bytes: withSafetensorsHeader(valid, '{"a": nope') },
    { description: 'header deeply nested', bytes: withSafetensorsHeader(valid, `${'['.repeat(100000)}${']'.repeat(100000)}`) },
    ...Array.from({ length: 24 }, () => metadataEdit(rng.pick(['config', 'config', 'state', 'history'] as const))),
    ...bitFlips(rng, valid, 16, dataStart),
  ];
  return casesFor('checkpoint', 'checkpoint', files, 'run/checkpoint.safetensors', 'run/checkpoint.safetensors', damage);
}

// ---- files that are not regular files ------------------------------------------------------

function specialCases(): FuzzCase[] {
  const one = (id: string, description: string, file: FuzzFile, loader: FuzzCase['loader'] = 'data'): FuzzCase => ({ id, loader, description, files: [file], target: file.path });
  return [
    one('special-fifo-npy', 'a FIFO named x.npy', { path: 'x.npy', special: 'fifo' }),
    one('special-fifo-csv', 'a FIFO named x.csv', { path: 'x.csv', special: 'fifo' }),
    one('special-fifo-idx', 'a FIFO named train-images-idx3-ubyte', { path: 'train-images-idx3-ubyte', special: 'fifo' }),
    one('special-device-npy', 'a link to /dev/zero named x.npy', { path: 'x.npy', special: 'device' }),
    one('special-folder-npy', 'a folder named x.npy', { path: 'x.npy', special: 'folder' }),
    one('special-fifo-checkpoint', 'a FIFO named checkpoint.safetensors', { path: 'checkpoint.safetensors', special: 'fifo' }, 'checkpoint'),
    one('special-folder-checkpoint', 'a folder named checkpoint.safetensors', { path: 'checkpoint.safetensors', special: 'folder' }, 'checkpoint'),
    one('special-empty-checkpoint', 'an empty checkpoint file', { path: 'checkpoint.safetensors', bytes: Buffer.alloc(0) }, 'checkpoint'),
    {
      id: 'special-fifo-png', loader: 'data', description: 'a FIFO named a.png in a PNG folder',
      files: [{ path: 'images/a.png', special: 'fifo' }, { path: 'images/b.png', bytes: pngBytes(1, 1, greyPixels([3])) }], target: 'images',
    },
  ];
}
