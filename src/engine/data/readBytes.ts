// A dataset file's bytes. Gzip is recognised by its magic bytes rather than the
// `.gz` name, so a renamed or doubly-named file still reads. A gzipped file is
// decompressed as a stream, so that nothing more than the data can be held:
// a header-declared size stops it where the header says the data end (after
// checking the compressed bytes can hold that much), and CSV is parsed as it
// streams, so a small file cannot inflate without limit in memory.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { formatBytes, MAX_READ_BYTES, readRegularFile } from '../files/readRegularFile';
import { DEFLATE_MAX_RATIO } from './bounds';
import { DataError } from './dataset';

export interface FileBytes {
  readonly bytes: Buffer;
  /** Whether `bytes` were decompressed, so size messages can say which size they mean. */
  readonly gzipped: boolean;
}

/** The whole size in bytes a file's header declares, given its first bytes, or undefined while they do not yet hold the header. */
export type DeclaredSize = (head: Buffer) => number | undefined;

/** Gzip output comes in pieces of this size; the header of an IDX or NPY file fits in the first. */
const CHUNK_BYTES = 64 * 1024;

/** The whole file, decompressed if gzipped, stopping where `declaredSize` says the data end. */
export async function readBytes(file: string, declaredSize?: DeclaredSize): Promise<FileBytes> {
  const raw = readRawBytes(file);
  if (!isGzip(raw)) return { bytes: raw, gzipped: false };
  const chunks: Buffer[] = [];
  let length = 0;
  let declared: number | undefined;
  for await (const chunk of gunzipped(file, raw, () => declared)) {
    chunks.push(chunk);
    length += chunk.length;
    if (declared === undefined && declaredSize) {
      declared = declaredSize(Buffer.concat(chunks));
      if (declared !== undefined) checkDeclared(file, declared, raw.length);
    }
  }
  if (length === 0) throw new DataError(file, 'empty file (0 bytes once decompressed)');
  return { bytes: Buffer.concat(chunks, length), gzipped: true };
}

/** The file's decompressed bytes piece by piece, for a parser that keeps only what it makes of them. */
export async function* readChunks(file: string): AsyncGenerator<Buffer> {
  const raw = readRawBytes(file);
  if (!isGzip(raw)) {
    yield raw;
    return;
  }
  yield* gunzipped(file, raw, () => undefined);
}

/** The file's bytes as they are on disk (for formats that are never gzipped). */
export function readRawBytes(file: string): Buffer {
  const raw = readRegularFile(file, (problem) => new DataError(file, problem));
  if (raw.length === 0) throw new DataError(file, 'empty file (0 bytes)');
  return raw;
}

/** Decompressed pieces of `raw`, ending with an error once they pass what `declared()` says (or the read bound). */
async function* gunzipped(file: string, raw: Buffer, declared: () => number | undefined): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  let length = 0;
  try {
    for await (const chunk of Readable.from([raw]).pipe(gunzip)) {
      length += chunk.length;
      const limit = declared();
      if (length > (limit ?? MAX_READ_BYTES)) {
        throw new DataError(file, limit === undefined
          ? `decompresses to more than the ${formatBytes(MAX_READ_BYTES)} a file may have`
          : `decompresses to more than the ${limit} bytes its header declares`);
      }
      yield chunk as Buffer;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, `truncated or corrupt gzip data (${(e as Error).message})`);
  } finally {
    gunzip.destroy();
  }
}

/** Throws unless the compressed bytes can hold the size the header declares, before it is decompressed. */
function checkDeclared(file: string, declared: number, compressed: number): void {
  if (declared > MAX_READ_BYTES) throw new DataError(file, `its header declares ${declared} bytes, more than the ${formatBytes(MAX_READ_BYTES)} a file may have`);
  const most = DEFLATE_MAX_RATIO * compressed;
  if (declared > most) {
    throw new DataError(file, `its header declares ${declared} bytes, more than its ${compressed} bytes of gzip data can hold (at most ${formatBytes(most)})`);
  }
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
