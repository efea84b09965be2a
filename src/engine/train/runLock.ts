// One writer per run folder. Whoever trains a run holds `run.lock` in its
// folder: a small JSON file naming the process (pid, host, when it started, its
// command). It is created whole and exclusively (written beside, then hard-linked
// into place, which fails when the file exists), so two processes can never both
// hold it. A lock whose process is gone is taken over: on the same host the pid
// is checked (with the process's start time, so a reused pid does not count);
// a lock from another host counts as gone once its holder has not refreshed it
// for STALE_MS. The holder checks before each write that the lock is still its
// own, so even a holder frozen past STALE_MS (a suspended laptop) never writes
// over a run another process took over. docs/guarantees.md.
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const LOCK_FILE = 'run.lock';

/** How often a holder touches its lock, and how old an untouched lock from another host must be to count as abandoned. */
const REFRESH_MS = 30_000;
const STALE_MS = 5 * 60_000;
/** A takeover guard lives for microseconds; one older than this was left by a process killed in the middle. */
const GUARD_STALE_MS = 10_000;

export const LockHolder = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** When the holder took the lock (ISO time). */
  since: z.string(),
  /** The holder's start time as the operating system counts it (Linux: ticks since boot), to tell a reused pid apart. */
  processStart: z.string().optional(),
  /** What the holder runs, for the message that names it. */
  command: z.string(),
  /** Unique to this taking of the lock: the holder releases only its own. */
  token: z.string(),
});
export type LockHolder = z.infer<typeof LockHolder>;

export class RunFolderBusy extends Error {
  constructor(readonly runDir: string, readonly holder: LockHolder) {
    super(`${runDir}: ${describeHolder(holder)} is training in this run folder; one process writes a run folder at a time: wait for it to end, or stop it first`);
    this.name = 'RunFolderBusy';
  }
}

export interface RunLock {
  readonly path: string;
  /** Throws when the lock is no longer this process's (another process took it over). */
  assertHeld(): void;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): void;
}

export const lockPath = (runDir: string): string => join(runDir, LOCK_FILE);

/** Takes the lock of the existing folder `runDir`, taking over one whose holder is gone; throws RunFolderBusy when a live process holds it. */
export function acquireRunLock(runDir: string, now: () => Date = () => new Date()): RunLock {
  const path = lockPath(runDir);
  const processStart = processStartOf(process.pid);
  const me: LockHolder = {
    pid: process.pid, host: hostname(), since: now().toISOString(), command: commandLine(),
    token: randomBytes(8).toString('hex'), ...(processStart ? { processStart } : {}),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusively(path, me)) return heldLock(path, me);
    const holder = readHolder(path);
    if (holder && isAlive(holder, path)) throw new RunFolderBusy(runDir, holder);
    takeOver(path, holder);
  }
  const holder = readHolder(path);
  if (holder) throw new RunFolderBusy(runDir, holder);
  throw new Error(`${path}: cannot take the run folder's lock (it keeps changing); try again`);
}

/** The live process holding `runDir`, or undefined when none does (no lock, or its holder is gone). Never throws. */
export function runLockHolder(runDir: string): LockHolder | undefined {
  const path = lockPath(runDir);
  const holder = readHolder(path);
  return holder && isAlive(holder, path) ? holder : undefined;
}

/** "process 4242 on host vm (cli.js train --out runs/a, since 2026-12-01T21:30:05.000Z)" */
export function describeHolder(h: LockHolder): string {
  return `process ${h.pid} on ${h.host} (${h.command}, since ${h.since})`;
}

function heldLock(path: string, me: LockHolder): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    process.off('exit', release);
    if (readHolder(path)?.token === me.token) rmSync(path, { force: true });
  };
  // Keeps the lock fresh for processes on other hosts; never keeps the process alive.
  const refresh = setInterval(() => {
    try {
      if (readHolder(path)?.token === me.token) utimesSync(path, new Date(), new Date());
    } catch {
      // The next write's assertHeld says what went wrong.
    }
  }, REFRESH_MS);
  refresh.unref();
  // A process that exits without releasing (a second Ctrl-C, process.exit) still leaves no lock behind.
  process.on('exit', release);
  return {
    path,
    assertHeld: () => {
      const holder = readHolder(path);
      if (holder?.token === me.token) return;
      throw new Error(holder
        ? `${path}: this run folder was taken over by ${describeHolder(holder)}; this process stops writing it`
        : `${path}: the run folder's lock was removed while this process trained; it stops writing the folder`);
    },
    release,
  };
}

/** Creates `path` holding `holder`, whole, only if it does not exist. */
function createExclusively(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${process.pid}.${holder.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder) + '\n', { flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes the abandoned lock `stale` (undefined: unreadable) so that the next
 * exclusive create can succeed. Under a guard, so that of two processes taking
 * over at once, the second cannot remove the lock the first has just made.
 */
function takeOver(path: string, stale: LockHolder | undefined): void {
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (ageMs(guard) > GUARD_STALE_MS) rmSync(guard, { force: true });
    return;
  }
  try {
    const current = readHolder(path);
    if (current?.token === stale?.token) rmSync(path, { force: true });
  } finally {
    closeSync(fd);
    rmSync(guard, { force: true });
  }
}

/** The lock's holder, or undefined when there is no lock or it cannot be read as one (a lock is never partly written). */
function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = LockHolder.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(h: LockHolder, path: string): boolean {
  if (h.host !== hostname()) return ageMs(path) < STALE_MS;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartOf(h.pid);
  return !(start && h.processStart && start !== h.processStart);
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** Field 22 of /proc/<pid>/stat (Linux); undefined elsewhere. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function commandLine(): string {
  const line = [basename(process.argv[1] ?? 'node'), ...process.argv.slice(2)].join(' ');
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
