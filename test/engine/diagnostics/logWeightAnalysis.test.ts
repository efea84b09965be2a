// What the analysis of an evaluation's log weights summarizes: the plan it
// follows at small N, and the histograms the charts draw, which count every
// example once in bins that say where they lie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisPlan, analyzeExample, analyzeLogWeights, logWeightBounds, logWeightReport } from '../../../src/engine/diagnostics/logWeightAnalysis';
import { binCounts } from '../../../src/engine/math/statistics';
import { Sampler } from '../../../src/engine/random/sampler';
import { tf } from '../../../src/engine/tf';

/** n log weights N(0, sigma^2): log-normal weights. */
const logNormal = (n: number, sigma: number, seed: number): Float32Array => tf.tidy(() => new Sampler(seed).normal([n]).mul(sigma).dataSync() as Float32Array);

test('bins count each value once, values beyond the ends in the end bins', () => {
  assert.deepEqual(binCounts([-5, 0, 0.5, 1, 1.5, 2, 9], [0, 1, 2]), [3, 4]);
  assert.deepEqual(binCounts([0.25], [0, 0.5, 1]), [1, 0]);
});

test('the plan: the jackknife at min(K, N), none below N = 3', () => {
  assert.deepEqual(analysisPlan([1, 2, 5], 5), { ks: [1, 2, 5], jackknifeK: 5 });
  assert.deepEqual(analysisPlan([1, 2, 5, 10, 20, 50, 100, 200], 200), { ks: [1, 2, 5, 10, 20, 50, 100, 200], jackknifeK: 100 });
  assert.deepEqual(analysisPlan([1, 2], 2), { ks: [1, 2] });
  const report = logWeightReport(2, analysisPlan([1, 2], 2), [analyzeExample([0, 1], analysisPlan([1, 2], 2))]);
  assert.equal(report.jackknife, undefined);
  assert.equal(report.fit, undefined);
});

test('the ESS / N histogram: log-spaced from 1/N to 1, equal weights in the last bin, one dominant weight in the first', () => {
  const n = 1000;
  const plan = analysisPlan([1, 10, 100, 1000], n);
  const equal = analyzeExample(new Float64Array(n), plan);
  const dominant = analyzeExample(Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : -60)), plan);
  const spread = Array.from({ length: 40 }, (_, i) => analyzeExample(logNormal(n, 0.8, i), plan));
  const { histogram } = logWeightReport(n, plan, [equal, dominant, ...spread]).weights.essFraction;
  const { edges, counts } = histogram;
  assert.ok(Math.abs(edges[0] - 1 / n) < 1e-12 && edges.at(-1) === 1, `edges ${edges[0]} .. ${edges.at(-1)}`);
  const ratios = edges.slice(1).map((e, i) => e / edges[i]);
  assert.ok(ratios.every((r) => Math.abs(r - ratios[0]) < 1e-9 * r), 'equal ratios: log-spaced');
  assert.equal(ratios.length, 15, 'five bins a decade over three decades');
  assert.equal(counts.reduce((a, b) => a + b, 0), 42, 'every example counted once');
  assert.ok(counts.at(-1)! >= 1 && counts[0] >= 1);
  // Each log-normal example's ESS / N, about exp(-sigma^2) = 0.53, lands in the bin holding that or a neighbour.
  const bin = edges.findIndex((e, i) => e <= Math.exp(-0.64) && Math.exp(-0.64) < edges[i + 1]);
  assert.ok(counts[bin] + counts[bin - 1] + counts[bin + 1] >= 40, `counts ${counts} around bin ${bin}`);
});

test('the k-hat histogram: bins of 0.05 over at least [0, 1], counting the estimable examples', () => {
  const n = 2000;
  const plan = analysisPlan([1, 10, 100], n);
  // Log-normal weights with sigma 1 (k-hat about 0.3) and 2.5 (above 0.7), and equal weights (not estimable).
  const examples = [1, 1, 2.5, 2.5, 2.5].map((sigma, i) => analyzeExample(logNormal(n, sigma, 100 + i), plan));
  examples.push(analyzeExample(new Float64Array(n), plan));
  const k = logWeightReport(n, plan, examples).weights.paretoK;
  assert.equal(k.notEstimable, 1);
  const { edges, counts } = k.histogram!;
  assert.ok(edges[0] <= 0 && edges.at(-1)! >= 1, `edges ${edges[0]} .. ${edges.at(-1)}`);
  edges.slice(1).forEach((e, i) => assert.ok(Math.abs(e - edges[i] - 0.05) < 1e-9, `bin ${i} is 0.05 wide`));
  assert.equal(counts.reduce((a, b) => a + b, 0), 5);
  const above = counts.reduce((s, c, i) => s + (edges[i] >= 0.7 ? c : 0), 0);
  assert.equal(above, k.above07, 'the bins above 0.7 hold the examples counted above 0.7');
});

test('short of four K at or above Var(w)/E[w]^2 the largest four K show the trend, marked as not an estimate; none when a smallest K is asked for', () => {
  const n = 1000;
  const plan = analysisPlan([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], n);
  // Log-normal weights with sigma 3: Var(w)/E[w]^2 = e^9 - 1, estimated from 1,000 draws far above the fourth largest K.
  const heavy = Array.from({ length: 20 }, (_, i) => analyzeExample(logNormal(n, 3, 200 + i), plan));
  const report = logWeightReport(n, plan, heavy);
  assert.ok(report.weights.relativeVariance > 100, `Var(w)/E[w]^2 = ${report.weights.relativeVariance} must exceed K = 100 for this test`);
  assert.ok(report.fit, 'the trend is fitted');
  assert.equal(report.fit.holds, false);
  assert.deepEqual(report.fit.ks, [100, 200, 500, 1000]);
  assert.equal(logWeightReport(n, plan, heavy, 200).fit, undefined, 'K >= 200 asked for: three K, no fit and no trend in its place');

  // Log-normal weights with sigma 0.5: Var(w)/E[w]^2 = e^0.25 - 1 < 1, so every K of the ladder is in the expansion's range.
  const light = Array.from({ length: 20 }, (_, i) => analyzeExample(logNormal(n, 0.5, 300 + i), plan));
  const fit = logWeightReport(n, plan, light).fit;
  assert.equal(fit?.holds, true);
  assert.deepEqual(fit?.ks, plan.ks);
});

test('the per-epoch bounds are the full analysis\'s L_N, number for number, and refuse a NaN log weight by its position', async () => {
  const lw = tf.tidy(() => new Sampler(4).normal([300, 7]).mul(3).sub(90)); // [N, B]
  const full = await analyzeLogWeights(lw, { ks: [1, 10, 300] });
  assert.deepEqual(await logWeightBounds(lw), full.map((e) => e.ladder[2]));
  const broken = tf.tidy(() => tf.concat([lw.slice([0, 0], [299, 7]), tf.fill([1, 7], NaN)]));
  await assert.rejects(logWeightBounds(broken), /log weight 299 of 300 is NaN/);
  tf.dispose([lw, broken]);
});
