// Active units count Cov_x(E_q[z_u | x]) > 0.01. Where E_q[z_u | x] has no
// closed form (the IAF posterior, layers above the first) it is an average of
// S = 100 draws, and the covariance of those averages exceeds the covariance
// of the means by E_x[Var_q(z_u | x)] / S, which for a unit of posterior
// variance 1 is the threshold itself: the estimate takes that noise off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { ACTIVE_THRESHOLD, activeUnits, posteriorMeans, posteriorMeanVariances } from '../../src/engine/evaluate/activeUnits';
import { smallConfig } from '../graph/helpers';

const N = 300;
const S = 100;
const LATENT = 3;

/** An IAF model (one layer, 12 inputs, no context) whose encoder's last layer is set: q's base is N(loc(x), scale^2) with loc(x) = x @ kernel. */
function flowModel(locKernel: (i: number, u: number) => number, scale: number, identityFlow: boolean): LatentVariableModel {
  const model = new LatentVariableModel(smallConfig({ layers: [{ hidden: [], latent: LATENT }], posterior: 'iaf', flow: { steps: 2, hidden: 6, context: 0 } }), new Sampler(1));
  const set = (name: string, values: number[] | number[][]) => tf.tidy(() => {
    const v = model.params.get(name) as tf.Variable;
    v.assign(tf.tensor(values as number[][], v.shape));
  });
  set('q.0.0.kernel', Array.from({ length: 12 }, (_, i) => [...Array.from({ length: LATENT }, (_, u) => locKernel(i, u)), 0, 0, 0]));
  set('q.0.0.bias', [0, 0, 0, ...Array(LATENT).fill(Math.log(scale))]);
  if (identityFlow) {
    // sigmoid(40) is 1 in float32 and the shift is 0: every step maps z to itself, so E_q[z | x] = loc(x).
    for (const t of [0, 1]) {
      for (const part of ['shift.kernel', 'gate.kernel']) set(`q.0.iaf.${t}.${part}`, Array.from({ length: 6 }, () => Array(LATENT).fill(0)));
      set(`q.0.iaf.${t}.shift.bias`, Array(LATENT).fill(0));
      set(`q.0.iaf.${t}.gate.bias`, Array(LATENT).fill(40));
    }
  }
  return model;
}

const data = (): Tensor => tf.tidy(() => new Sampler(2).uniform([N, 12]).less(0.5).toFloat());

/** Cov_x of the Monte Carlo averages themselves, without the correction. */
function rawVariances(model: LatentVariableModel, x: Tensor, seed: number): Float32Array {
  return tf.tidy(() => {
    const { means } = posteriorMeans(model, x, new Sampler(seed));
    return tf.moments(means[0], 0).variance.dataSync() as Float32Array;
  });
}

test('a flow posterior that ignores x has no active units, though the covariance of 100-draw averages alone would count every one', async () => {
  const model = flowModel(() => 0, 2, false);
  const x = data();
  try {
    const raw = rawVariances(model, x, 3);
    assert.ok(raw.every((v) => v > ACTIVE_THRESHOLD), `uncorrected: ${raw}`);
    const before = tf.memory().numTensors;
    const variances = await posteriorMeanVariances(model, x, new Sampler(3), 128);
    assert.equal(tf.memory().numTensors, before, 'every tensor of the estimate is disposed');
    // E_q[z | x] is the same for every x: the corrected estimate is 0 up to its standard error, about raw * sqrt(2 / N).
    variances[0].forEach((v, u) => assert.ok(v < 4 * raw[u] * Math.sqrt(2 / N), `unit ${u}: ${v}`));
    assert.equal(activeUnits(variances[0]), 0);
  } finally {
    tf.dispose(x);
    model.dispose();
  }
});

test('with an identity flow the estimate is Cov_x of the base means, within its standard error', async () => {
  const scale = 1.5;
  // Units of different activity: loc_u(x) = c_u * (x_u - x_{u+3}), so Cov_x(loc_u) = c_u^2 / 2.
  const c = [0, 0.1, 0.6];
  const model = flowModel((i, u) => (i === u ? c[u] : i === u + 3 ? -c[u] : 0), scale, true);
  const x = data();
  try {
    const exact = tf.tidy(() => tf.moments(model.encode(x).mean(), 0).variance.dataSync() as Float32Array);
    const variances = await posteriorMeanVariances(model, x, new Sampler(4));
    const noise = scale ** 2 / S;
    exact.forEach((e, u) => {
      // Cov_x(m + e) - Cov_x(m) - the noise estimate: 2 Cov(m, e) and the noise's own error.
      const se = 2 * Math.sqrt(e * noise / N) + noise * Math.sqrt(2 / N);
      assert.ok(Math.abs(variances[0][u] - e) < 4 * se, `unit ${u}: estimated ${variances[0][u]}, exact ${e} (s.e. ${se})`);
    });
    assert.equal(activeUnits(variances[0]), 1, `variances ${variances[0]}`);
  } finally {
    tf.dispose(x);
    model.dispose();
  }
});
