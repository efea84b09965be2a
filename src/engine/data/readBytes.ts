// A dataset file's bytes, whole. Gzip is recognised by its magic bytes rather than
// the `.gz` name, so a renamed or doubly-named file still reads.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FileReadError, formatBytes, MAX_READ_BYTES, readRegularFile } from '../files/readRegularFile';
import { DataError } from './dataset';

const gunzipAsync = promisify(gunzip);

export interface FileBytes {
  readonly bytes: Buffer;
  /** Whether `bytes` were decompressed, so size messages can say which size they mean. */
  readonly gzipped: boolean;
}

export async function readBytes(file: string): Promise<FileBytes> {
  const raw = readBytesOf(file);
  if (raw.length === 0) throw new DataError(file, 'empty file (0 bytes)');
  if (!isGzip(raw)) return { bytes: raw, gzipped: false };
  // Gunzip stops at the same bound as a plain read, so a small file cannot inflate without limit.
  const bytes = await gunzipAsync(raw, { maxOutputLength: MAX_READ_BYTES }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ERR_BUFFER_TOO_LARGE') throw new DataError(file, `decompresses to more than the ${formatBytes(MAX_READ_BYTES)} a file may have`);
    throw new DataError(file, `truncated or corrupt gzip data (${e.message})`);
  });
  if (bytes.length === 0) throw new DataError(file, 'empty file (0 bytes once decompressed)');
  return { bytes, gzipped: true };
}

function readBytesOf(file: string): Buffer {
  try {
    return readRegularFile(file);
  } catch (e) {
    if (e instanceof FileReadError) throw new DataError(file, e.problem);
    throw e;
  }
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
