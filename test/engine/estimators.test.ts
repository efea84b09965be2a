// Gradient estimators: STL and DReG change the variance, not the expectation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { surrogate } from '../../src/engine/objectives/estimators';
import { objectiveConfig, type ObjectiveConfig } from '../../src/engine/objectives/objective';
import { linearGaussianData, linearGaussianModel } from '../helpers/linearGaussian';

/** Flattened gradient of the estimator's surrogate w.r.t. all parameters, for one noise draw. */
function gradient(model: LatentVariableModel, objective: ObjectiveConfig, x: tf.Tensor, sampler: Sampler): Float64Array {
  let retained: tf.Tensor[] = [];
  const flat = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const s = surrogate(model, objective, x, sampler);
      retained = s.retained;
      return s.loss;
    }, [...model.params.values()]);
    return tf.concat([...model.params.values()].map((v) => grads[v.name].reshape([-1])));
  });
  const out = Float64Array.from(flat.dataSync());
  tf.dispose([flat, ...retained]);
  return out;
}

function gradientStats(model: LatentVariableModel, objective: ObjectiveConfig, x: tf.Tensor, draws: number, seed: number) {
  const sampler = new Sampler(seed);
  let mean: Float64Array | undefined, m2: Float64Array | undefined;
  for (let r = 1; r <= draws; r++) {
    const g = gradient(model, objective, x, sampler);
    mean ??= new Float64Array(g.length);
    m2 ??= new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const d = g[i] - mean[i];
      mean[i] += d / r;
      m2[i] += d * (g[i] - mean[i]);
    }
  }
  const se = (m2 as Float64Array).map((v) => Math.sqrt(v / (draws - 1) / draws));
  return { mean: mean as Float64Array, se };
}

function smallModel(): LatentVariableModel {
  return new LatentVariableModel({
    inputDim: 6, layers: [{ hidden: [8], latent: 3 }], posterior: 'normal', prior: 'normal', priorComponents: 0,
    likelihood: 'bernoulli', likelihoodScale: 1,
  }, new Sampler(3));
}

/** Largest |z| of the elementwise differences of two Monte Carlo means. */
function maxZ(a: { mean: Float64Array; se: Float64Array }, b: { mean: Float64Array; se: Float64Array }): number {
  let z = 0;
  for (let i = 0; i < a.mean.length; i++) {
    const s = Math.hypot(a.se[i], b.se[i]);
    if (s > 0) z = Math.max(z, Math.abs(a.mean[i] - b.mean[i]) / s);
  }
  return z;
}

/** Agreement in expectation means little if the two were one computation: on the very same noise their gradients must differ. */
function assertDifferentOnSameNoise(model: LatentVariableModel, a: ObjectiveConfig, b: ObjectiveConfig, x: tf.Tensor): void {
  const [ga, gb] = [gradient(model, a, x, new Sampler(11)), gradient(model, b, x, new Sampler(11))];
  const same = gradient(model, a, x, new Sampler(11));
  assert.deepEqual(Array.from(same), Array.from(ga), 'one estimator on the same noise is deterministic');
  const largest = ga.reduce((m, v, i) => Math.max(m, Math.abs(v - gb[i])), 0);
  assert.ok(largest > 1e-4, `${a.estimator} and ${b.estimator} gave the same gradient on the same noise (largest difference ${largest})`);
}

const DRAWS = 400;
// About 200 parameters are compared: |z| > 4.5 has probability about 1e-3 for any of them under the null.
const Z_LIMIT = 4.5;

test('STL agrees with the standard estimator in expectation (VAE ELBO, where STL is unbiased)', () => {
  const model = smallModel();
  const x = tf.tensor2d([[1, 0, 1, 1, 0, 0], [0, 1, 0, 1, 1, 0]]);
  const standard = gradientStats(model, objectiveConfig({ kind: 'vae', k: 2 }), x, DRAWS, 1);
  const stl = gradientStats(model, objectiveConfig({ kind: 'vae', k: 2, estimator: 'stl' }), x, DRAWS, 2);
  assert.ok(maxZ(standard, stl) < Z_LIMIT, `max |z| = ${maxZ(standard, stl)}`);
  assertDifferentOnSameNoise(model, objectiveConfig({ kind: 'vae', k: 2 }), objectiveConfig({ kind: 'vae', k: 2, estimator: 'stl' }), x);
  model.dispose();
});

test('DReG agrees with the standard IWAE estimator in expectation', () => {
  const model = smallModel();
  const x = tf.tensor2d([[1, 0, 1, 1, 0, 0], [0, 1, 0, 1, 1, 0]]);
  for (const objective of [objectiveConfig({ kind: 'iwae', k: 5 }), objectiveConfig({ kind: 'miwae', k: 3, m: 2 })]) {
    const standard = gradientStats(model, objective, x, DRAWS, 3);
    const dreg = gradientStats(model, { ...objective, estimator: 'dreg' }, x, DRAWS, 4);
    assert.ok(maxZ(standard, dreg) < Z_LIMIT, `${objective.kind}: max |z| = ${maxZ(standard, dreg)}`);
    assertDifferentOnSameNoise(model, objective, { ...objective, estimator: 'dreg' }, x);
  }
  model.dispose();
});

test('at the exact posterior, STL and DReG give the inference network exactly zero gradient; the standard estimator does not', () => {
  const model = linearGaussianModel();
  const x = tf.tensor2d(linearGaussianData(3));
  const names = [...model.params.keys()];
  const encoderSize = [...model.params].filter(([n]) => n.startsWith('q.')).reduce((s, [, v]) => s + v.size, 0);
  assert.ok(names.slice(0, 2).every((n) => n.startsWith('q.')), 'encoder parameters come first');
  const sampler = new Sampler(5);
  const norm = (g: Float64Array) => Math.sqrt(g.slice(0, encoderSize).reduce((s, v) => s + v * v, 0));
  const standard = norm(gradient(model, objectiveConfig({ kind: 'iwae', k: 4 }), x, sampler));
  const stl = norm(gradient(model, objectiveConfig({ kind: 'iwae', k: 4, estimator: 'stl' }), x, sampler));
  const dreg = norm(gradient(model, objectiveConfig({ kind: 'iwae', k: 4, estimator: 'dreg' }), x, sampler));
  assert.ok(standard > 1e-2, `standard estimator's encoder gradient ${standard}`);
  assert.ok(stl < 1e-4 * standard && dreg < 1e-4 * standard, `stl ${stl}, dreg ${dreg} vs standard ${standard}`);
  model.dispose();
});
