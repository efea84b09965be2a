// One writer per run folder: the lock is exclusive, names its holder, is taken
// over from a process that is gone (or a reused pid, or a silent other host),
// and of several processes racing for it exactly one wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, lockPath, runLockHolder, RunFolderBusy, type LockHolder } from '../../src/engine/train/runLock';

const folder = () => mkdtempSync(join(tmpdir(), 'll-lock-'));

const holderOf = (dir: string): LockHolder => JSON.parse(readFileSync(lockPath(dir), 'utf8'));

/** A lock file as another process would have left it. */
function writeLock(dir: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = { pid: 1, host: hostname(), since: '2026-12-01T00:00:00.000Z', command: 'cli.js train --out x', token: 'theirs', ...holder };
  writeFileSync(lockPath(dir), JSON.stringify(full));
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

test('the lock is exclusive, names its holder, and goes on release', () => {
  const dir = folder();
  const lock = acquireRunLock(dir);
  const holder = holderOf(dir);
  assert.deepEqual([holder.pid, holder.host], [process.pid, hostname()]);
  assert.deepEqual(runLockHolder(dir), holder);
  assert.throws(() => acquireRunLock(dir), (err: Error) => err instanceof RunFolderBusy
    && err.message.startsWith(`${dir}: process ${process.pid} on ${hostname()} (`)
    && /is training in this run folder; one process writes a run folder at a time/.test(err.message));
  lock.assertHeld();
  lock.release();
  lock.release();
  assert.ok(!existsSync(lockPath(dir)));
  assert.equal(runLockHolder(dir), undefined);
  acquireRunLock(dir).release();
  assert.deepEqual(readdirSync(dir), [], 'no temporary files are left');
});

test('a lock whose process is gone, or whose pid now names another process, is taken over', () => {
  const dead = folder();
  writeLock(dead, { pid: deadPid() });
  assert.equal(runLockHolder(dead), undefined);
  const lock = acquireRunLock(dead);
  assert.equal(holderOf(dead).pid, process.pid);
  lock.release();

  // This process's own pid with another start time: a process that held it and is gone, its pid reused.
  const reused = folder();
  writeLock(reused, { pid: process.pid, processStart: '1' });
  acquireRunLock(reused).release();

  const garbage = folder();
  writeFileSync(lockPath(garbage), '{"pid": 4');
  acquireRunLock(garbage).release();
});

test('a lock from another host holds while it is refreshed, and is taken over once it has gone silent', () => {
  const dir = folder();
  writeLock(dir, { pid: 4242, host: 'elsewhere' });
  assert.equal(runLockHolder(dir)?.host, 'elsewhere');
  assert.throws(() => acquireRunLock(dir), /process 4242 on elsewhere \(cli\.js train --out x, since 2026-12-01T00:00:00\.000Z\)/);
  const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
  utimesSync(lockPath(dir), sixMinutesAgo, sixMinutesAgo);
  assert.equal(runLockHolder(dir), undefined);
  acquireRunLock(dir).release();
});

test('a holder whose lock was taken over stops writing, and says by whom', () => {
  const dir = folder();
  const lock = acquireRunLock(dir);
  writeLock(dir, { pid: 4242, host: 'elsewhere', token: 'new' });
  assert.throws(() => lock.assertHeld(), new RegExp(`^Error: ${lockPath(dir)}: this run folder was taken over by process 4242 on elsewhere`));
  lock.release();
  assert.equal(holderOf(dir).token, 'new', 'release leaves a lock that is not its own');
});

test('of processes racing for one folder, whose lock a dead process left, exactly one wins', async () => {
  const dir = folder();
  writeLock(dir, { pid: deadPid() });
  // Each child tries once, reports, and holds what it got until its stdin closes.
  const script = `
    const { acquireRunLock } = require(${JSON.stringify(join(process.cwd(), 'src/engine/train/runLock.ts'))});
    let line;
    try { acquireRunLock(process.argv[1]); line = 'won'; } catch (err) { line = err.constructor.name; }
    process.stdout.write(line + '\\n');
    process.stdin.on('data', () => {}).on('end', () => process.exit(0));`;
  const children = Array.from({ length: 6 }, () => spawn(process.execPath, ['--import', 'tsx', '-e', script, dir], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = await Promise.all(children.map((child) => new Promise<string>((resolve) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
  })));
  assert.deepEqual([...lines].sort(), ['RunFolderBusy', 'RunFolderBusy', 'RunFolderBusy', 'RunFolderBusy', 'RunFolderBusy', 'won']);
  const winner = children[lines.indexOf('won')];
  assert.equal(holderOf(dir).pid, winner.pid);
  await Promise.all(children.map((child) => new Promise((resolve) => {
    child.on('exit', resolve);
    child.stdin.end();
  })));
  assert.deepEqual(readdirSync(dir), [], 'the winner released it on exit; nothing else is left');
});
