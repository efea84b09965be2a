// Which folders a new run may be written into, and what of a dead run's files
// it clears; why a folder cannot be resumed. No TensorFlow: the rules alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunDir, prepareNewRunDir, resumableCheckpoint, runPaths } from '../../src/engine/train/runDir';
import { record, tempDir, writeRun } from '../experiments/runFolders';

test('a new or empty folder is used as is; a path that is a file is refused by name', () => {
  const root = tempDir();
  const fresh = join(root, 'a', 'b');
  createRunDir(fresh);
  prepareNewRunDir(fresh);
  assert.deepEqual(readdirSync(fresh), []);
  const file = join(root, 'notes.txt');
  writeFileSync(file, 'mine');
  assert.throws(() => createRunDir(file), new RegExp(`^Error: ${file}: exists and is not a folder`));
});

test('a dead run without a checkpoint is cleared of its files; its labels stay', () => {
  const dir = writeRun(tempDir(), 'dead', { record: record('dead', { status: 'running', final: undefined }), metrics: '{"type":"start"}\n' });
  for (const name of ['events.out.tfevents.1796160378.vm.17032.0.v2', '.checkpoint.safetensors.17032.1796160378.tmp', 'labels.json']) writeFileSync(join(dir, name), 'x');
  prepareNewRunDir(dir);
  assert.deepEqual(readdirSync(dir), ['labels.json']);
  const diverged = writeRun(tempDir(), 'diverged', { record: record('diverged', { status: 'failed', message: 'training diverged at step 2', final: undefined }) });
  prepareNewRunDir(diverged);
  assert.deepEqual(readdirSync(diverged), []);
});

test('a checkpoint, a finished run\'s record, a damaged record or foreign files keep a folder from a new run', () => {
  const root = tempDir();
  const cases: [string, RegExp][] = [
    [writeRun(root, 'live', { record: record('live', { status: 'stopped' }), checkpoint: true }), /already holds a run with a checkpoint; resume it/],
    [writeRun(root, 'finished', { record: record('finished') }), /holds the record of a finished run \(its checkpoint is gone\)/],
    [writeRun(root, 'damaged', { record: '{"format": "latent-lab-run-rec' }), /run\.json is not valid JSON .*; move it aside to start a new run here/],
  ];
  const papers = join(root, 'papers');
  mkdirSync(papers);
  for (const name of ['a.tex', 'b.tex', 'c.tex', 'd.tex']) writeFileSync(join(papers, name), 'mine');
  cases.push([papers, /holds files that are not a run's \(a\.tex, b\.tex, c\.tex, … \(4 in all\)\); train into a new or empty folder/]);
  for (const [dir, problem] of cases) {
    const before = readdirSync(dir).sort();
    assert.throws(() => prepareNewRunDir(dir), (err: Error) => err.message.startsWith(`${dir}: `) && problem.test(err.message));
    assert.deepEqual(readdirSync(dir).sort(), before, 'nothing is touched');
  }
});

test('a folder with nothing to resume says why: no folder, or a run that ended before its first checkpoint', () => {
  const root = tempDir();
  assert.throws(() => resumableCheckpoint(join(root, 'nope')), /nope: no such run folder/);
  const failed = writeRun(root, 'failed', {
    record: record('failed', { status: 'failed', message: 'training diverged at step 2: the bound is NaN; no checkpoint had been written yet, so there is nothing to resume' }),
  });
  assert.throws(() => resumableCheckpoint(failed),
    new RegExp(`^Error: ${failed}: nothing to resume: the run failed before its first checkpoint \\(training diverged at step 2: the bound is NaN\\); start it again instead`));
  const ok = writeRun(root, 'ok', { record: record('ok'), checkpoint: true });
  assert.equal(resumableCheckpoint(ok), runPaths(ok).checkpoint);
});
