// PIWAE(M, K) (Rainforth et al. 2018): the inference network is trained on
// MIWAE(M, K) and the generative network on IWAE(M K), from the same M K
// samples. Every MIWAE estimator gives the generative network
// sum_k c_k grad log w_k with c the within-group normalized weights over M;
// IWAE(M K) wants the normalized weights over all M K samples instead. The
// difference is added as a second pass through log p(x, z) with the samples
// held fixed, so it reaches only the generative network and the inference
// network keeps its MIWAE gradient exactly.
import type { Scalar, Tensor } from '../tf';
import type { LatentVariableModel, PosteriorSample } from '../models/latentModel';
import { stopGradient } from '../math/stopGradient';
import { iwaeBound, normalizedWeights } from './bounds';
import { logProposal } from './logWeights';
import type { Surrogate } from './estimators';

/** PIWAE's surrogate from `inference`, a MIWAE(M, K) surrogate on the draw `sample` of M K samples; reports L_{MK}. */
export function partiallyImportanceWeighted(model: LatentVariableModel, x: Tensor, sample: PosteriorSample, inference: Surrogate, m: number): Surrogate {
  const logJoint = model.logJoint(x, sample.zs.map(stopGradient)); // [M*K, B], a function of the generative network only
  const lw = stopGradient(logJoint.sub(logProposal(sample)));
  const n = lw.shape[0];
  const shift = normalizedWeights(lw, n).sub(normalizedWeights(lw, n / m).div(m));
  const loss = inference.loss.sub(shift.mul(logJoint).sum(0).mean()) as Scalar;
  return { loss, bound: iwaeBound(lw), logWeights: lw, retained: inference.retained };
}
