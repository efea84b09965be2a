// log w[k, b] = log p(x_b, z_k) - log q(z_k | x_b), z_k ~ q(z | x_b): the one
// tensor every objective is computed from.
import type { Tensor } from '../tf';
import type { LatentVariableModel, PosteriorSample } from '../models/latentModel';
import { tf } from '../tf';

/** [K, B] from the posterior draw `sample`, with q's densities as drawn. */
export function logWeights(model: LatentVariableModel, x: Tensor, sample: PosteriorSample): Tensor {
  return model.logJoint(x, sample.zs).sub(logProposal(sample));
}

/** sum_l log q(z_l | z_l-1) [K, B] of the draw, as the draw computed it (the one way to a flow's density). */
export function logProposal(sample: PosteriorSample): Tensor {
  return tf.addN(sample.logQs);
}

/** [K, B], the same values, but log q's dependence on the inference network's
 * parameters is cut: only the path through z remains (sticking the landing). */
export function logWeightsPathOnly(model: LatentVariableModel, x: Tensor, zs: Tensor[]): Tensor {
  return model.logJoint(x, zs).sub(model.logPosterior(x, zs, true));
}
