// IDX, the MNIST file format: two zero bytes, a type byte and a dimension count
// (together the "magic number"), one big-endian uint32 per dimension, then the
// values, big-endian and row-major.
import { DataError, type Dataset } from './dataset';
import { float32Values, makeDataset, toLabels } from './makeDataset';
import { readBytes, type DeclaredSize, type FileBytes } from './readBytes';

interface IdxType {
  readonly size: number;
  readonly read: (view: DataView, offset: number) => number;
}

const TYPES: Readonly<Record<number, IdxType>> = {
  0x08: { size: 1, read: (v, o) => v.getUint8(o) },
  0x09: { size: 1, read: (v, o) => v.getInt8(o) },
  0x0b: { size: 2, read: (v, o) => v.getInt16(o) },
  0x0c: { size: 4, read: (v, o) => v.getInt32(o) },
  0x0d: { size: 4, read: (v, o) => v.getFloat32(o) },
  0x0e: { size: 8, read: (v, o) => v.getFloat64(o) },
};
const UBYTE = 0x08;

interface IdxArray {
  readonly dims: readonly number[];
  readonly typeCode: number;
  readonly count: number;
  readonly valueAt: (i: number) => number;
}

/** An `*-idx3-ubyte` file: N images of rows x columns, unsigned bytes scaled to [0, 1]. */
export async function loadIdxImages(file: string): Promise<Dataset> {
  const a = parseIdx(file, await readBytes(file, declaredSize(file, 3)), 3, (dims) => `${dims[0]} images of ${dims[1]}x${dims[2]}`);
  const [n, rows, cols] = a.dims;
  // Bytes are grey levels 0..255; the other types carry their values as they are.
  const x = float32Values(file, a.count, rows * cols, a.valueAt, a.typeCode === UBYTE ? 255 : 1);
  return makeDataset(file, x, n, rows * cols, [rows, cols]);
}

/** An `*-idx1-ubyte` file: one class id per example. */
export async function loadIdxLabels(file: string): Promise<Int32Array> {
  const a = parseIdx(file, await readBytes(file, declaredSize(file, 1)), 1, (dims) => `${dims[0]} labels`);
  return toLabels(file, a.count, a.valueAt);
}

function parseIdx(file: string, { bytes, gzipped }: FileBytes, wantDims: number, describe: (dims: number[]) => string): IdxArray {
  const sizeNote = gzipped ? ' once decompressed' : '';
  const header = readHeader(file, bytes, wantDims);
  if (!header) {
    if (bytes.length < 4) throw new DataError(file, `truncated: ${bytes.length} bytes, too short for an IDX header`);
    throw new DataError(file, `truncated: the header needs ${4 + 4 * bytes[3]} bytes but the file has ${bytes.length}${sizeNote}`);
  }
  const { dims, typeCode, type, headerSize, count, expected } = header;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'truncated: header' : 'header';
    const excess = bytes.length > expected ? `, ${bytes.length - expected} bytes too many` : '';
    throw new DataError(file, `${problem} says ${describe(dims)} (${expected} bytes) but the file has ${bytes.length}${sizeNote}${excess}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerSize, count * type.size);
  return { dims, typeCode, count, valueAt: (i) => type.read(view, i * type.size) };
}

interface IdxHeader {
  readonly dims: number[];
  readonly typeCode: number;
  readonly type: IdxType;
  readonly headerSize: number;
  readonly count: number;
  /** The whole file's size, as the header declares it. */
  readonly expected: number;
}

/** The header at the start of `bytes`, or undefined when they end before it does; throws when it is not one of IDX `what`. */
function readHeader(file: string, bytes: Buffer, wantDims: number): IdxHeader | undefined {
  if (bytes.length < 4) return undefined;
  const what = wantDims === 1 ? 'labels' : 'images';
  const typeCode = bytes[2];
  const type = TYPES[typeCode];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    throw new DataError(file, `wrong magic number ${hex(bytes.readUInt32BE(0))}: not an IDX file (IDX ${what} start with ${hex(UBYTE * 256 + wantDims)})`);
  }
  const nDims = bytes[3];
  if (nDims !== wantDims) {
    const hint = wantDims === 3 && nDims === 1 ? ' (is this a labels file?)' : '';
    throw new DataError(file, `magic number ${hex(bytes.readUInt32BE(0))} says ${nDims} dimension${nDims === 1 ? '' : 's'}, but IDX ${what} have ${wantDims}${hint}`);
  }
  const headerSize = 4 + 4 * nDims;
  if (bytes.length < headerSize) return undefined;
  const dims = Array.from({ length: nDims }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  return { dims, typeCode, type, headerSize, count, expected: headerSize + count * type.size };
}

/** For readBytes: the size an IDX file's header declares, so that gzip stops there. */
function declaredSize(file: string, wantDims: number): DeclaredSize {
  return (head) => readHeader(file, head, wantDims)?.expected;
}

function hex(magic: number): string {
  return `0x${magic.toString(16).padStart(8, '0')}`;
}
