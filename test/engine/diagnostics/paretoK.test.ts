// Pareto k-hat recovers the shape of generalized-Pareto weights, and says
// when there is no tail to fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf';
import { Sampler } from '../../../src/engine/random/sampler';
import { generalizedParetoFit, paretoK, paretoTailLength } from '../../../src/engine/diagnostics/paretoK';
import { meanWithStandardError } from '../../../src/engine/math/statistics';

/** n draws of a generalized Pareto distribution with shape xi and scale sigma (inverse CDF of engine uniforms). */
function generalizedPareto(n: number, xi: number, sigma: number, seed: number): Float64Array {
  const u = tf.tidy(() => new Sampler(seed).uniform([n], 1e-7, 1).dataSync() as Float32Array);
  return Float64Array.from(u, (v) => (sigma * (Math.pow(v, -xi) - 1)) / xi);
}

const SHAPES = [-0.3, 0.2, 0.5, 0.8, 1.2];
const SEEDS = 20;

/** The estimator's target: xi shrunk by the weak prior, 10 pseudo-observations at 0.5. */
const shrunk = (xi: number, n: number) => (n * xi + 5) / (n + 10);

test('the generalized-Pareto fit recovers the shape xi (several xi, 20 seeds each)', () => {
  for (const xi of SHAPES) {
    const n = 1000;
    const estimates = Array.from({ length: SEEDS }, (_, s) => generalizedParetoFit([...generalizedPareto(n, xi, 2, 100 + s)].sort((a, b) => a - b)).k);
    const { mean, standardError } = meanWithStandardError(estimates);
    assert.ok(Math.abs(mean - shrunk(xi, n)) < 3 * standardError, `xi ${xi}: k-hat ${mean} ± ${standardError}`);
    assert.ok(standardError < 0.03, `xi ${xi}: standard error ${standardError} too large to test`);
  }
});

test("PSIS k-hat of N weights recovers the shape of their tail (several xi, 20 seeds each)", () => {
  const n = 5000;
  const m = paretoTailLength(n);
  assert.equal(m, Math.ceil(3 * Math.sqrt(n)));
  for (const xi of SHAPES) {
    // Weights 1 + X: exceedances of a generalized Pareto over any threshold have the same shape.
    const estimates = Array.from({ length: SEEDS }, (_, s) => paretoK(Float64Array.from(generalizedPareto(n, xi, 1, 200 + s), (x) => Math.log1p(x) - 700)));
    const { mean, standardError } = meanWithStandardError(estimates);
    assert.ok(Math.abs(mean - shrunk(xi, m)) < 3 * standardError, `xi ${xi}: k-hat ${mean} ± ${standardError}`);
  }
});

test('k-hat separates light from heavy tails', () => {
  const light = paretoK(Float64Array.from(generalizedPareto(5000, -0.5, 1, 5), Math.log1p));
  const heavy = paretoK(Float64Array.from(generalizedPareto(5000, 1.5, 1, 5), Math.log1p));
  assert.ok(light < 0 && heavy > 1, `light ${light}, heavy ${heavy}`);
});

test('k-hat is not estimable for equal weights or too few of them, and is finite for log weights spread over thousands of nats', () => {
  assert.ok(Number.isNaN(paretoK(new Float64Array(5000).fill(-3))));
  assert.ok(Number.isNaN(paretoK(Float64Array.from({ length: 4 }, (_, i) => i))));
  const spread = Float64Array.from({ length: 5000 }, (_, i) => -3000 + (6000 * i) / 4999);
  assert.ok(Number.isFinite(paretoK(spread)), `k-hat ${paretoK(spread)}`);
});
