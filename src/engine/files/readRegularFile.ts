// Reading a whole file that a user pointed at, safely: only a regular file (a
// FIFO, socket or device would block or never end) and only up to a size
// bound, both checked on the open descriptor before a byte is read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file could not be read, in words for a message that names the file. */
export class FileReadError extends Error {
  constructor(readonly problem: string, readonly code?: string) {
    super(problem);
    this.name = 'FileReadError';
  }
}

/** Node reads at most 2 GiB into one buffer. */
export const MAX_READ_BYTES = 2 ** 31 - 1;

// Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Synchronous, because checkpoints are read where no await can go; datasets are read in worker processes and the CLI, where blocking is harmless. */
export function readRegularFile(path: string, maxBytes = MAX_READ_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw openProblem(e as NodeJS.ErrnoException);
  }
  try {
    const size = checkedSize(fstatSync(fd), maxBytes);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const read = readSync(fd, bytes, at, size - at, at);
      if (read === 0) break;
      at += read;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** The size to read, once `stats` show a regular file no larger than `maxBytes`. A file that grows meanwhile is read as it was. */
function checkedSize(stats: Stats, maxBytes: number): number {
  if (stats.isDirectory()) throw new FileReadError('is a folder, not a file', 'EISDIR');
  if (!stats.isFile()) throw new FileReadError(`is not a regular file (${specialKind(stats)}); only regular files can be read`);
  if (stats.size > maxBytes) throw new FileReadError(`is ${formatBytes(stats.size)}, more than the ${formatBytes(maxBytes)} a file may have`);
  return stats.size;
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function openProblem(e: NodeJS.ErrnoException): FileReadError {
  if (e.code === 'ENOENT') return new FileReadError('does not exist', e.code);
  if (e.code === 'EISDIR') return new FileReadError('is a folder, not a file', e.code);
  if (e.code === 'EACCES') return new FileReadError('cannot be read (permission denied)', e.code);
  if (e.code === 'ENXIO') return new FileReadError('is not a regular file (a socket); only regular files can be read', e.code);
  return new FileReadError(`cannot be read (${e.message})`, e.code);
}

/** Bytes in the largest binary unit that keeps a whole number in front, e.g. `2 GiB`, `1.5 MiB`, `812 bytes`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (i < units.length - 1 && n >= 1024) { n /= 1024; i++; }
  return `${i === 0 ? n : Number(n.toPrecision(3))} ${units[i]}`;
}
