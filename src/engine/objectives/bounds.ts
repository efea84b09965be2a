// The bounds on log p(x), all computed from one tensor of log importance
// weights lw [N, B] (N samples per example), returned per example [B].
import { tf, type Tensor } from '../tf';
import { logMeanExp } from '../math/logMeanExp';

/** Mean over groups of the log mean weight within each group of `groupSize`:
 * lw [G * groupSize, B] -> [B]. */
export function groupedBound(lw: Tensor, groupSize: number): Tensor {
  const [n, b] = lw.shape;
  if (n % groupSize !== 0) throw new Error(`${n} log weights do not split into groups of ${groupSize}`);
  return logMeanExp(lw.reshape([n / groupSize, groupSize, b]), 1).mean(0);
}

/** VAE ELBO: the mean of the K log weights (more samples only reduce variance). */
export function elbo(lw: Tensor): Tensor {
  return lw.mean(0);
}

/** IWAE bound L_K: log (1/K) sum_k w_k; tighter as K grows, -> log p(x). */
export function iwaeBound(lw: Tensor): Tensor {
  return logMeanExp(lw, 0);
}

/** MIWAE(M, K): the IWAE bound averaged over M independent groups of K; lw [M * K, B]. */
export function miwaeBound(lw: Tensor, m: number): Tensor {
  return groupedBound(lw, lw.shape[0] / m);
}

/** CIWAE(beta) (Rainforth et al. 2018): beta ELBO + (1 - beta) L_K over the same K samples; lw [K, B]. */
export function ciwaeBound(lw: Tensor, beta: number): Tensor {
  return elbo(lw).mul(beta).add(iwaeBound(lw).mul(1 - beta));
}

/** The normalized weights w~ within each group of `groupSize` (softmax of lw over the group): [N, B].
 * They are d groupedBound / d lw times the number of groups. */
export function normalizedWeights(lw: Tensor, groupSize: number): Tensor {
  const [n, b] = lw.shape;
  return tf.softmax(lw.reshape([n / groupSize, groupSize, b]).transpose([0, 2, 1])).transpose([0, 2, 1]).reshape([n, b]);
}
