import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runPaths } from '../train/runDir';

/** A checkpoint file, or the checkpoint inside a run folder. */
export function checkpointPath(path: string): string {
  const p = resolve(path);
  try {
    return statSync(p).isDirectory() ? runPaths(p).checkpoint : p;
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
}
