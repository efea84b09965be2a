// L_K's asymptotics in K on the linear-Gaussian model, where log p(x) is
// exact: the ladder of group averages, the extrapolated L_inf and the
// jackknife estimates, which must land closer to log p(x) than L_K itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf';
import { Sampler } from '../../../src/engine/random/sampler';
import { chunkedLogWeights } from '../../../src/engine/evaluate/logLikelihood';
import { groupedBound } from '../../../src/engine/objectives/bounds';
import { ladderBounds } from '../../../src/engine/diagnostics/boundLadder';
import { groupJackknife } from '../../../src/engine/diagnostics/jackknife';
import { analyzeLogWeights, logWeightReport, type AnalysisPlan } from '../../../src/engine/diagnostics/logWeightAnalysis';
import { fitBoundExpansion } from '../../../src/engine/diagnostics/boundAsymptotics';
import { meanWithStandardError, type Estimate } from '../../../src/engine/math/statistics';
import { exactLogMarginal, linearGaussianData, linearGaussianModel } from '../../helpers/linearGaussian';

const EXAMPLES = 2000;
const N = 200;
const PLAN: AnalysisPlan = { ks: [1, 2, 5, 10, 20, 50, 100, 200], jackknifeK: 50 };

// q shifted by about two posterior standard deviations and 1.6 times too wide:
// the weights are bounded (finite variance), and L_200 is still visibly low.
const points = linearGaussianData(EXAMPLES, 21);
const exact = points.map(exactLogMarginal);

async function drawAnalysis() {
  const model = linearGaussianModel(0.6, 1.6);
  const x = tf.tensor2d(points);
  const lw = chunkedLogWeights(model, x, N, new Sampler(4)); // [N, B]
  const examples = await analyzeLogWeights(lw, PLAN);
  const tensorLadder = tf.tidy(() => PLAN.ks.map((k) => groupedBound(lw, k).arraySync() as number[]));
  tf.dispose([lw, x]);
  model.dispose();
  return { examples, tensorLadder, report: logWeightReport(N, PLAN, examples) };
}
const analysis = drawAnalysis();

/** Per-example errors against the exact log p(x). */
const errors = (values: readonly number[]): Estimate => meanWithStandardError(values.map((v, i) => v - exact[i]));

/**
 * |estimate - log p| < |L_K - log p| as two one-sided tests on the same examples:
 * the estimate lies above L_K (L_K is a lower bound that is low here), and
 * below the mirror image of L_K about log p.
 */
function assertCloser(name: string, estimate: readonly number[], bound: readonly number[]): void {
  const gain = meanWithStandardError(estimate.map((v, i) => v - bound[i]));
  const mirror = meanWithStandardError(estimate.map((v, i) => v - exact[i] + (bound[i] - exact[i])));
  const boundError = errors(bound);
  assert.ok(boundError.mean < -5 * boundError.standardError, `L_K must be resolvably below log p(x): ${boundError.mean} ± ${boundError.standardError}`);
  assert.ok(gain.mean > 3 * gain.standardError, `${name} - L_K = ${gain.mean} ± ${gain.standardError}`);
  assert.ok(mirror.mean < -3 * mirror.standardError, `${name} overshoots log p(x) by more than L_K falls short: ${mirror.mean} ± ${mirror.standardError}`);
}

test('the float64 ladder equals the tensor groupedBound on the same log weights', async () => {
  const { examples, tensorLadder } = await analysis;
  PLAN.ks.forEach((k, j) => examples.forEach((e, i) => assert.ok(Math.abs(e.ladder[j] - tensorLadder[j][i]) < 1e-4 * (1 + Math.abs(e.ladder[j])), `K=${k} example ${i}`)));
});

test('the fitted L_inf is closer to log p(x) than L_K at the largest K, and its interval covers log p(x)', async () => {
  const { examples, report } = await analysis;
  const fit = report.fit;
  assert.ok(fit, 'the fit must be made on this ladder');
  assert.equal(fit.holds, true, 'bounded weights: the fit\'s K reach Var(w)/E[w]^2, so L_inf is an estimate');
  assert.ok(fit.ks[0] >= report.weights.relativeVariance && fit.ks.length >= 4, `fit K ${fit.ks} from kMin ${report.kMin}`);
  const start = PLAN.ks.indexOf(fit.ks[0]);
  const extrapolated = examples.map((e) => fit.combination.reduce((s, c, j) => s + c * e.ladder[start + j], 0));
  assertCloser('L_inf', extrapolated, examples.map((e) => e.ladder[PLAN.ks.length - 1]));
  const err = errors(extrapolated);
  assert.ok(Math.abs(err.mean) < 3 * err.standardError, `L_inf - log p(x) = ${err.mean} ± ${err.standardError}`);
  const meanExact = exact.reduce((a, b) => a + b, 0) / exact.length;
  assert.ok(fit.interval[0] < meanExact && meanExact < fit.interval[1], `interval ${fit.interval} misses ${meanExact}`);
  assert.ok(Math.abs(fit.lInfinity.mean - meanWithStandardError(extrapolated).mean) < 1e-9, 'L_inf is the mean of the per-example extrapolations');
  assert.ok(fit.a > 0, `a = ${fit.a}: L_K must approach from below`);
});

test('JVI of orders 1 and 2 at K = 50 are closer to log p(x) than L_50', async () => {
  const { examples, report } = await analysis;
  const jackknife = examples.map((e) => e.jackknife!);
  const bound = jackknife.map((j) => j.bound);
  assertCloser('J_1', jackknife.map((j) => j.order1), bound);
  assertCloser('J_2', jackknife.map((j) => j.order2), bound);
  assert.ok(Math.abs(report.jackknife!.order1Gain.mean - meanWithStandardError(jackknife.map((j) => j.order1 - j.bound)).mean) < 1e-9);
});

test('the jackknife equals its definition: weighted averages of L over all subsets of K - 1 and K - 2 samples', () => {
  const lme = (v: number[]) => { const m = Math.max(...v); return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0) / v.length); };
  const subsets = (a: number[], size: number): number[][] => (size === 0 ? [[]] : a.flatMap((v, i) => subsets(a.slice(i + 1), size - 1).map((s) => [v, ...s])));
  const averageBound = (a: number[], size: number) => { const all = subsets(a, size); return all.reduce((s, g) => s + lme(g), 0) / all.length; };
  const sampled = tf.tidy(() => new Sampler(9).normal([7]).mul(4).sub(300).dataSync() as Float32Array);
  const a = Array.from(sampled);
  const k = a.length;
  const order1 = k * lme(a) - (k - 1) * averageBound(a, k - 1);
  const order2 = (k ** 2 / 2) * lme(a) - (k - 1) ** 2 * averageBound(a, k - 1) + ((k - 2) ** 2 / 2) * averageBound(a, k - 2);
  const j = groupJackknife(Float64Array.from(a));
  assert.ok(Math.abs(j.order1 - order1) < 1e-9 && Math.abs(j.order2 - order2) < 1e-9, `${j.order1} vs ${order1}, ${j.order2} vs ${order2}`);
});

test('no fit when fewer than four ladder points reach K >= kMin', () => {
  const ladders = [ladderBounds([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 5, 10])];
  assert.equal(fitBoundExpansion([1, 2, 5, 10], ladders, 2), undefined);
  assert.ok(fitBoundExpansion([1, 2, 5, 10], ladders, 1));
});

test('the weight diagnostics of the same draws: ESS / N and k-hat over the examples', async () => {
  const { examples, report } = await analysis;
  const w = report.weights;
  assert.equal(report.examples, EXAMPLES);
  assert.ok(w.essFraction.p5 <= w.essFraction.median && w.essFraction.median <= w.essFraction.p95 && w.essFraction.p95 <= 1);
  assert.ok(Math.abs(w.relativeVariance - (meanWithStandardError(examples.map((e) => N / e.ess)).mean - 1)) < 1e-9);
  assert.equal(w.paretoK.above07, examples.filter((e) => e.paretoK > 0.7).length);
  assert.equal(w.paretoK.notEstimable, 0);
});
