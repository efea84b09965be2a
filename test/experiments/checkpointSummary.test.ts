// The inspector's summary of a real checkpoint from the engine, its problem
// reports for files that are not one, and the evaluation process's figures and -L_K.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { readEvents, readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { summarizeCheckpointFile } from '../../src/extension/inspector/checkpointSummary';
import { EvaluationCancelled, runEvaluation } from '../../src/extension/evaluation/evaluationProcess';
import { tempDir } from './runFolders';
import { tinyRun } from './tinyRun';

const worker = { workerPath: join(import.meta.dirname, '../../src/engine/worker/evaluationWorker.ts'), execArgv: ['--import', 'tsx'] };

test('summarizes a real checkpoint: architecture, parameter count, config, metrics and curves', async () => {
  const { runDir, dataPath } = await tinyRun();
  const report = summarizeCheckpointFile(runPaths(runDir).checkpoint);
  assert.ok(report.ok, JSON.stringify(report));
  const s = report.summary;
  // q: 16x8 + 8, 8x4 + 4; p: 2x8 + 8, 8x16 + 16.
  assert.equal(s.architecture.parameterCount, 136 + 36 + 24 + 144);
  assert.deepEqual(s.architecture.layers, [{ hidden: [8], latent: 2 }]);
  assert.equal(s.architecture.likelihood, 'bernoulli');
  assert.deepEqual(s.objective, { kind: 'iwae', k: 3, m: 1, estimator: 'standard', analyticKl: false });
  assert.equal(s.data.path, dataPath);
  assert.match(s.data.fingerprint, /^[0-9a-f]{16,}$/);
  assert.equal(s.training.batchSize, 10);
  const epochs = readEvents(runDir).filter((e) => e.type === 'epoch');
  assert.equal(s.history.length, 1);
  assert.equal(s.last?.testIwae, epochs[0].testIwae);
  assert.deepEqual(s.best, { testIwae: epochs[0].testIwae, epoch: 0 });
  const record = readRunRecord(runDir)!;
  assert.equal(s.run?.status, 'finished');
  assert.deepEqual(s.run?.final, record.final, 'the run\'s final evaluation, its analysis of the log weights included');
  assert.ok(s.run?.final?.weights && s.run.final.boundVsK.length > 1);
  assert.equal(s.state.totalEpochs, 1);
});

test('corrupt, truncated, foreign and missing files become problem reports', async () => {
  const { runDir } = await tinyRun();
  const dir = tempDir('ll-bad-');
  const good = readFileSync(runPaths(runDir).checkpoint);
  const cases: [string, Uint8Array | undefined, string, RegExp][] = [
    ['truncated.safetensors', good.subarray(0, Math.floor(good.length / 2)), 'corrupt', /truncated|does not fit|not a readable/],
    ['header-cut.safetensors', good.subarray(0, 5), 'corrupt', /too short/],
    ['random.safetensors', Buffer.from('PK\u0003\u0004 definitely a zip file, not tensors at all'), 'corrupt', /not a readable safetensors/],
    ['foreign.safetensors', encodeSafetensors(new Map([['w', { shape: [2], data: new Float32Array([1, 2]) }]]), { format: 'pt' }), 'foreign', /not a Latent Lab checkpoint/],
    ['missing.safetensors', undefined, 'unreadable', /ENOENT/],
  ];
  for (const [name, bytes, kind, message] of cases) {
    const file = join(dir, name);
    if (bytes) writeFileSync(file, bytes);
    const report = summarizeCheckpointFile(file);
    assert.ok(!report.ok, name);
    assert.equal(report.problem.kind, kind, name);
    assert.match(report.problem.message, message, name);
  }
  // A Latent Lab checkpoint whose metadata was hand-edited into nonsense.
  const meta = { format: 'latent-lab-checkpoint', version: '1', config: '{"model":', state: '{}', history: '[]' };
  writeFileSync(join(dir, 'edited.safetensors'), encodeSafetensors(new Map(), meta));
  const edited = summarizeCheckpointFile(join(dir, 'edited.safetensors'));
  assert.ok(!edited.ok && edited.problem.kind === 'corrupt' && /config/.test(edited.problem.message));
});

test('the evaluation process draws figures and gives back the run\'s own final evaluation', async () => {
  const { runDir } = await tinyRun();
  const checkpoint = runPaths(runDir).checkpoint;
  const figures = await runEvaluation(worker, { type: 'figures', checkpoint });
  assert.deepEqual(figures.notes, []);
  assert.equal(figures.samples?.cols, 8);
  assert.deepEqual([figures.samples?.height, figures.samples?.width], [4, 4]);
  assert.equal(figures.reconstructions?.rows, 2);
  assert.equal(figures.traversals?.rows, 2, 'both latent units traversed');
  assert.deepEqual(figures.activeUnits?.active, readRunRecord(runDir)!.final!.activeUnits);
  const progress: number[] = [];
  const evaluation = await runEvaluation(worker, { type: 'evaluate', checkpoint }, undefined, (done) => progress.push(done));
  const { seconds: _s, ...final } = readRunRecord(runDir)!.final!;
  assert.deepEqual({ ...evaluation, seconds: undefined }, { ...final, seconds: undefined }, 'with the run\'s own N and examples, the very numbers of run.json');
  assert.ok(progress.length >= 1 && progress.at(-1) === final.examples);
});

test('the evaluation process can be cancelled and reports a foreign file', async () => {
  const { runDir } = await tinyRun();
  const abort = new AbortController();
  const pending = runEvaluation(worker, { type: 'evaluate', checkpoint: runPaths(runDir).checkpoint, k: 5000 }, abort.signal, () => abort.abort());
  await assert.rejects(pending, EvaluationCancelled);
  const foreign = join(tempDir('ll-foreign-'), 'model.safetensors');
  writeFileSync(foreign, encodeSafetensors(new Map(), { format: 'pt' }));
  await assert.rejects(runEvaluation(worker, { type: 'figures', checkpoint: foreign }), /not a Latent Lab checkpoint/);
});
