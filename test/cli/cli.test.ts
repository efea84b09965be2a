// The command line as a user runs it: the built bundle, in a child process.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runId } from '../../src/engine/train/newRun';
import { readRunRecord } from '../../src/engine/train/runDir';

const cli = join(process.cwd(), 'dist', 'cli.js');
// TensorFlow's native logger prints a oneDNN notice at library load that no
// log level silences; what the CLI itself writes is the rest.
const tensorflowBanner = /^(WARNING: All log messages before absl::InitializeLog\(\)|I\d{4} \d\d:\d\d:\d\d)/;
const ownLines = (stderr: string) => stderr.trim().split('\n').filter((line) => !tensorflowBanner.test(line));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });

before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});

test('train, stop at a step limit, resume, eval and inspect a run', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'll-cli-')), 'run');
  const common = ['--data', 'examples/mnist', '--objective', 'iwae', '--k', '3', '--epochs', '1', '--hidden', '32', '--latent', '4',
    '--eval-k', '20', '--nll-examples', '20', '--eval-examples', '50', '--seed', '2'];
  const first = run('train', ...common, '--out', out, '--max-steps', '30');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /stopped: .* \(step 30\); continue with: latent-lab train --resume/);
  assert.ok(!/[█░]/.test(first.stdout + first.stderr), 'no progress bar without a terminal, only lines');
  assert.equal(readdirSync(out).filter((f) => f.startsWith('events.out.tfevents.')).length, 1, 'a TensorBoard log beside the metrics');
  const resumed = run('train', '--resume', out, '--json');
  assert.equal(resumed.status, 0, resumed.stderr);
  const events = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events[0].type, 'start');
  assert.equal(events[0].step, 30);
  assert.deepEqual(events[0].stepPath, { path: 'xla' }, 'the start event says which path the session trains on');
  assert.deepEqual(events.at(-1), { ...events.at(-1), type: 'end', status: 'finished', step: 450 });
  const evaluated = run('eval', out, '--k', '50', '--examples', '20', '--json', '--per-example');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const result = JSON.parse(evaluated.stdout);
  assert.equal(result.examples, 20);
  assert.equal(result.perExample.length, 20);
  assert.ok(Math.abs(-result.perExample.reduce((a: number, b: number) => a + b, 0) / 20 - result.testNll) < 1e-3, 'the NLL is the mean of the per-example bounds');
  assert.ok(result.testNll > 0 && Number.isFinite(result.testNll));
  assert.deepEqual(result.stepPath, { path: 'graph' }, 'evaluations run kernel by kernel');
  const l = (k: number) => result.boundVsK.find((b: { k: number }) => b.k === k).bound;
  assert.ok(l(1) < l(50), 'L_1 < L_50 on the same samples');
  const text = run('eval', out, '--k', '50', '--examples', '20');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /test NLL\s+\d+\.\d\d ± \d+\.\d\d nats {2}\(-L_50, 20 examples, seed 0\)/);
  assert.match(text.stdout, /computed on {2}the graph path/);
  assert.match(text.stdout, /\n {7}1 +-\d+\.\d\d +\d+\.\d\d\n/, 'a row of the ladder: K, L_K, its standard error');
  const inspected = run('inspect', out);
  assert.equal(inspected.status, 0, inspected.stderr);
  assert.match(inspected.stdout, /model\s+784-32-4 \(tanh\), normal posterior, normal prior, bernoulli likelihood/);
  assert.match(inspected.stdout, /status\s+finished/);
  assert.match(inspected.stdout, /step path\s+xla path/);
  assert.match(inspected.stdout, /final\s+test NLL \(-L_20, 20 examples\)/);
  assert.match(inspected.stdout, /epoch 1: train bound -\d+\.\d+/);
});

test('errors are one line, name the problem and exit non-zero; --verbose adds the stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-cli-err-'));
  const bad = join(dir, 'broken.safetensors');
  writeFileSync(bad, 'not a checkpoint at all');
  const r = run('inspect', bad);
  assert.equal(r.status, 1);
  assert.equal(ownLines(r.stderr).length, 1, r.stderr);
  assert.match(ownLines(r.stderr)[0], /^latent-lab: .*broken\.safetensors: not a readable safetensors file/);
  const verbose = run('--verbose', 'inspect', bad);
  assert.match(verbose.stderr, /\n\s+at /);
  const missing = run('train', '--data', join(dir, 'nope.npy'), '--epochs', '1');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.npy/);
  const badK = run('train', '--data', 'examples/mnist', '--k', '0');
  assert.equal(badK.status, 1);
  assert.match(badK.stderr, /--k.*expected an integer >= 1/);
  assert.ok(!existsSync(join(dir, 'runs')));
});

test('PIWAE and CIWAE from the command line: M and beta reach the run config, and the default run id names them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-cli-bounds-'));
  const common = ['--data', 'examples/mnist', '--k', '2', '--epochs', '1', '--hidden', '8', '--latent', '2', '--max-steps', '2'];
  const piwae = run('train', ...common, '--objective', 'piwae', '--m', '3', '--out', join(dir, 'piwae'));
  assert.equal(piwae.status, 0, piwae.stderr);
  assert.deepEqual(readRunRecord(join(dir, 'piwae'))?.config.objective, { kind: 'piwae', k: 2, m: 3, estimator: 'standard', analyticKl: false });
  const ciwae = run('train', ...common, '--objective', 'ciwae', '--beta', '0.3', '--out', join(dir, 'ciwae'));
  assert.equal(ciwae.status, 0, ciwae.stderr);
  assert.deepEqual(readRunRecord(join(dir, 'ciwae'))?.config.objective, { kind: 'ciwae', k: 2, m: 1, estimator: 'standard', analyticKl: false, beta: 0.3 });
  const when = new Date('2026-12-02T10:11:12Z');
  assert.equal(runId({ objective: 'piwae', k: 8, m: 4 }, when), 'piwae-k8-m4-20261202-101112');
  assert.equal(runId({ objective: 'ciwae', k: 5, beta: 0.3 }, when), 'ciwae-k5-b0.3-20261202-101112');
  assert.equal(runId({ objective: 'ciwae', k: 5 }, when), 'ciwae-k5-b0.5-20261202-101112');
  const badBeta = run('train', ...common, '--objective', 'ciwae', '--beta', '1.5');
  assert.equal(badBeta.status, 1);
  assert.match(badBeta.stderr, /--beta.*expected a number from 0 to 1/);
  const betaElsewhere = run('train', ...common, '--objective', 'iwae', '--beta', '0.5', '--out', join(dir, 'iwae'));
  assert.equal(betaElsewhere.status, 1);
  assert.match(betaElsewhere.stderr, /beta is only meaningful for ciwae/);
});

test('train with each new family and the convolutional networks, and inspect what was trained', () => {
  const common = ['--data', 'examples/mnist', '--k', '3', '--epochs', '1', '--hidden', '16', '--latent', '4', '--max-steps', '3', '--seed', '1', '--json'];
  const cases: [string[], RegExp][] = [
    [['--posterior', 'iaf', '--flow-steps', '2', '--flow-hidden', '8', '--flow-context', '3'], /iaf posterior \(2 flow steps, MADE 8, context 3\), normal prior/],
    [['--posterior', 'student-t', '--degrees-of-freedom', '2.5'], /student-t posterior \(2\.5 degrees of freedom\)/],
    [['--prior', 'vamp', '--components', '4'], /normal posterior, vamp prior \(4 pseudo-inputs\)/],
    [['--network', 'conv', '--conv-channels', '4,8', '--conv-kernel', '3'], /model       28x28x1-conv4-conv8-16-4 \(tanh\), normal posterior, normal prior, conv networks \(4-8 channels, 3x3 kernels\)/],
  ];
  for (const [options, described] of cases) {
    const out = join(mkdtempSync(join(tmpdir(), 'll-cli-families-')), 'run');
    const trained = run('train', ...common, ...options, '--out', out);
    assert.equal(trained.status, 0, trained.stderr);
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1) as string);
    assert.deepEqual([end.type, end.status, end.step], ['end', 'stopped', 3], options.join(' '));
    assert.match(run('inspect', out).stdout, described);
  }
  const refused = run('train', ...common, '--posterior', 'iaf', '--estimator', 'dreg');
  assert.equal(refused.status, 1);
  assert.match(ownLines(refused.stderr)[0], /the dreg estimator needs log q at any z/);
});
