// Gradient SNR: the statistics against known cases, and Rainforth et al.
// (2018)'s result on a small trained model: with more samples the generative
// network's SNR grows, the standard estimator's SNR for the inference network
// falls, and DReG's does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf';
import { Sampler } from '../../../src/engine/random/sampler';
import { LatentVariableModel } from '../../../src/engine/models/latentModel';
import { Adam } from '../../../src/engine/train/adam';
import { trainStep } from '../../../src/engine/train/step';
import { objectiveConfig } from '../../../src/engine/objectives/objective';
import {
  bootstrapMeanSnr, directionalSnr, gradientDraws, gradientSnrStudy, logLogSlope, networkColumns, snrSummary,
} from '../../../src/engine/diagnostics/gradientSnr';
import { meanWithStandardError } from '../../../src/engine/math/statistics';

/** n draws of P columns, column p = snr[p] + N(0, 1) (so its SNR is snr[p]). */
function drawsWithSnr(n: number, snr: number[], seed: number): tf.Tensor2D {
  return tf.tidy(() => new Sampler(seed).normal([n, snr.length]).add(tf.tensor1d(snr)) as tf.Tensor2D);
}

test('per-parameter SNR: the summary recovers known SNRs, and leaves out constant parameters', async () => {
  const truth = Array.from({ length: 400 }, (_, p) => [0.5, 1, 2, 4][p % 4]);
  const draws = tf.tidy(() => tf.concat([drawsWithSnr(2000, truth, 1), tf.fill([2000, 3], 1.5)], 1));
  const s = await snrSummary(draws);
  draws.dispose();
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  // Each column's SNR estimate has standard deviation about sqrt((1 + snr^2 / 2) / n).
  const se = Math.sqrt(truth.reduce((a, t) => a + (1 + t * t / 2) / 2000, 0)) / truth.length;
  assert.ok(Math.abs(s.mean - mean) < 4 * se, `mean SNR ${s.mean}, true ${mean} (se ${se})`);
  assert.equal(s.parameters, 400);
  assert.equal(s.constant, 3);
  assert.ok(Math.abs(s.p5 - 0.5) < 0.1 && Math.abs(s.p95 - 4) < 0.25 && s.median > 1 && s.median < 2, `p5 ${s.p5}, median ${s.median}, p95 ${s.p95}`);
});

test('the directional SNR from the Gram matrix equals its direct computation with leave-one-out directions', async () => {
  const draws = drawsWithSnr(12, [3, -1, 0.5, 0, 0, 2], 2);
  const rows = draws.arraySync();
  const g = rows.map((a) => rows.map((b) => a.reduce((s, v, i) => s + v * b[i], 0)));
  let direct = 0;
  for (let i = 0; i < rows.length; i++) {
    const others = rows[0].map((_, j) => rows.reduce((s, r, t) => s + (t === i ? 0 : r[j]), 0));
    const norm = Math.hypot(...others);
    const along = rows[i].reduce((s, v, j) => s + (v * others[j]) / norm, 0);
    const across = Math.hypot(...rows[i].map((v, j) => v - (along * others[j]) / norm));
    direct += Math.abs(along) / across;
  }
  direct /= rows.length;
  assert.ok(Math.abs(directionalSnr(g) - direct) < 1e-9 * direct, `${directionalSnr(g)} vs ${direct}`);
  const s = await snrSummary(draws);
  assert.ok(Math.abs(s.directional - direct) < 1e-4 * direct, 'float32 Gram matrix');
  draws.dispose();
});

test('bootstrap replicates of the mean SNR spread as much as independent sets of draws do', async () => {
  const truth = Array.from({ length: 50 }, (_, p) => 0.2 + p / 25);
  const sets = Array.from({ length: 30 }, (_, s) => drawsWithSnr(60, truth, 100 + s));
  const means = await Promise.all(sets.map(async (d) => (await snrSummary(d)).mean));
  const spread = Math.sqrt(meanWithStandardError(means).standardError ** 2 * means.length);
  const boots = await bootstrapMeanSnr(sets[0], 400, 7);
  const bootMean = boots.reduce((a, b) => a + b, 0) / boots.length;
  const bootSpread = Math.sqrt(boots.reduce((a, b) => a + (b - bootMean) ** 2, 0) / (boots.length - 1));
  tf.dispose(sets);
  assert.ok(bootSpread > 0.6 * spread && bootSpread < 1.6 * spread, `bootstrap sd ${bootSpread}, between sets ${spread}`);
});

test('the log-log slope of a power law is its exponent', () => {
  const ks = [1, 4, 16, 64];
  const y = ks.map((k) => 3 * k ** -0.5);
  // Replicates: the same law, and one with exponent -0.4; a common factor does not change a slope.
  const boots = y.map((v, j) => Float64Array.from([v, v * ks[j] ** 0.1, 2 * v]));
  const { slope, standardError } = logLogSlope(ks, y, boots);
  assert.ok(Math.abs(slope + 0.5) < 1e-12, `slope ${slope}`);
  const sd = Math.sqrt(((-0.5 + 7 / 15) ** 2 * 2 + (-0.4 + 7 / 15) ** 2) / 2);
  assert.ok(Math.abs(standardError - sd) < 1e-12, `standard error ${standardError}, expected ${sd}`);
});

test('gradient draws are the estimator\'s gradients, one row per draw, encoder columns first', () => {
  const model = new LatentVariableModel({ inputDim: 5, layers: [{ hidden: [4], latent: 2 }], posterior: 'normal', prior: 'normal', priorComponents: 0, likelihood: 'bernoulli', likelihoodScale: 1 }, new Sampler(1));
  const x = tf.tensor2d([[1, 0, 1, 1, 0]]);
  const draws = gradientDraws(model, objectiveConfig({ kind: 'iwae', k: 3 }), x, new Sampler(2), 4);
  const columns = networkColumns(model.params);
  const total = [...model.params.values()].reduce((s, v) => s + v.size, 0);
  assert.deepEqual(draws.shape, [4, total]);
  assert.equal(columns.encoder.length + columns.decoder.length, total);
  assert.equal(columns.encoder[columns.encoder.length - 1], columns.encoder.length - 1);
  const rows = draws.arraySync() as number[][];
  assert.ok(rows[0].some((v, i) => v !== rows[1][i]), 'independent draws differ');
  tf.dispose([draws, x]);
  model.dispose();
});

test('on a small trained model: decoder SNR grows with K, the standard encoder SNR falls, DReG\'s does not', async () => {
  const D = 16, Z = 2;
  const data = tf.tidy(() => {
    const s = new Sampler(1);
    const z = s.normal([512, Z]);
    return s.uniform([512, D]).less(tf.sigmoid(z.matMul(s.normal([Z, D]).mul(2.5)))).toFloat();
  });
  const model = new LatentVariableModel({ inputDim: D, layers: [{ hidden: [32], latent: Z }], posterior: 'normal', prior: 'normal', priorComponents: 0, likelihood: 'bernoulli', likelihoodScale: 1 }, new Sampler(2));
  const adam = new Adam(model.params);
  const sampler = new Sampler(3);
  for (let i = 0; i < 800; i++) {
    const x = data.slice([(i * 32) % 512, 0], [32, D]);
    tf.dispose(trainStep(model, adam, objectiveConfig({ kind: 'iwae', k: 5 }), x, sampler, 1e-2));
    x.dispose();
  }
  const x = data.slice([0, 0], [8, D]);
  const study = await gradientSnrStudy(model, x, { ks: [1, 4, 16, 64, 256], estimators: ['standard', 'dreg'], draws: 100, replicates: 200, seed: 5 });
  tf.dispose([x, data]);
  model.dispose();
  adam.dispose();
  const slope = (network: string, estimator: string) => study.slopes.find((s) => s.network === network && s.estimator === estimator)!;
  for (const estimator of ['standard', 'dreg']) {
    const d = slope('decoder', estimator);
    assert.ok(d.slope > 5 * d.standardError && d.slope > 0.25 && d.slope < 0.75, `${estimator} decoder slope ${d.slope} ± ${d.standardError} (sqrt(K): 0.5)`);
  }
  const standard = slope('encoder', 'standard');
  const dreg = slope('encoder', 'dreg');
  assert.ok(standard.slope < -3 * standard.standardError, `standard encoder slope ${standard.slope} ± ${standard.standardError}`);
  assert.ok(dreg.slope > -2 * dreg.standardError, `DReG encoder slope ${dreg.slope} ± ${dreg.standardError}`);
  assert.ok(dreg.slope - standard.slope > 3 * Math.hypot(dreg.standardError, standard.standardError), 'DReG must beat the standard estimator');
  assert.ok(standard.standardError < 0.1 && dreg.standardError < 0.1, 'slopes must be resolved');
});
