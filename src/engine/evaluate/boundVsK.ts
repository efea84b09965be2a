// L_K as a function of K, from the N log weights per example already drawn for
// -L_N: for each K of the ladder, the mean of L_K over the floor(N/K) disjoint
// groups of K, an unbiased estimate of E[L_K] from the same samples with a much
// smaller variance than one fresh draw of K. Per example, so that each K gets
// its standard error across examples, and so that what is computed from these
// group estimates later (an extrapolation in 1/K, bias corrections) sees them.
import { tf, type Tensor } from '../tf';
import { groupedBound } from '../objectives/bounds';

/** The K of the ladder: 1, 2, 5, 10, ... up to 5000. */
export const DEFAULT_KS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** The ladder of an evaluation with N log weights per example: the default Ks below N, then N itself. */
export function ladderFor(n: number): number[] {
  return [...DEFAULT_KS.filter((k) => k < n), n];
}

/** lw [N, B] -> [ks.length, B]: row i is the mean L_{ks[i]} of each example over its disjoint groups. */
export function boundLadder(lw: Tensor, ks: readonly number[]): Tensor {
  const n = lw.shape[0];
  return tf.tidy(() => tf.stack(ks.map((k) => {
    if (k > n) throw new Error(`L_${k} needs at least ${k} log weights per example, there are ${n}`);
    return groupedBound(lw.slice(0, Math.floor(n / k) * k), k);
  })));
}
