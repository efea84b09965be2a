// One evaluation, whoever asks: the trainer's final evaluation (run.json),
// `latent-lab eval`, Evaluate Checkpoint (a run folder to the evaluation
// process) and the inspector's Evaluate (the checkpoint file to it) give the
// identical numbers for one checkpoint and seed, the analysis of the log
// weights (fit, JVI, ESS, k-hat) included. And the held-out examples
// `eval --write-eval-data` writes let an outside implementation, written from
// docs/checkpoint-format.md, reproduce the test NLL up to its own Monte Carlo error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationResult } from '../../src/shared/evaluation';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { loadSplit } from '../../src/engine/data/load';
import { evaluationExamples, evaluationSettings } from '../../src/engine/evaluate/checkpointEvaluation';
import { readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { runEvaluation } from '../../src/extension/evaluation/evaluationProcess';
import { buildBundles, type Bundles } from './helpers/bundles';
import { writeTinyDataset } from './helpers/tinyDataset';

let bundles: Bundles;
let runDir: string;
let dataPath: string;
const scratch = mkdtempSync(join(tmpdir(), 'll-one-eval-'));
const EVAL_K = 60;
const NLL_EXAMPLES = 40;

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bundles.cli, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const evalJson = (...args: string[]) => EvaluationResult.parse(JSON.parse(cli('eval', runDir, '--json', ...args)));
const withoutTime = ({ seconds: _s, ...rest }: Record<string, unknown>) => rest;

before(async () => {
  bundles = await buildBundles();
  // Grey levels, so that the held-out binarization is part of what must agree.
  dataPath = writeTinyDataset(scratch, 1000, 8, 1, true);
  runDir = join(scratch, 'run');
  cli('train', '--data', dataPath, '--k', '3', '--epochs', '1', '--hidden', '16', '--latent', '4', '--seed', '3',
    '--eval-k', String(EVAL_K), '--nll-examples', String(NLL_EXAMPLES), '--eval-examples', '50', '--out', runDir, '--json');
});
after(() => bundles.remove());

test('the trainer, the command line, Evaluate Checkpoint and the inspector give the identical evaluation', async () => {
  const trainer = readRunRecord(runDir)!.final!;
  const command = evalJson();
  const worker = { workerPath: bundles.evaluationWorker };
  const palette = await runEvaluation(worker, { type: 'evaluate', checkpoint: runDir, k: EVAL_K });
  const inspector = await runEvaluation(worker, { type: 'evaluate', checkpoint: runPaths(runDir).checkpoint, k: EVAL_K });
  assert.equal(trainer.k, EVAL_K);
  assert.equal(trainer.examples, NLL_EXAMPLES);
  assert.deepEqual(trainer.stepPath, { path: 'graph' }, 'the final evaluation ran on the graph path, as every evaluation does');
  // What is compared includes the analysis of the same log weights: JVI at K = N, ESS and k-hat of every example.
  assert.equal(trainer.jackknife?.k, EVAL_K);
  assert.equal(trainer.weights?.essFraction.histogram.counts.reduce((a, b) => a + b, 0), NLL_EXAMPLES);
  for (const [name, r] of [['latent-lab eval', command], ['Evaluate Checkpoint', palette], ['the inspector', inspector]] as const) {
    assert.equal(r.testNll, trainer.testNll, `${name}: test NLL`);
    assert.deepEqual(withoutTime(r), withoutTime(trainer), name);
  }
  const otherSeed = evalJson('--seed', '1');
  assert.notEqual(otherSeed.testNll, trainer.testNll, 'another seed binarizes and draws anew');
  assert.equal(otherSeed.seed, 1);
});

test('the ladder L_K comes from the N log weights of -L_N, each with its standard error', () => {
  const r = evalJson();
  assert.deepEqual(r.boundVsK.map((b) => b.k), [1, 2, 5, 10, 20, 50, EVAL_K]);
  assert.equal(-r.boundVsK.at(-1)!.bound, r.testNll);
  assert.equal(r.boundVsK.at(-1)!.standardError, r.standardError);
  for (const b of r.boundVsK) assert.ok(b.standardError > 0 && Number.isFinite(b.bound), `L_${b.k}`);
  // E[L_K] rises with K; the estimates share their samples, so their differences are far below the standard errors.
  const [l1, l5, l60] = [1, 5, EVAL_K].map((k) => r.boundVsK.find((b) => b.k === k)!.bound);
  assert.ok(l1 < l5 && l5 < l60, `L_1 ${l1}, L_5 ${l5}, L_60 ${l60}`);
});

test('the written evaluation set is exactly what was evaluated, and an outside evaluator reproduces the test NLL from it', async () => {
  const file = join(scratch, 'eval-data.idx');
  const k = 400;
  const ours = evalJson('--k', String(k), '--per-example', '--write-eval-data', file);
  const { n, values } = readIdx(file);
  assert.equal(n, ours.examples);
  // Bit for bit the tensor every evaluation builds from the held-out set and the seed.
  const checkpoint = loadCheckpoint(runPaths(runDir).checkpoint);
  const x = evaluationExamples(checkpoint, (await loadSplit(dataPath)).test, evaluationSettings(checkpoint, { k }));
  assert.deepEqual(Array.from(values), Array.from(await x.data()));
  x.dispose();
  assert.ok(values.every((v) => v === 0 || v === 1), 'binarized');
  const theirs = outsideLogLikelihood(runPaths(runDir).checkpoint, values, n, k);
  const d = ours.perExample!.map((v, i) => v - theirs[i]);
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const se = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
  assert.ok(Math.abs(mean) < 4 * se, `paired difference ${mean} nats, standard error ${se}`);
});

/** An IDX file as docs/checkpoint-format.md describes it: float32, [N, H, W], big-endian. */
function readIdx(file: string): { n: number; values: Float32Array } {
  const bytes = readFileSync(file);
  assert.equal(bytes.readUInt32BE(0), 0x0d03, 'float32, 3 dimensions');
  const dims = [0, 1, 2].map((i) => bytes.readUInt32BE(4 + 4 * i));
  const values = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatBE(16 + 4 * i);
  return { n: dims[0], values };
}

/**
 * L_K per example of a one-layer Normal/Bernoulli checkpoint, in float64 with
 * its own random numbers, from the safetensors file alone: what a reader of
 * docs/checkpoint-format.md would write.
 */
function outsideLogLikelihood(file: string, x: Float32Array, n: number, k: number): number[] {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { shape: number[]; data_offsets: [number, number] }>;
  const tensor = (name: string) => {
    const { shape, data_offsets: [a, b] } = header[name];
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8 + headerLength + a, bytes.byteOffset + 8 + headerLength + b));
    return { shape, data };
  };
  const layers = (prefix: string) => {
    const out = [];
    for (let i = 0; `${prefix}.${i}.kernel` in header; i++) out.push({ w: tensor(`${prefix}.${i}.kernel`), b: tensor(`${prefix}.${i}.bias`) });
    return out;
  };
  const mlp = (ls: ReturnType<typeof layers>, input: number[]) => ls.reduce((h, { w, b }, i) => {
    const [rows, cols] = w.shape;
    const out = Array.from({ length: cols }, (_, j) => {
      let s = b.data[j];
      for (let r = 0; r < rows; r++) s += h[r] * w.data[r * cols + j];
      return s;
    });
    return i < ls.length - 1 ? out.map(Math.tanh) : out;
  }, input);
  const [q, p] = [layers('q.0'), layers('p.0')];
  const d = x.length / n;
  let state = 12345;
  const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) + 0.5) / 2 ** 32;
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
  const softplus = (v: number) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
  return Array.from({ length: n }, (_, e) => {
    const xe = Array.from(x.subarray(e * d, (e + 1) * d));
    const out = mlp(q, xe);
    const z = out.length / 2;
    const logWeights = Array.from({ length: k }, () => {
      const eps = Array.from({ length: z }, gaussian);
      const zs = eps.map((v, j) => out[j] + v * Math.exp(out[z + j]));
      const logQ = eps.reduce((s, v, j) => s - 0.5 * v * v - out[z + j] - halfLog2Pi, 0);
      const logPz = zs.reduce((s, v) => s - 0.5 * v * v - halfLog2Pi, 0);
      const logits = mlp(p, zs);
      const logPx = logits.reduce((s, l, i) => s + xe[i] * l - softplus(l), 0);
      return logPx + logPz - logQ;
    });
    const max = Math.max(...logWeights);
    return max + Math.log(logWeights.reduce((s, v) => s + Math.exp(v - max), 0) / k);
  });
}
