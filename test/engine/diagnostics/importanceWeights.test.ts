// ESS, the relative variance of the weights and the delta-method bias of L_K,
// against cases where they are known exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf';
import { Sampler } from '../../../src/engine/random/sampler';
import { deltaMethodBias, effectiveSampleFraction, effectiveSampleSize, relativeVariance } from '../../../src/engine/diagnostics/importanceWeights';
import { groupedBound64 } from '../../../src/engine/diagnostics/boundLadder';
import { meanWithStandardError } from '../../../src/engine/math/statistics';

/** rows x n draws of mu + sigma * N(0, 1), from the engine's sampler. */
function logNormalLogWeights(rows: number, n: number, mu: number, sigma: number, seed: number): Float32Array[] {
  const values = tf.tidy(() => new Sampler(seed).normal([rows, n]).mul(sigma).add(mu).dataSync() as Float32Array);
  return Array.from({ length: rows }, (_, r) => values.slice(r * n, (r + 1) * n));
}

test('ESS is N for equal weights, at any scale of the log weights', () => {
  for (const level of [-5000, 0, 700, 5000]) {
    const ess = effectiveSampleSize(new Float64Array(1000).fill(level));
    assert.ok(Math.abs(ess - 1000) < 1e-9, `log w = ${level}: ESS ${ess}`);
  }
});

test('ESS tends to 1 as one weight dominates, and is exact for two levels of weight', () => {
  const n = 1000;
  let previous = Infinity;
  for (const gap of [1, 5, 20, 50]) {
    const lw = new Float64Array(n).fill(-gap);
    lw[0] = 0;
    const c = Math.exp(-gap);
    const exact = (1 + (n - 1) * c) ** 2 / (1 + (n - 1) * c * c);
    const ess = effectiveSampleSize(lw);
    assert.ok(Math.abs(ess - exact) < 1e-9 * exact, `gap ${gap}: ESS ${ess}, exact ${exact}`);
    assert.ok(ess < previous, 'ESS falls as the dominant weight grows');
    previous = ess;
  }
  assert.ok(previous - 1 < 1e-12, `ESS ${previous} with one weight e^50 times each other`);
});

test('Var(w) / E[w]^2 estimated as N sum w~^2 - 1 matches e^(sigma^2) - 1 for log-normal weights', () => {
  for (const [sigma, seed] of [[0.5, 1], [0.75, 2]]) {
    const estimates = logNormalLogWeights(40, 5000, -300, sigma, seed).map(relativeVariance);
    const { mean, standardError } = meanWithStandardError(estimates);
    const exact = Math.expm1(sigma ** 2);
    assert.ok(Math.abs(mean - exact) < 3 * standardError, `sigma ${sigma}: ${mean} ± ${standardError}, exact ${exact}`);
    assert.ok(standardError < 0.05 * exact, `the test must resolve the value: standard error ${standardError}`);
  }
});

test('the delta-method bias -Var(w) / (2K E[w]^2) is the bias of L_K for log-normal weights', () => {
  const sigma = 0.5, mu = -40, k = 5, n = 20_000;
  const rows = logNormalLogWeights(60, n, mu, sigma, 3);
  // log E[w] = mu + sigma^2 / 2; each row's L_K is the mean over its N/K groups.
  const errors = rows.map((r) => groupedBound64(r, k) - (mu + sigma ** 2 / 2));
  const { mean, standardError } = meanWithStandardError(errors);
  const c2 = Math.expm1(sigma ** 2);
  const c3 = Math.exp(3 * sigma ** 2) - 3 * Math.exp(sigma ** 2) + 2; // E[(w/E[w] - 1)^3]
  // The expansion's next term, (c3/3 - 3 c2^2/4) / K^2, is what the formula leaves out.
  const nextTerm = Math.abs(c3 / 3 - 0.75 * c2 ** 2) / k ** 2;
  const formula = deltaMethodBias(c2, k);
  assert.ok(Math.abs(mean - formula) < 3 * standardError + nextTerm, `bias ${mean} ± ${standardError}, formula ${formula}`);
  assert.ok(Math.abs(formula) > 8 * (3 * standardError + nextTerm), 'the bias must be resolved');
  // The same with Var(w)/E[w]^2 estimated from each row's own weights.
  const estimated = meanWithStandardError(rows.map((r) => deltaMethodBias(relativeVariance(r), k)));
  assert.ok(Math.abs(mean - estimated.mean) < 3 * Math.hypot(standardError, estimated.standardError) + nextTerm,
    `bias ${mean} ± ${standardError}, estimated formula ${estimated.mean} ± ${estimated.standardError}`);
});

test('ESS / K in tensor ops (for a training step) equals the float64 ESS of each example', () => {
  const rows = logNormalLogWeights(6, 50, -900, 2, 4);
  const fractions = tf.tidy(() => effectiveSampleFraction(tf.tensor2d(rows.map((r) => Array.from(r))).transpose()).arraySync() as number[]);
  rows.forEach((r, b) => {
    const expected = effectiveSampleSize(r) / 50;
    assert.ok(Math.abs(fractions[b] - expected) < 1e-4 * expected, `example ${b}: ${fractions[b]} vs ${expected}`);
  });
});
