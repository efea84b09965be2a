// Independent Bernoulli variables with log-odds `logits`: the likelihood of binary pixels.
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import { softplus } from '../math/softplus';
import type { Distribution } from './distribution';

export class Bernoulli implements Distribution {
  readonly reparameterized = false;

  constructor(readonly logits: Tensor) {}

  sample(sampler: Sampler, n: number): Tensor {
    return sampler.uniform([n, ...this.logits.shape]).less(tf.sigmoid(this.logits)).toFloat();
  }

  /** x * l - softplus(l): log sigmoid(l) for x = 1, log sigmoid(-l) for x = 0, without overflow. */
  logProb(value: Tensor): Tensor {
    return value.mul(this.logits).sub(softplus(this.logits)).sum(-1);
  }

  mean(): Tensor {
    return tf.sigmoid(this.logits);
  }
}
