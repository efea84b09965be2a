// The host's side of the evaluation process, against stand-in workers (a hung
// one, a crashing one, one that talks nonsense) and the real one failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEvaluation } from '../helpers/evaluationResult';
import { tinyRun } from '../experiments/tinyRun';
import { EvaluationCancelled, formatEvaluation, runEvaluation } from '../../src/extension/evaluation/evaluationProcess';

const dir = mkdtempSync(join(tmpdir(), 'll-evaluation-'));
const realWorker = { workerPath: join(import.meta.dirname, '../../src/engine/worker/evaluationWorker.ts'), execArgv: ['--import', 'tsx'] };

/** A stand-in worker: `body` runs in the child once the request has come. */
function fakeWorker(name: string, body: string): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `process.once('message', (request) => { ${body} }); setInterval(() => {}, 1000);`);
  return path;
}

test('cancelling kills the evaluation process, and the promise settles once it has gone', async () => {
  const pidFile = join(dir, 'hung.pid');
  const workerPath = fakeWorker('hung', `require('fs').writeFileSync(process.env.PID_FILE, String(process.pid)); process.send({ type: 'progress', done: 1, total: 100 });`);
  const abort = new AbortController();
  const pending = runEvaluation({ workerPath, env: { PID_FILE: pidFile } }, { type: 'evaluate', checkpoint: 'x' }, abort.signal, () => abort.abort());
  await assert.rejects(pending, EvaluationCancelled);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the process is gone');
});

test('a process that dies without an answer is reported with its last own line of stderr; nonsense replies are ignored', async () => {
  const workerPath = fakeWorker('crash', `
    process.send({ type: 'evaluation', result: { testNll: 'lots' } });
    process.send('hello');
    const lines = ['2026-01-01 00:00:00.000000: I tensorflow/core/platform: noise', 'Error: out of memory', '2026-01-01 00:00:00.000001: W tensorflow/core/framework: more noise'];
    process.stderr.write(lines.join('\\n') + '\\n', () => process.exit(3));`);
  await assert.rejects(runEvaluation({ workerPath }, { type: 'evaluate', checkpoint: 'x' }),
    { message: 'the evaluation process exited (code 3) without an answer: Error: out of memory' });
});

test('a failing evaluation rejects with the worker\'s own message', async () => {
  const missing = join(tmpdir(), 'no-such-run', 'checkpoint.safetensors');
  await assert.rejects(runEvaluation(realWorker, { type: 'evaluate', checkpoint: missing, k: 5 }), { message: `${missing}: no such file or folder` });
});

test('an evaluation reads as one line: the test NLL, how many examples k-hat flags, the active units, the small Ks of the ladder and L_inf', () => {
  const r = syntheticEvaluation({
    testNll: 87.434, standardError: 0.214, activeUnits: [19, 4],
    boundVsK: [1, 2, 5, 50, 5000].map((k) => ({ k, bound: -87.434 - 8 / k, standardError: 0.2 + 0.1 / k })),
  });
  r.weights.paretoK.above07 = 3;
  assert.equal(formatEvaluation(r), 'test NLL 87.43 ± 0.21 nats (-L_5000, 1000 examples) · 3 of 1000 examples with Pareto k-hat above 0.7 · active units 19 / 4 · L_1 -95.43 ± 0.30 · L_5 -89.03 ± 0.22 · L_50 -87.59 ± 0.20 · L_inf -86.90 ± 0.21');
  const { fit: _fit, ...unfitted } = r;
  assert.ok(!formatEvaluation(unfitted).includes('L_inf'), 'no asymptote without a fit');
  assert.ok(!formatEvaluation({ ...r, fit: { ...r.fit!, holds: false } }).includes('L_inf'), 'no asymptote from a trend fit outside the expansion\'s range');
});

test('Analyze Gradients runs in the evaluation process: progress counted in K-weighted draws up to the total, then the study', async () => {
  const { runDir } = await tinyRun();
  const progress: [number, number][] = [];
  const plan = { ks: [1, 4], estimators: ['standard', 'dreg'] as ('standard' | 'dreg')[], draws: 5, examples: 3, replicates: 20 };
  const study = await runEvaluation(realWorker, { type: 'gradients', checkpoint: runDir, plan }, undefined, (done, total) => progress.push([done, total]));
  assert.deepEqual(study.cells.map((c) => `${c.estimator}${c.k}`), ['standard1', 'standard4', 'dreg1', 'dreg4']);
  assert.equal(study.examples, 3);
  assert.equal(study.slopes.length, 4);
  const total = 2 * (1 + 4) * 5;
  assert.ok(progress.length >= 2 && progress.every(([, t]) => t === total), `progress ${progress}`);
  assert.deepEqual(progress.at(-1), [total, total]);
  assert.deepEqual(progress.map(([d]) => d), [...progress.map(([d]) => d)].sort((a, b) => a - b), 'never backwards');
});
