// The host's word on a run whose process died: run.json says how it ended and,
// when the process died between its two writes, where its checkpoint stands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { readRunRecord, runPaths, writeRunRecord } from '../../src/engine/train/runDir';
import { markInterrupted } from '../../src/engine/train/interruptedRun';
import { record, tempDir, writeRun } from './runFolders';
import { tinyRun } from './tinyRun';

test('a run killed between writing its checkpoint and run.json is marked at its checkpoint\'s step', async () => {
  const runDir = join(tempDir(), 'killed');
  cpSync((await tinyRun()).runDir, runDir, { recursive: true });
  const { step, epoch } = loadCheckpoint(runPaths(runDir).checkpoint).state;
  writeRunRecord(runDir, { ...readRunRecord(runDir)!, status: 'running', step: step - 5, epoch: 0 });
  const marked = markInterrupted(runDir, 'failed', 'the training process was killed by SIGKILL', new Date('2026-12-01T00:00:00Z'))!;
  assert.equal(marked.message, `the training process was killed by SIGKILL; the last checkpoint (step ${step}) is kept`);
  assert.deepEqual(readRunRecord(runDir), { ...marked });
  assert.deepEqual([marked.step, marked.epoch, marked.status, marked.updated], [step, epoch, 'failed', '2026-12-01T00:00:00.000Z']);
});

test('a run without a checkpoint says so, and a run that ended is left alone', () => {
  const root = tempDir();
  const early = writeRun(root, 'early', { record: record('early', { status: 'running', step: 0, final: undefined }) });
  assert.match(markInterrupted(early, 'failed', 'the training process exited with code 1')!.message!, /; no checkpoint had been written yet, so there is nothing to resume$/);
  const done = writeRun(root, 'done', { record: record('done') });
  assert.equal(markInterrupted(done, 'failed', 'late news'), undefined);
  assert.equal(readRunRecord(done)?.status, 'finished');
});
