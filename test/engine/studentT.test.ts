// The Student-t posterior: a normalized density, logProb that agrees with the
// closed forms at nu = 1 (Cauchy) and nu = 2, draws from the right
// distribution, and a draw reparameterized in location and scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { StudentT } from '../../src/engine/distributions/studentT';
import { logGamma } from '../../src/engine/math/logGamma';
import { integrate, ksCritical, ksDistance } from '../helpers/monteCarlo';

const LOC = [0.3, -1.2];
const LOG_SCALE = [Math.log(0.7), Math.log(1.8)];

function studentT(nu: number): StudentT {
  return new StudentT(tf.tensor1d(LOC), tf.tensor1d(LOG_SCALE), nu);
}

test('log Gamma matches known values', () => {
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14);
  assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-12);
  assert.ok(Math.abs(logGamma(0.1) - 2.252712651734206) < 1e-12);
});

for (const nu of [1, 3, 30]) {
  test(`Student-t (nu = ${nu}) integrates to 1 over R^2`, () => {
    const q = studentT(nu);
    const { mean, standardError: se } = integrate((z) => q.logProb(z), 2, 200_000, 3, nu);
    assert.ok(Math.abs(mean - 1) < 4 * se, `integral ${mean} ± ${se}`);
    assert.ok(se < 0.02, `standard error ${se} too large for a meaningful test`);
  });
}

// Independent closed forms of the standardized density: Cauchy 1/(π(1+u²)); nu = 2: (2+u²)^(-3/2).
const closedForms: Record<number, { logDensity: (u: number) => number; cdf: (u: number) => number }> = {
  1: { logDensity: (u) => -Math.log(Math.PI * (1 + u * u)), cdf: (u) => 0.5 + Math.atan(u) / Math.PI },
  2: { logDensity: (u) => -1.5 * Math.log(2 + u * u), cdf: (u) => 0.5 + u / (2 * Math.sqrt(2 + u * u)) },
};

for (const nu of [1, 2]) {
  test(`Student-t (nu = ${nu}): logProb of its own draws matches the closed form, and the draws follow its CDF`, () => {
    const q = studentT(nu);
    const n = 20_000;
    const draws = q.sample(new Sampler(40 + nu), n);
    const logProb = q.logProb(draws).dataSync();
    const z = draws.arraySync() as number[][];
    const { logDensity, cdf } = closedForms[nu];
    let worst = 0;
    z.forEach((row, i) => {
      const expected = row.reduce((s, v, d) => s + logDensity((v - LOC[d]) / Math.exp(LOG_SCALE[d])) - LOG_SCALE[d], 0);
      worst = Math.max(worst, Math.abs(logProb[i] - expected) / Math.max(1, Math.abs(expected)));
    });
    assert.ok(worst < 1e-5, `relative error ${worst}`);
    for (let d = 0; d < 2; d++) {
      const ks = ksDistance(z.map((row) => (row[d] - LOC[d]) / Math.exp(LOG_SCALE[d])), cdf);
      assert.ok(ks < ksCritical(n), `dimension ${d}: KS distance ${ks}, critical ${ksCritical(n)}`);
    }
    tf.dispose([draws, q.loc, q.logScale]);
  });
}

test('Student-t draws are reparameterized: d z / d loc = 1 and d z / d log scale = z - loc', () => {
  const loc = tf.tensor1d(LOC);
  const logScale = tf.tensor1d(LOG_SCALE);
  const sampler = () => new Sampler(9);
  const [dLoc, dLogScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => new StudentT(l, s, 4).sample(sampler(), 50).sum())([loc, logScale]);
  const z = new StudentT(loc, logScale, 4).sample(sampler(), 50);
  const expected = z.sub(loc).sum(0);
  assert.deepEqual(Array.from(dLoc.dataSync()), [50, 50]);
  const [got, want] = [dLogScale.dataSync(), expected.dataSync()];
  want.forEach((w, d) => assert.ok(Math.abs(got[d] - w) <= 1e-4 * Math.max(1, Math.abs(w)), `dimension ${d}: ${got[d]} vs ${w}`));
  tf.dispose([loc, logScale, dLoc, dLogScale, z, expected]);
});
