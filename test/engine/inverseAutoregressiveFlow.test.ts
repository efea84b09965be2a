// The IAF posterior: its log-determinant is the log-determinant of the
// Jacobian that automatic differentiation computes, each step is
// autoregressive, and the density it reports at its own draws is normalized.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { Normal } from '../../src/engine/distributions/normal';
import { InverseAutoregressiveFlow } from '../../src/engine/distributions/inverseAutoregressiveFlow';
import { createMade } from '../../src/engine/models/made';
import type { MadeSizes } from '../../src/engine/models/architecture';
import { asIs } from '../../src/engine/models/network';
import type { Params } from '../../src/engine/models/params';
import { meanWithStandardError } from '../../src/engine/math/statistics';

/** A flow with T steps whose weights are all drawn at random (no start near the identity). */
function randomFlow(sizes: MadeSizes, steps: number, seed: number, weightScale = 0.8) {
  const params: Params = new Map();
  const sampler = new Sampler(seed);
  const made = Array.from({ length: steps }, (_, t) => createMade(params, `q.0.iaf.${t}`, sizes, t % 2 === 1, sampler));
  for (const v of params.values()) tf.tidy(() => v.assign(sampler.normal(v.shape).mul(weightScale)));
  const base = new Normal(sampler.normal([1, sizes.latent]), tf.tidy(() => sampler.normal([1, sizes.latent]).mul(0.5)));
  const context = sizes.context > 0 ? sampler.normal([1, sizes.context]) : undefined;
  const flow = new InverseAutoregressiveFlow(base, made.map((m) => m.step(asIs)), context);
  const dispose = () => {
    tf.dispose([...params.values()]);
    tf.dispose([base.loc, base.logScale, ...(context ? [context] : []), ...made.flatMap((m) => m.masks)]);
  };
  return { flow, made, dispose };
}

/** d out_i / d in_j of a map from [1, D] to [1, D], by one reverse pass per output. */
function jacobian(f: (x: Tensor) => Tensor, at: Tensor): number[][] {
  const d = at.shape[1] as number;
  return Array.from({ length: d }, (_, i) => tf.tidy(() => Array.from(tf.grad((x: Tensor) => f(x).slice([0, i], [1, 1]).sum())(at).dataSync())));
}

/** log |det A| in float64 by Gaussian elimination with partial pivoting. */
function logAbsDet(a: number[][]): number {
  const m = a.map((row) => [...row]);
  let log = 0;
  for (let c = 0; c < m.length; c++) {
    let p = c;
    for (let r = c + 1; r < m.length; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    log += Math.log(Math.abs(m[c][c]));
    for (let r = c + 1; r < m.length; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k < m.length; k++) m[r][k] -= f * m[c][k];
    }
  }
  return log;
}

for (const sizes of [{ latent: 3, hidden: 7, context: 2 }, { latent: 4, hidden: 5, context: 0 }, { latent: 1, hidden: 3, context: 2 }]) {
  test(`IAF log-determinant = log |det J| by autodiff (D = ${sizes.latent}, ${sizes.context ? 'with' : 'no'} context, 3 steps)`, () => {
    const { flow, dispose } = randomFlow(sizes, 3, sizes.latent * 10 + sizes.context);
    const sampler = new Sampler(5);
    for (let trial = 0; trial < 4; trial++) {
      const epsilon = sampler.normal([1, sizes.latent]);
      const logDet = tf.tidy(() => flow.forward(epsilon).logDet.dataSync()[0]);
      const exact = logAbsDet(jacobian((e) => flow.forward(e).z, epsilon));
      assert.ok(Math.abs(logDet - exact) < 1e-4 * Math.max(1, Math.abs(exact)), `trial ${trial}: flow ${logDet}, autodiff ${exact}`);
      epsilon.dispose();
    }
    dispose();
  });
}

for (const reversed of [false, true]) {
  test(`a MADE step is autoregressive: output i depends only on the inputs before it (${reversed ? 'reversed' : 'natural'} order)`, () => {
    const params: Params = new Map();
    const sampler = new Sampler(3);
    const made = createMade(params, 'made', { latent: 5, hidden: 12, context: 2 }, reversed, sampler);
    for (const v of params.values()) tf.tidy(() => v.assign(sampler.normal(v.shape)));
    const context = sampler.normal([1, 2]);
    const z = sampler.normal([1, 5]);
    const step = made.step(asIs);
    for (const output of ['shift', 'gate'] as const) {
      const j = jacobian((x) => step(x, context)[output], z);
      for (let i = 0; i < 5; i++) {
        for (let k = 0; k < 5; k++) {
          const before = reversed ? k > i : k < i;
          if (!before) assert.equal(j[i][k], 0, `${output}[${i}] depends on z[${k}]`);
        }
      }
      // It is not trivially constant: some dependence on earlier inputs exists.
      assert.ok(j.some((row) => row.some((v) => v !== 0)), `${output} ignores z entirely`);
    }
    tf.dispose([...params.values()]);
    tf.dispose([context, z, ...made.masks]);
  });
}

test('the IAF density at its own draws is normalized: E_q[p(z) / q(z)] = 1 for a normalized p', () => {
  const { flow, dispose } = randomFlow({ latent: 2, hidden: 8, context: 3 }, 4, 77, 0.4);
  // p is q's Gaussian fit (from a pilot sample) shrunk to half the spread in every direction, keeping p/q bounded.
  const pilot = tf.tidy(() => flow.sample(new Sampler(1), 20_000).reshape([20_000, 2]).arraySync() as number[][]);
  const p = shrunkGaussianFit(pilot, 0.5);
  const n = 200_000;
  const { value, logProb } = flow.sampleWithLogProb(new Sampler(2), n);
  const [z, logQ] = [value.dataSync(), logProb.dataSync()];
  const estimate = meanWithStandardError(Array.from(logQ, (lq, i) => Math.exp(p(z[2 * i], z[2 * i + 1]) - lq)));
  assert.ok(Math.abs(estimate.mean - 1) < 4 * estimate.standardError, `E_q[p/q] = ${estimate.mean} ± ${estimate.standardError}`);
  // A density off by a constant c would give exp(-c): 0.05 nats is well outside the tolerance.
  assert.ok(1 - Math.exp(-0.05) > 4 * estimate.standardError, `standard error ${estimate.standardError} too large for a meaningful test`);
  tf.dispose([value, logProb]);
  dispose();
});

/** log N(.; mean, shrink^2 Cov) of 2-D points, in float64. */
function shrunkGaussianFit(points: number[][], shrink: number): (a: number, b: number) => number {
  const n = points.length;
  const mean = [0, 1].map((d) => points.reduce((s, p) => s + p[d], 0) / n);
  const cov = [0, 1].map((i) => [0, 1].map((j) => (points.reduce((s, p) => s + (p[i] - mean[i]) * (p[j] - mean[j]), 0) / (n - 1)) * shrink ** 2));
  const det = cov[0][0] * cov[1][1] - cov[0][1] ** 2;
  const inv = [[cov[1][1] / det, -cov[0][1] / det], [-cov[1][0] / det, cov[0][0] / det]];
  return (a, b) => {
    const [u, v] = [a - mean[0], b - mean[1]];
    return -0.5 * (u * u * inv[0][0] + 2 * u * v * inv[0][1] + v * v * inv[1][1]) - Math.log(2 * Math.PI) - 0.5 * Math.log(det);
  };
}

test('the IAF refuses the density of a value it did not draw, and its draws are reparameterized', () => {
  const { flow, dispose } = randomFlow({ latent: 2, hidden: 4, context: 0 }, 2, 8);
  assert.throws(() => flow.logProb(), /known only at its own draws/);
  const grad = tf.grad((loc: Tensor) => new InverseAutoregressiveFlow(new Normal(loc, flow.base.logScale), flow.steps).sample(new Sampler(1), 3).sum())(flow.base.loc);
  assert.ok(grad.dataSync().every((g) => Number.isFinite(g) && g !== 0));
  grad.dispose();
  dispose();
});
