// `latent-lab analyze` and `latent-lab study` as a user runs them: the built
// bundle, in child processes, on a small run and a tiny dataset.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyBytes, write } from '../data/fixtures';
import { EvaluationResult } from '../../src/shared/evaluation';

const cli = join(process.cwd(), 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });

let checkpoint = '';
before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  checkpoint = join(mkdtempSync(join(tmpdir(), 'll-analyze-')), 'run');
  const trained = run('train', '--data', 'examples/mnist', '--objective', 'iwae', '--k', '3', '--epochs', '1', '--hidden', '32', '--latent', '4',
    '--eval-k', '20', '--nll-examples', '20', '--eval-examples', '50', '--seed', '2', '--out', checkpoint, '--max-steps', '60');
  assert.equal(trained.status, 0, trained.stderr);
});

test('analyze weights is eval --bound-vs-k: the ladder up to N, its fit, the jackknife, ESS and k-hat, as JSON and as a table', () => {
  const r = run('analyze', 'weights', checkpoint, '--n', '200', '--examples', '30', '--jackknife-k', '20', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = EvaluationResult.parse(JSON.parse(r.stdout));
  assert.equal(report.k, 200);
  assert.equal(report.examples, 30);
  assert.deepEqual(report.boundVsK.map((p) => p.k), [1, 2, 5, 10, 20, 50, 100, 200]);
  const means = report.boundVsK.map((p) => p.bound);
  assert.ok(means[0] < means[means.length - 1], 'L_1 below L_200 on a barely trained model');
  assert.ok(report.boundVsK.every((p) => p.deltaMethodBias !== undefined && p.deltaMethodBias <= 0), 'the delta-method bias at every K');
  assert.equal(report.jackknife?.k, 20);
  const w = report.weights;
  assert.ok(w.essFraction.mean > 0 && w.essFraction.mean <= 1);
  assert.ok(w.paretoK.above07 <= w.paretoK.above05 && w.paretoK.above05 + w.paretoK.notEstimable <= 30);
  assert.equal(w.essFraction.histogram.counts.reduce((a, b) => a + b, 0), 30, 'every example in the ESS histogram');
  const evaluated = run('eval', checkpoint, '--k', '200', '--examples', '30', '--jackknife-k', '20', '--json');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const { seconds: _a, ...fromAnalyze } = report;
  const { seconds: _b, ...fromEval } = EvaluationResult.parse(JSON.parse(evaluated.stdout));
  assert.deepEqual(fromAnalyze, fromEval, 'one path draws and analyzes the log weights');
  const table = run('analyze', 'weights', checkpoint, '--n', '200', '--examples', '30', '--jackknife-k', '20');
  assert.equal(table.status, 0, table.stderr);
  const fromEvalTable = run('eval', checkpoint, '--k', '200', '--examples', '30', '--jackknife-k', '20', '--bound-vs-k');
  assert.equal(table.stdout, fromEvalTable.stdout);
  assert.match(table.stdout, /^ {5}K {6}L_K/m);
  assert.match(table.stdout, /JVI at K=20 {2}order 1/);
  assert.match(table.stdout, /Pareto k {4}/);
  assert.match(table.stdout, /^L_inf {7}(-?\d+\.\d\d ± \d+\.\d\d|not estimated)/m);
});

test('analyze gradients: SNR per network for every K and estimator, and the slopes in K', () => {
  const r = run('analyze', 'gradients', checkpoint, '--k', '1,4', '--estimators', 'standard,dreg', '--draws', '6', '--examples', '3', '--replicates', '20', '--json');
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.cells.map((c: { estimator: string; k: number }) => `${c.estimator}${c.k}`), ['standard1', 'standard4', 'dreg1', 'dreg4']);
  for (const c of s.cells) for (const n of [c.encoder, c.decoder]) assert.ok(n.mean > 0 && n.p5 <= n.median && n.median <= n.p95 && n.directional > 0);
  assert.equal(s.slopes.length, 4);
  const bad = run('analyze', 'gradients', checkpoint, '--estimators', 'standard,reinforce');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown estimator 'reinforce'/);
});

test('study: every cell trained and evaluated, the findings printed and kept; run again, it starts nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-study-cli-'));
  const values = Array.from({ length: 120 * 16 }, (_, i) => ((i * 7919) % 13 < 5 ? 1 : 0));
  const data = write(join(dir, 'tiny.npy'), npyBytes('|u1', [120, 16], values));
  const runs = join(dir, 'runs');
  const args = ['study', '--data', data, '--objectives', 'vae,iwae', '--k', '1,3', '--epochs', '1', '--name', 't', '--runs', runs, '--eval-k', '20',
    '--', '--hidden', '8', '--latent', '2', '--batch-size', '12', '--eval-examples', '12'];
  const first = run(...args);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /study t: finished/);
  assert.match(first.stdout, /findings:\n- (holds|does not hold|not resolved): VAE's test NLL falls from K = 1 to 3/);
  assert.match(first.stdout, /one seed, so training noise is not measured/);
  const manifest = JSON.parse(readFileSync(join(runs, 't.study.json'), 'utf8'));
  assert.equal(manifest.status, 'finished');
  assert.deepEqual(manifest.cells.map((c: { run: string }) => c.run), ['t-k1-s1', 't-vae-k3-s1', 't-iwae-k3-s1']);
  assert.equal(manifest.results.examples, 12);
  const again = run(...args);
  assert.equal(again.status, 0, again.stderr);
  assert.ok(!/training|evaluating/.test(again.stderr), again.stderr);
});
