// L_K for a ladder of K from one example's N log weights: for each K the mean
// of log (1/K) sum_k w_k over the floor(N/K) disjoint groups of K samples, an
// unbiased estimate of E[L_K] from the same draws (the remainder is unused),
// with a much smaller variance than one fresh draw of K. Float64 throughout,
// so that what is computed from these estimates later (the extrapolation in
// 1/K, bias corrections) does not see float32 rounding.
import { logSumExp64 } from '../math/statistics';

/** The K of the ladder: 1, 2, 5, 10, ... up to 5000. */
export const DEFAULT_KS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** The ladder of an evaluation with N log weights per example: the default Ks below N, then N itself. */
export function ladderFor(n: number): number[] {
  return [...DEFAULT_KS.filter((k) => k < n), n];
}

/** [ks.length] L_K per K of `ks` (each 1 <= K <= N). */
export function ladderBounds(logWeights: ArrayLike<number>, ks: readonly number[]): Float64Array {
  return Float64Array.from(ks, (k) => groupedBound64(logWeights, k));
}

/** The mean over the floor(N/K) groups of K of log mean w. */
export function groupedBound64(logWeights: ArrayLike<number>, k: number): number {
  const groups = Math.floor(logWeights.length / k);
  if (!Number.isInteger(k) || k < 1 || groups < 1) throw new Error(`cannot form groups of K = ${k} from ${logWeights.length} log weights`);
  let sum = 0;
  for (let g = 0; g < groups; g++) sum += logSumExp64(logWeights, g * k, (g + 1) * k);
  return sum / groups - Math.log(k);
}
