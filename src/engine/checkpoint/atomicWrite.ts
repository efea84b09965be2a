// Files that are either the old version or the new one, never half of each:
// write a temporary file beside the target, flush it, rename it over the target.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw describeWriteError(path, err);
  }
  syncDirectory(dirname(path));
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOENT: 'its folder does not exist',
  EISDIR: 'it is a folder',
  EIO: 'an input/output error',
};

/** A write's failure as one line that names the file: Node's own message for ENOSPC names none. */
export function describeWriteError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const problem = code ? `${WRITE_PROBLEMS[code] ?? (err as Error).message.split(',')[0]} (${code})` : (err as Error).message;
  return Object.assign(new Error(`${path}: cannot write: ${problem}`), { code });
}

/** The rename itself is durable only once the directory entry is flushed. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
