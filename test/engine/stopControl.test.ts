// What a signal or a closed output does to the process that trains a run, on a
// stand-in process: the first asks for a stop with its reason, a second aborts
// with run.json saying so, and a closed stdout stops the run instead of crashing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { readRunRecord } from '../../src/engine/train/runDir';
import { processStopControl, type ControlledProcess } from '../../src/engine/train/stopControl';
import { record, tempDir, writeRun } from '../experiments/runFolders';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function standIn() {
  const proc = Object.assign(new EventEmitter(), {
    stdout: new EventEmitter(),
    stderr: new EventEmitter(),
    exit: (code: number): never => {
      throw new Exited(code);
    },
  }) satisfies ControlledProcess;
  return proc;
}

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

test('the first signal asks for a stop and says what a second does; the second aborts, recording it', () => {
  const runDir = writeRun(tempDir(), 'run', { record: record('run', { status: 'running', final: undefined }) });
  const proc = standIn();
  const notes: string[] = [];
  const control = processStopControl(runDir, (n) => notes.push(n), proc);
  assert.equal(control.shouldStop(), false);
  proc.emit('SIGINT');
  assert.equal(control.shouldStop(), true);
  assert.equal(control.stopReason(), 'stopped by Ctrl-C (SIGINT)');
  assert.match(notes[0], /keeping its checkpoint \(Ctrl-C again aborts at once\)/);
  assert.equal(readRunRecord(runDir)?.status, 'running', 'a first signal leaves the recording to the trainer');
  assert.throws(() => proc.emit('SIGTERM'), (err: Exited) => err.code === 143);
  const marked = readRunRecord(runDir)!;
  assert.equal(marked.status, 'stopped');
  assert.equal(marked.message, 'stopped by Ctrl-C (SIGINT), then aborted by a second SIGTERM; no checkpoint had been written yet, so there is nothing to resume');
  control.dispose();
  assert.equal(proc.listenerCount('SIGINT'), 0);
});

test('a closed stdout stops the run with that reason, and nothing more is written or thrown', () => {
  const proc = standIn();
  const notes: string[] = [];
  const control = processStopControl(join(tempDir(), 'run'), (n) => notes.push(n), proc);
  proc.stdout.emit('error', epipe());
  proc.stdout.emit('error', Object.assign(new Error('write after end'), { code: 'ERR_STREAM_DESTROYED' }));
  assert.equal(control.canWrite, false);
  assert.equal(control.stopReason(), 'stopped: its output was closed (EPIPE)');
  // Already stopping: Ctrl-C now aborts, and says nothing to the closed output.
  assert.throws(() => proc.emit('SIGINT'), (err: Exited) => err.code === 130);
  assert.deepEqual(notes, []);
  control.dispose();
  assert.ok(proc.stdout.listenerCount('error') > 0, 'late write errors stay handled');
});

test('a stop request (the extension\'s Stop) is the reason; a signal after it aborts', () => {
  const runDir = writeRun(tempDir(), 'run', { record: record('run', { status: 'running', final: undefined }) });
  const proc = standIn();
  const control = processStopControl(runDir, () => undefined, proc);
  control.request('stopped from VS Code');
  control.request('stopped: the VS Code window that trained it closed');
  assert.equal(control.stopReason(), 'stopped from VS Code');
  assert.throws(() => proc.emit('SIGTERM'), (err: Exited) => err.code === 143);
  assert.match(readRunRecord(runDir)?.message ?? '', /^stopped from VS Code, then aborted by a second SIGTERM;/);
});
