// How L_K approaches log p(x) as K grows, from every example's ladder of L_K
// (boundLadder.ts), its relative weight variance and its jackknife estimates:
//   L_K ~ L_inf - a/K - b/K^2, fitted by weighted least squares, L_inf the
//   extrapolated log p(x);
//   the delta-method bias -Var(w) / (2 K E[w]^2) at each K;
//   JVI (jackknife.ts) of orders 1 and 2 at one K.
// Every quantity is a mean over examples of a per-example value, so each has
// a standard error across examples, and differences (what the extrapolation
// or the jackknife adds to L_K) have paired standard errors on the same
// examples, much smaller than the test set's spread.
import type { BoundFit, JackknifeEstimate } from '../../shared/diagnostics';
import type { BoundAtK } from '../../shared/evaluation';
import { applyMap, leastSquaresMap } from '../math/leastSquares';
import { meanWithStandardError } from '../math/statistics';
import type { JackknifeBounds } from './jackknife';
import { deltaMethodBias } from './importanceWeights';

/** L_K over the examples at one K of the ladder, with the mean over examples of -Var(w) / (2 K E[w]^2). */
export type LadderPoint = Required<BoundAtK>;

export interface BoundExpansionFit extends BoundFit {
  /** L_inf as the linear combination sum_j c_j L_{ks[j]}: apply it to one example's ladder for that example's extrapolation. */
  combination: number[];
}

/** L_K over the examples for each K: `ladders[i]` holds example i's L_K for `ks`. */
export function ladderPoints(ks: readonly number[], ladders: readonly Float64Array[], relativeVariances: readonly number[]): LadderPoint[] {
  return ks.map((k, j) => {
    const { mean, standardError } = meanWithStandardError(ladders.map((l) => l[j]));
    return { k, bound: mean, standardError, deltaMethodBias: meanWithStandardError(relativeVariances.map((v) => deltaMethodBias(v, k))).mean };
  });
}

/** The fit of L_K ~ L_inf - a/K - b/K^2 to the points with K >= kMin; undefined with fewer than four such points. `holds`: whether kMin is where the expansion can hold. */
export function fitBoundExpansion(ks: readonly number[], ladders: readonly Float64Array[], kMin: number, holds = true): BoundExpansionFit | undefined {
  const used = ks.map((k, j) => ({ k, j })).filter((p) => p.k >= kMin);
  if (used.length < 4) return undefined;
  const columns = (row: Float64Array) => used.map((p) => row[p.j]);
  const errors = used.map((p) => meanWithStandardError(ladders.map((l) => l[p.j])).standardError);
  // With one example (or identical ones) there is no spread to weight by.
  const weights = errors.every((e) => e > 0) ? errors.map((e) => 1 / e ** 2) : errors.map(() => 1);
  const map = leastSquaresMap(used.map((p) => [1, -1 / p.k, -1 / p.k ** 2]), weights);
  const perExample = ladders.map((l) => applyMap(map, columns(l)));
  const lInfinity = meanWithStandardError(perExample.map((c) => c[0]));
  const largest = used.reduce((a, b) => (b.k > a.k ? b : a));
  return {
    ks: used.map((p) => p.k),
    holds,
    combination: map[0],
    lInfinity,
    interval: [lInfinity.mean - 1.96 * lInfinity.standardError, lInfinity.mean + 1.96 * lInfinity.standardError],
    gain: meanWithStandardError(perExample.map((c, i) => c[0] - ladders[i][largest.j])),
    a: meanWithStandardError(perExample.map((c) => c[1])).mean,
    b: meanWithStandardError(perExample.map((c) => c[2])).mean,
  };
}

/** JVI over the examples at K: `bounds[i]` is example i's L_K and `jackknife[i]` its J_1, J_2 at the same K. */
export function jackknifeEstimate(k: number, bounds: readonly number[], jackknife: readonly JackknifeBounds[]): JackknifeEstimate {
  return {
    k,
    bound: meanWithStandardError(bounds),
    order1: meanWithStandardError(jackknife.map((j) => j.order1)),
    order2: meanWithStandardError(jackknife.map((j) => j.order2)),
    order1Gain: meanWithStandardError(jackknife.map((j, i) => j.order1 - bounds[i])),
    order2Gain: meanWithStandardError(jackknife.map((j, i) => j.order2 - bounds[i])),
  };
}
