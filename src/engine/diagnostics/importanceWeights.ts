// How evenly one example's N importance weights w = exp(log w) share the
// mass, from the log weights and stable for any finite values.
import type { Tensor } from '../tf';
import { logSumExp } from '../math/logMeanExp';
import { logSumExp64 } from '../math/statistics';

/** ESS = (sum w)^2 / sum w^2 = 1 / sum w~^2 (w~ the normalized weights): N for equal weights, 1 when one weight dominates. */
export function effectiveSampleSize(logWeights: ArrayLike<number>): number {
  const doubled = Float64Array.from(logWeights, (v) => 2 * v);
  return Math.exp(2 * logSumExp64(logWeights) - logSumExp64(doubled));
}

/** Var(w) / E[w]^2 estimated from the same N weights as N sum w~^2 - 1 = N / ESS - 1. */
export function relativeVariance(logWeights: ArrayLike<number>): number {
  return relativeVarianceOfEss(logWeights.length, effectiveSampleSize(logWeights));
}

/** The same from N and an ESS already computed. */
export function relativeVarianceOfEss(n: number, ess: number): number {
  return n / ess - 1;
}

/** The delta-method bias of L_K, E[L_K] - log p(x) ~ -Var(w) / (2 K E[w]^2). */
export function deltaMethodBias(relVariance: number, k: number): number {
  return -relVariance / (2 * k);
}

/** ESS / K of each example from lw [K, B] -> [B], in tensor ops only, so that a training step can report it. */
export function effectiveSampleFraction(lw: Tensor): Tensor {
  return logSumExp(lw, 0).mul(2).sub(logSumExp(lw.mul(2), 0)).exp().div(lw.shape[0]);
}
