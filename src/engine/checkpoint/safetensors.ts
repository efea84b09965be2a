// The safetensors format (huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__:
// {string: string}}, then the raw little-endian tensor bytes. Only F32 is used.

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, NamedArray>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

// A header larger than this is not a checkpoint of ours: with the history of Burda's 3280-epoch schedule
// it is under 1 MiB. JSON.parse can take ten times a header's size in memory, so the bound matters.
const MAX_HEADER_BYTES = 16 * 2 ** 20;

export function encodeSafetensors(tensors: Map<string, NamedArray>, metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new SafetensorsError(`${name}: shape [${t.shape}] needs ${size} values, got ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the tensor data starts 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (isBigEndianHost) for (let i = 0; i < t.data.length; i++) out.writeFloatLE(t.data[i], at + 4 * i);
    else bytes.copy(out, at);
    at += bytes.length;
  }
  return out;
}

export function decodeSafetensors(buf: Uint8Array): SafetensorsFile {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, too short for a safetensors header`);
  const declared = bytes.readBigUInt64LE(0);
  if (declared > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(`header length ${declared} does not fit in a ${bytes.length}-byte file (truncated or not safetensors)`);
  }
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`header length ${declared} is more than the ${MAX_HEADER_BYTES} bytes a checkpoint's header can have`);
  }
  const headerLength = Number(declared);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  } catch {
    throw new SafetensorsError('header is not valid JSON (not a safetensors file?)');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = parseMetadata(header.__metadata__);
  const tensors = new Map<string, NamedArray>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensors.set(name, parseTensor(name, entry, bytes, dataStart, dataLength));
  }
  return { tensors, metadata };
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Object.values(raw).some((v) => typeof v !== 'string')) {
    throw new SafetensorsError('__metadata__ must map strings to strings');
  }
  return raw as Record<string, string>;
}

function parseTensor(name: string, entry: unknown, bytes: Buffer, dataStart: number, dataLength: number): NamedArray {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new SafetensorsError(`tensor ${name}: its entry is ${entry === null ? 'null' : Array.isArray(entry) ? 'an array' : `a ${typeof entry}`}, not an object of dtype, shape and data_offsets`);
  }
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (e.dtype !== 'F32') throw new SafetensorsError(`tensor ${name}: dtype ${JSON.stringify(e.dtype)} is not supported (F32 only)`);
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`tensor ${name}: bad shape`);
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
    throw new SafetensorsError(`tensor ${name}: bad data_offsets`);
  }
  const [begin, end] = offsets as [number, number];
  const shape = e.shape as number[];
  const size = shape.reduce((a, b) => a * b, 1);
  if (end - begin !== 4 * size) throw new SafetensorsError(`tensor ${name}: shape [${shape}] needs ${4 * size} bytes, offsets give ${end - begin}`);
  if (end > dataLength) throw new SafetensorsError(`tensor ${name}: data ends at byte ${end} but only ${dataLength} bytes follow the header (truncated file)`);
  // Copy into a fresh buffer: the tensor may not be 4-byte aligned within the file.
  const raw = new Uint8Array(4 * size);
  raw.set(bytes.subarray(dataStart + begin, dataStart + end));
  const data = new Float32Array(raw.buffer);
  if (isBigEndianHost) for (let i = 0; i < size; i++) data[i] = bytes.readFloatLE(dataStart + begin + 4 * i);
  return { shape, data };
}

const isBigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
