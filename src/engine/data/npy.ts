// NPY, NumPy's `.npy` format: the magic "\x93NUMPY", a version, a header length
// (uint16 in version 1, uint32 in versions 2 and 3), a Python dict literal giving
// dtype, memory order and shape, then the raw values.
import { DataError, type Dataset } from './dataset';
import { float32Values, makeDataset, toLabels } from './makeDataset';
import { readBytes, type DeclaredSize, type FileBytes } from './readBytes';

interface NpyType {
  readonly size: number;
  readonly read: (view: DataView, offset: number) => number;
}

const LITTLE_ENDIAN = true;
const TYPES: Readonly<Record<string, NpyType>> = {
  '<f4': { size: 4, read: (v, o) => v.getFloat32(o, LITTLE_ENDIAN) },
  '<f8': { size: 8, read: (v, o) => v.getFloat64(o, LITTLE_ENDIAN) },
  '|u1': { size: 1, read: (v, o) => v.getUint8(o) },
  '|b1': { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
  '<i4': { size: 4, read: (v, o) => v.getInt32(o, LITTLE_ENDIAN) },
  '<i8': { size: 8, read: (v, o) => Number(v.getBigInt64(o, LITTLE_ENDIAN)) },
};
const MAGIC = Buffer.from('\x93NUMPY', 'latin1');
/** numpy.load refuses longer headers too (max_header_size): ours only ever hold descr, fortran_order and shape. */
const MAX_HEADER_BYTES = 10000;

interface NpyArray {
  readonly shape: readonly number[];
  readonly descr: string;
  readonly count: number;
  readonly valueAt: (i: number) => number;
}

/** An array of shape (N, D), or (N, height, width) for images; uint8 values are scaled to [0, 1]. */
export async function loadNpy(file: string): Promise<Dataset> {
  const a = parseNpy(file, await readBytes(file, declaredSize(file)));
  if (a.shape.length !== 2 && a.shape.length !== 3) {
    throw new DataError(file, `has shape ${pyShape(a.shape)}; a dataset needs (N, D) or (N, height, width)`);
  }
  const [n, ...rest] = a.shape;
  const d = rest.reduce((p, q) => p * q, 1);
  // uint8 arrays are grey levels 0..255; the other types carry their values as they are.
  const x = float32Values(file, a.count, d, a.valueAt, a.descr === '|u1' ? 255 : 1);
  return makeDataset(file, x, n, d, rest.length === 2 ? [rest[0], rest[1]] : undefined);
}

/** A label array of shape (N,) or (N, 1), whole numbers of any dtype. */
export async function loadNpyLabels(file: string): Promise<Int32Array> {
  const a = parseNpy(file, await readBytes(file, declaredSize(file)));
  if (!(a.shape.length === 1 || (a.shape.length === 2 && a.shape[1] === 1))) {
    throw new DataError(file, `has shape ${pyShape(a.shape)}; labels need (N,)`);
  }
  return toLabels(file, a.count, a.valueAt);
}

function parseNpy(file: string, { bytes, gzipped }: FileBytes): NpyArray {
  const sizeNote = gzipped ? ' once decompressed' : '';
  const header = readHeader(file, bytes);
  if (!header) {
    if (bytes.length < 8 || bytes.length < (bytes[6] === 1 ? 10 : 12)) throw new DataError(file, `truncated: ${bytes.length} bytes${sizeNote}, too short for an NPY header`);
    throw new DataError(file, `truncated: the header needs ${dataStartOf(bytes)} bytes but the file has ${bytes.length}${sizeNote}`);
  }
  const { descr, shape, type, count, dataStart } = header;
  const expected = count * type.size;
  const available = bytes.length - dataStart;
  if (available !== expected) {
    const problem = available < expected ? 'truncated: header' : 'header';
    const excess = available > expected ? `, ${available - expected} bytes too many` : '';
    throw new DataError(file, `${problem} says shape ${pyShape(shape)} of ${descr} (${expected} bytes of data) but the file has ${available}${sizeNote}${excess}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, expected);
  return { shape, descr, count, valueAt: (i) => type.read(view, i * type.size) };
}

interface NpyHeader {
  readonly descr: string;
  readonly shape: number[];
  readonly type: NpyType;
  readonly count: number;
  readonly dataStart: number;
}

/** The header at the start of `bytes`, or undefined when they end before it does; throws when it is not an NPY header we read. */
function readHeader(file: string, bytes: Buffer): NpyHeader | undefined {
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC.subarray(0, Math.min(bytes.length, MAGIC.length)))) {
    throw new DataError(file, 'wrong magic number: not an NPY file (NPY files start with \\x93NUMPY)');
  }
  if (bytes.length < 8) return undefined;
  const major = bytes[6];
  if (major < 1 || major > 3) throw new DataError(file, `unsupported NPY format version ${major}.${bytes[7]}`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) return undefined;
  const dataStart = dataStartOf(bytes);
  if (dataStart - headerStart > MAX_HEADER_BYTES) {
    throw new DataError(file, `its header declares ${dataStart - headerStart} bytes, more than the ${MAX_HEADER_BYTES} numpy itself reads (structured dtypes are not supported)`);
  }
  if (bytes.length < dataStart) return undefined;
  const { descr, shape } = parseHeader(file, bytes.toString(major === 3 ? 'utf8' : 'latin1', headerStart, dataStart));
  const type = TYPES[descr];
  if (!type) throw new DataError(file, `unsupported dtype '${descr}'; supported: ${Object.keys(TYPES).join(', ')}`);
  return { descr, shape, type, count: shape.reduce((a, b) => a * b, 1), dataStart };
}

/** Where the data start: after the magic, the version, the header length and the header. */
function dataStartOf(bytes: Buffer): number {
  return bytes[6] === 1 ? 10 + bytes.readUInt16LE(8) : 12 + bytes.readUInt32LE(8);
}

/** For readBytes: the size an NPY file's header declares, so that gzip stops there. */
function declaredSize(file: string): DeclaredSize {
  return (head) => {
    const header = readHeader(file, head);
    return header && header.dataStart + header.count * header.type.size;
  };
}

/** The header dict as numpy writes it: a Python literal with exactly 'descr' (a string), 'fortran_order'
 * (True or False) and 'shape' (a tuple of whole numbers), then spaces and a newline; anything else is refused. */
function parseHeader(file: string, header: string): { descr: string; shape: number[] } {
  const entries = pythonDict(header);
  const descr = entries?.get('descr'), fortran = entries?.get('fortran_order'), shape = entries?.get('shape');
  if (!entries || entries.size !== 3 || typeof descr !== 'string' || typeof fortran !== 'boolean' || !Array.isArray(shape)) {
    const shown = header.trim().length > 200 ? `${header.trim().slice(0, 200)}...` : header.trim();
    throw new DataError(file, `malformed NPY header (numpy writes a dict of 'descr', 'fortran_order' and 'shape'; structured dtypes are not supported): ${shown}`);
  }
  if (fortran) {
    throw new DataError(file, 'is stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))');
  }
  return { descr, shape };
}

type PythonValue = string | boolean | number[];

/** A Python dict literal of strings, booleans and tuples of integers, or undefined when the text is anything else. */
function pythonDict(text: string): Map<string, PythonValue> | undefined {
  // Every character is in some token ((\S) takes any stray one), so the grammar below sees the whole text.
  const tokens = [...text.matchAll(/\s*(?:([{}():,])|'([^'\\]*)'|"([^"\\]*)"|(True|False)|(\d+)|(\S))/gy)];
  let i = 0;
  const punct = (c: string): boolean => {
    if (tokens[i]?.[1] !== c) return false;
    i++;
    return true;
  };
  const value = (): PythonValue | undefined => {
    const t = tokens[i++];
    if (t?.[2] !== undefined || t?.[3] !== undefined) return t[2] ?? t[3];
    if (t?.[4] !== undefined) return t[4] === 'True';
    if (t?.[1] !== '(') return undefined;
    const items: number[] = [];
    let trailingComma = false;
    while (tokens[i]?.[5] !== undefined) {
      items.push(Number(tokens[i++][5]));
      trailingComma = punct(',');
      if (!trailingComma) break;
    }
    // (6) is the number 6 in Python, not a tuple; a one-element tuple is (6,).
    return punct(')') && (items.length !== 1 || trailingComma) ? items : undefined;
  };
  if (!punct('{')) return undefined;
  const entries = new Map<string, PythonValue>();
  while (!punct('}')) {
    const key = tokens[i]?.[2] ?? tokens[i]?.[3];
    i++;
    const v = key !== undefined && punct(':') ? value() : undefined;
    if (key === undefined || v === undefined || entries.has(key)) return undefined;
    entries.set(key, v);
    if (!punct(',') && tokens[i]?.[1] !== '}') return undefined;
  }
  return i === tokens.length ? entries : undefined;
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
