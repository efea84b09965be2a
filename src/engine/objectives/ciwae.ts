// CIWAE(beta) (Rainforth et al. 2018): beta ELBO + (1 - beta) L_K from the
// same K samples. Its gradient is the mixture of the two bounds' gradients,
// so each estimator of CIWAE is that mixture of the same estimator of each:
// for DReG, the ELBO's part is sticking the landing (DReG with groups of one)
// and the IWAE part is DReG.
import { tf, type Tensor } from '../tf';
import { ciwaeBound, normalizedWeights } from './bounds';
import type { BoundForm } from './estimators';

export function ciwaeForm(beta: number): BoundForm {
  return {
    bound: (lw) => ciwaeBound(lw, beta),
    // log w_k gets weight a_k = beta/K + (1 - beta) w~_k; the path through z_k
    // wants beta/K + (1 - beta) w~_k^2, so z_k's gradient is scaled by the ratio
    // (0 where a_k = 0, which happens only at beta = 0 with w~_k = 0).
    reweighting: (lw: Tensor) => {
      const k = lw.shape[0];
      const w = normalizedWeights(lw, k);
      const elboShare = beta / k;
      const weight = w.mul(1 - beta).add(elboShare);
      return { weight, pathScale: tf.divNoNan(w.square().mul(1 - beta).add(elboShare), weight) };
    },
  };
}
