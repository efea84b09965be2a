// A store of provisioned backends: one folder per target key, each a loadable
// tfjs-node package (package.json, the bundled JavaScript as index.js, the
// binding, libtensorflow) with a manifest written last. A folder counts as
// installed only when its manifest parses and every file it lists is there at
// its recorded size, and it only ever appears by a rename from a staging
// folder: a set-up that was cancelled, failed or killed leaves at most a
// `.staging-*` folder, which nothing mistakes for a backend and the next
// set-up removes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { backendKey, type Target } from './target';

export const MANIFEST_FILE = 'backend.json';

export const BackendManifest = z.object({
  format: z.literal(1),
  tfjsNode: z.string(),
  target: z.object({ platform: z.string(), arch: z.string() }),
  /** How the native parts were obtained. */
  route: z.enum(['official', 'wheel']),
  /** TensorFlow's version as the loaded binding reports it (TF_Version). */
  tensorflow: z.string(),
  createdAt: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().nonnegative() })),
});
export type BackendManifest = z.infer<typeof BackendManifest>;

export const entryDir = (storeDir: string, target?: Target): string => join(storeDir, backendKey(target));

export type EntryState = { installed: true; manifest: BackendManifest } | { installed: false; why: string };

/** Whether `dir` holds a complete provisioned backend (file checks only; loading it is verifyBackend's job). */
export function entryState(dir: string): EntryState {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(dir)) return { installed: false, why: 'not provisioned yet' };
  if (!existsSync(file)) return { installed: false, why: `${file} is missing (an incomplete set-up)` };
  let manifest: BackendManifest;
  try {
    const parsed = BackendManifest.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return { installed: false, why: `${file}: not a backend manifest` };
    manifest = parsed.data;
  } catch (err) {
    return { installed: false, why: `${file}: ${(err as Error).message}` };
  }
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    if (!existsSync(path)) return { installed: false, why: `${path} is missing` };
    const bytes = statSync(path).size;
    if (bytes !== f.bytes) return { installed: false, why: `${path} has ${bytes} bytes, the manifest says ${f.bytes}` };
  }
  return { installed: true, manifest };
}

/** Every regular file below `dir`, with its size, for the manifest. */
export function listFiles(dir: string): BackendManifest['files'] {
  const files: BackendManifest['files'] = [];
  (function walk(d: string) {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push({ path: relative(dir, p).split(sep).join('/'), bytes: statSync(p).size });
    }
  })(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export function writeManifest(dir: string, manifest: Omit<BackendManifest, 'files'>): BackendManifest {
  const complete: BackendManifest = { ...manifest, files: listFiles(dir) };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(complete, null, 2)}\n`);
  return complete;
}

const STAGING = /^\.(staging|old)-.*-(\d+)-[0-9a-f]+$/;

/** A fresh staging folder in the store, named after this process so a later set-up can tell a dead one. */
export function stagingDir(storeDir: string, target?: Target): string {
  mkdirSync(storeDir, { recursive: true });
  const dir = join(storeDir, `.staging-${backendKey(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  return dir;
}

/** Removes staging and replaced folders whose process is gone (a killed or crashed set-up). */
export function removeStale(storeDir: string, isAlive: (pid: number) => boolean = processAlive): string[] {
  if (!existsSync(storeDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(storeDir)) {
    const m = STAGING.exec(name);
    if (!m || isAlive(Number(m[2]))) continue;
    rmSync(join(storeDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Puts a verified staging folder in place by renames on one file system: an
 * existing entry (a repair) is first moved aside, then removed.
 */
export function installEntry(staging: string, dir: string): void {
  if (existsSync(dir)) {
    const old = join(dir, '..', `.old-${dir.split(sep).pop()}-${process.pid}-${randomBytes(4).toString('hex')}`);
    renameSync(dir, old);
    renameSync(staging, dir);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(staging, dir);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
