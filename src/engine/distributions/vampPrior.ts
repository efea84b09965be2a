// The VampPrior (Tomczak & Welling 2018): p(z) = (1/C) sum_c q(z | u_c), the
// variational posterior at C learned pseudo-inputs u_c, an equal-weight
// mixture. Any posterior family whose density is known at every z serves as
// the components; its KL divergence from q has no closed form, and IWAE needs none.
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import { logSumExp } from '../math/logMeanExp';
import type { Distribution } from './distribution';

export class VampPrior implements Distribution {
  // Drawing a component is discrete: samples carry no gradient. Priors are only sampled to show images.
  readonly reparameterized = false;
  private readonly count: number;

  /** `components` has batch shape [C]: q(z | u_c) for each pseudo-input. */
  constructor(readonly components: Distribution, count: number) {
    this.count = count;
  }

  /** A component chosen uniformly for each draw, then a draw of it. [n, D]. */
  sample(sampler: Sampler, n: number): Tensor {
    const chosen = sampler.categorical(tf.zeros([1, this.count]), n).reshape([n]);
    const all = this.components.sample(sampler, n); // [n, C, D]
    return all.mul(tf.oneHot(chosen, this.count).expandDims(-1)).sum(1);
  }

  /** log (1/C) sum_c q(value | u_c), value [..., D] -> [...]. */
  logProb(value: Tensor): Tensor {
    const perComponent = this.components.logProb(value.expandDims(-2)); // [..., C]
    return logSumExp(perComponent, -1).sub(Math.log(this.count));
  }

  mean(): Tensor {
    return this.components.mean().mean(0);
  }
}
