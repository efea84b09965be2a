// PIWAE(M, K) and CIWAE(beta) (Rainforth et al. 2018): on the same noise, each
// network gets exactly the gradient its definition names, for every
// estimator; their bounds sit where they must; DReG keeps CIWAE's expectation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { surrogate } from '../../src/engine/objectives/estimators';
import { objectiveConfig, describeObjective, type GradientEstimator, type ObjectiveConfig } from '../../src/engine/objectives/objective';
import { elbo, iwaeBound } from '../../src/engine/objectives/bounds';
import { logWeights } from '../../src/engine/objectives/logWeights';
import { gradientDraws, networkColumns } from '../../src/engine/diagnostics/gradientSnr';

const ESTIMATORS: GradientEstimator[] = ['standard', 'stl', 'dreg'];

function smallModel(): LatentVariableModel {
  return new LatentVariableModel({
    inputDim: 6, layers: [{ hidden: [8], latent: 3 }], posterior: 'normal', prior: 'normal', priorComponents: 0,
    likelihood: 'bernoulli', likelihoodScale: 1,
  }, new Sampler(3));
}
const batch = () => tf.tensor2d([[1, 0, 1, 1, 0, 0], [0, 1, 0, 1, 1, 0], [1, 1, 1, 0, 0, 1]]);

/** The estimator's gradient for the noise of Sampler(seed): [P]. */
function gradientOn(model: LatentVariableModel, objective: ObjectiveConfig, x: tf.Tensor, seed: number): Float32Array {
  const draws = gradientDraws(model, objective, x, new Sampler(seed), 1);
  const g = draws.dataSync() as Float32Array;
  draws.dispose();
  return g;
}

/** Largest |a - b| over `columns`, relative to the largest |b| there. */
function relativeGap(a: Float32Array, b: Float32Array, columns: number[]): number {
  let gap = 0, scale = 0;
  for (const i of columns) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(scale > 0, 'the reference gradient must not vanish');
  return gap / scale;
}

const allColumns = (model: LatentVariableModel) => {
  const { encoder, decoder } = networkColumns(model.params);
  return [...encoder, ...decoder];
};

const TOLERANCE = 1e-5; // float32 sums in a different order

test('PIWAE(M, K): the inference network gets MIWAE(M, K)\'s gradient, the generative network IWAE(M K)\'s, on the same noise', () => {
  const model = smallModel();
  const x = batch();
  const { encoder, decoder } = networkColumns(model.params);
  for (const estimator of ESTIMATORS) {
    const piwae = gradientOn(model, objectiveConfig({ kind: 'piwae', m: 3, k: 4, estimator }), x, 7);
    const miwae = gradientOn(model, objectiveConfig({ kind: 'miwae', m: 3, k: 4, estimator }), x, 7);
    const iwae = gradientOn(model, objectiveConfig({ kind: 'iwae', k: 12, estimator }), x, 7);
    assert.ok(relativeGap(piwae, miwae, encoder) < TOLERANCE, `${estimator}: encoder ${relativeGap(piwae, miwae, encoder)}`);
    assert.ok(relativeGap(piwae, iwae, decoder) < TOLERANCE, `${estimator}: decoder ${relativeGap(piwae, iwae, decoder)}`);
    assert.ok(relativeGap(miwae, iwae, decoder) > 100 * TOLERANCE, 'MIWAE and IWAE must differ for the decoder, or the test shows nothing');
  }
  tf.dispose(x);
  model.dispose();
});

test('PIWAE(1, K) is IWAE(K), and PIWAE reports L_{MK}', () => {
  const model = smallModel();
  const x = batch();
  const piwae = gradientOn(model, objectiveConfig({ kind: 'piwae', m: 1, k: 5 }), x, 8);
  const iwae = gradientOn(model, objectiveConfig({ kind: 'iwae', k: 5 }), x, 8);
  assert.ok(relativeGap(piwae, iwae, allColumns(model)) < TOLERANCE);
  const bound = tf.tidy(() => surrogate(model, objectiveConfig({ kind: 'piwae', m: 2, k: 3 }), x, new Sampler(9)).bound.arraySync() as number[]);
  const expected = tf.tidy(() => iwaeBound(logWeights(model, x, model.posterior(x, 6, new Sampler(9)))).arraySync() as number[]);
  bound.forEach((b, i) => assert.ok(Math.abs(b - expected[i]) < 1e-5 * Math.abs(expected[i])));
  tf.dispose(x);
  model.dispose();
});

test('CIWAE(beta)\'s gradient is beta (ELBO\'s) + (1 - beta) (IWAE\'s) on the same noise; for DReG the ELBO part is STL', () => {
  const model = smallModel();
  const x = batch();
  const every = allColumns(model);
  for (const estimator of ESTIMATORS) {
    const vae = gradientOn(model, objectiveConfig({ kind: 'vae', k: 5, estimator: estimator === 'dreg' ? 'stl' : estimator }), x, 11);
    const iwae = gradientOn(model, objectiveConfig({ kind: 'iwae', k: 5, estimator }), x, 11);
    for (const beta of [0, 0.3, 1]) {
      const ciwae = gradientOn(model, objectiveConfig({ kind: 'ciwae', k: 5, beta, estimator }), x, 11);
      const mixture = vae.map((v, i) => beta * v + (1 - beta) * iwae[i]);
      assert.ok(relativeGap(ciwae, mixture, every) < TOLERANCE, `${estimator}, beta ${beta}: ${relativeGap(ciwae, mixture, every)}`);
    }
  }
  tf.dispose(x);
  model.dispose();
});

test('the CIWAE bound lies between the ELBO and L_K of the same samples, at beta = 1 and 0 equal to each', () => {
  const model = smallModel();
  const x = batch();
  const bounds = (beta: number) => tf.tidy(() => surrogate(model, objectiveConfig({ kind: 'ciwae', k: 8, beta }), x, new Sampler(12)).bound.arraySync() as number[]);
  const [lower, upper] = tf.tidy(() => {
    const lw = logWeights(model, x, model.posterior(x, 8, new Sampler(12)));
    return [elbo(lw).arraySync() as number[], iwaeBound(lw).arraySync() as number[]];
  });
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-5 * Math.abs(b);
  bounds(1).forEach((b, i) => assert.ok(close(b, lower[i])));
  bounds(0).forEach((b, i) => assert.ok(close(b, upper[i])));
  bounds(0.4).forEach((b, i) => {
    assert.ok(lower[i] < b && b < upper[i], `example ${i}: ${lower[i]} < ${b} < ${upper[i]}`);
    assert.ok(close(b, 0.4 * lower[i] + 0.6 * upper[i]));
  });
  tf.dispose(x);
  model.dispose();
});

test('CIWAE DReG agrees with the standard CIWAE estimator in expectation', () => {
  const model = smallModel();
  const x = batch();
  const draws = 300;
  const stats = (estimator: GradientEstimator, seed: number) => {
    const d = gradientDraws(model, objectiveConfig({ kind: 'ciwae', k: 5, beta: 0.5, estimator }), x, new Sampler(seed), draws);
    const { mean, variance } = tf.moments(d, 0);
    const out = { mean: mean.dataSync() as Float32Array, se: variance.mul(draws / (draws - 1) / draws).sqrt().dataSync() as Float32Array };
    tf.dispose([d, mean, variance]);
    return out;
  };
  const standard = stats('standard', 13);
  const dreg = stats('dreg', 14);
  let z = 0;
  standard.mean.forEach((m, i) => {
    const s = Math.hypot(standard.se[i], dreg.se[i]);
    if (s > 0) z = Math.max(z, Math.abs(m - dreg.mean[i]) / s);
  });
  // About 200 parameters: |z| > 4.5 has probability about 1e-3 for any of them if the expectations agree.
  assert.ok(z < 4.5, `max |z| = ${z}`);
  assert.ok(dreg.se.some((s, i) => s < 0.5 * standard.se[i]), 'DReG must reduce some variance');
  tf.dispose(x);
  model.dispose();
});

test('the objective config validates and names PIWAE and CIWAE', () => {
  assert.equal(describeObjective(objectiveConfig({ kind: 'piwae', m: 4, k: 8 })), 'PIWAE(M=4, K=8), standard gradient');
  assert.equal(describeObjective(objectiveConfig({ kind: 'ciwae', k: 5 })), 'CIWAE(beta=0.5) K=5, standard gradient');
  assert.throws(() => objectiveConfig({ kind: 'ciwae', k: 5, beta: 1.5 }), /beta/);
  assert.throws(() => objectiveConfig({ kind: 'iwae', k: 5, beta: 0.5 }), /only meaningful for ciwae/);
  assert.equal(objectiveConfig({ kind: 'ciwae', k: 5, m: 3 }).m, 1);
  assert.equal(objectiveConfig({ kind: 'piwae', k: 5, m: 3 }).m, 3);
});
