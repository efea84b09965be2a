// Reading a whole file that a user pointed at, safely: only a regular file (a
// FIFO, socket or device would block or never end) and only up to a size
// bound, both checked on the open descriptor before a byte is read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Node reads at most 2 GiB into one buffer. */
export const MAX_READ_BYTES = 2 ** 31 - 1;

// Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** The whole file, or `fail(problem)` thrown, the problem in words for a message that names the file.
 * Synchronous, because checkpoints are read where no await can go; datasets are read in worker
 * processes and the CLI, where blocking is harmless. */
export function readRegularFile(path: string, fail: (problem: string) => Error): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw fail(openProblem(e as NodeJS.ErrnoException));
  }
  try {
    const stats = fstatSync(fd);
    const problem = statsProblem(stats);
    if (problem) throw fail(problem);
    // A file that grows while it is read is read as it was.
    const bytes = Buffer.allocUnsafe(stats.size);
    let at = 0;
    while (at < stats.size) {
      const read = readSync(fd, bytes, at, stats.size - at, at);
      if (read === 0) break;
      at += read;
    }
    return bytes.subarray(0, at);
  } catch (e) {
    const errno = e as NodeJS.ErrnoException;
    throw errno.syscall ? fail(`cannot be read (${errno.message})`) : e;
  } finally {
    closeSync(fd);
  }
}

/** Why `stats` are not those of a regular file Node can read whole, if they are not. */
function statsProblem(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'is a folder, not a file';
  if (!stats.isFile()) return `is not a regular file (${specialKind(stats)}); only regular files can be read`;
  if (stats.size > MAX_READ_BYTES) return `is ${formatBytes(stats.size)}, more than the ${formatBytes(MAX_READ_BYTES)} a file may have`;
  return undefined;
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function openProblem(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return 'does not exist';
  if (e.code === 'EISDIR') return 'is a folder, not a file';
  if (e.code === 'EACCES') return 'cannot be read (permission denied)';
  if (e.code === 'ENXIO') return 'is not a regular file (a socket); only regular files can be read';
  return `cannot be read (${e.message})`;
}

/** Bytes in the largest binary unit that keeps a whole number in front, e.g. `2 GiB`, `1.5 MiB`, `812 bytes`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (i < units.length - 1 && n >= 1024) { n /= 1024; i++; }
  return `${i === 0 ? n : Number(n.toPrecision(3))} ${units[i]}`;
}
