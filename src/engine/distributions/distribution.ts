// A distribution over vectors (the last axis is the event). The objectives only
// need `sample` and `logProb`, so any family that has them plugs in: no
// closed-form KL divergence is ever required.
import type { Tensor } from '../tf';
import type { Sampler } from '../random/sampler';

export interface Distribution {
  /** n draws, [n, ...batch, D]; differentiable in the parameters (reparameterized) when `reparameterized`. */
  sample(sampler: Sampler, n: number): Tensor;
  /** log density of `value` [..., D] summed over the event axis -> [...]. */
  logProb(value: Tensor): Tensor;
  /** n draws and their log densities, [n, ...batch, D] and [n, ...batch]: the one way to the density of
   * families that know it only at their own draws (a flow), and the cheap way for those that keep
   * what the draw computed. Families without it get `logProb` of `sample` (drawWithLogProb). */
  sampleWithLogProb?(sampler: Sampler, n: number): { value: Tensor; logProb: Tensor };
  /** E[x], [...batch, D]; where E[x] has no closed form (`meanIsExact` false) a central value the family names. */
  mean(): Tensor;
  /** False when `mean()` is not E[x]: whoever needs E[x] then averages draws. Absent: exact. */
  readonly meanIsExact?: false;
  readonly reparameterized: boolean;
}

/** n draws of `q` with their log densities. */
export function drawWithLogProb(q: Distribution, sampler: Sampler, n: number): { value: Tensor; logProb: Tensor } {
  if (q.sampleWithLogProb) return q.sampleWithLogProb(sampler, n);
  const value = q.sample(sampler, n);
  return { value, logProb: q.logProb(value) };
}

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
