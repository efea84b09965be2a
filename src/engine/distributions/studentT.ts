// Diagonal Student-t(ν, loc, exp(logScale)) with ν fixed: heavier tails than
// the Normal (polynomial, not Gaussian), the Cauchy at ν = 1 and the Normal as ν -> ∞.
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import { logGamma } from '../math/logGamma';
import type { Distribution } from './distribution';
import { broadcastShape } from './normal';

// Keeps 1/sqrt(2g/ν) finite when a Gamma draw underflows (probability far below float32's resolution).
const SMALLEST_GAMMA = 1e-30;

export class StudentT implements Distribution {
  readonly reparameterized = true;
  /** log Γ((ν+1)/2) - log Γ(ν/2) - log(νπ)/2: a number, because ν is fixed. */
  private readonly logNormalizer: number;

  constructor(readonly loc: Tensor, readonly logScale: Tensor, readonly degreesOfFreedom: number) {
    if (!(degreesOfFreedom > 0)) throw new Error(`a Student-t needs positive degrees of freedom, got ${degreesOfFreedom}`);
    const nu = degreesOfFreedom;
    this.logNormalizer = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  }

  /** Splits the last axis of `params` [..., 2D] into loc and log-scale. */
  static fromParams(params: Tensor, degreesOfFreedom: number): StudentT {
    const [loc, logScale] = tf.split(params, 2, -1);
    return new StudentT(loc, logScale, degreesOfFreedom);
  }

  /** loc + scale * t with t = ε / sqrt(V/ν), ε ~ N(0, 1), V = 2g ~ χ²(ν), g ~ Gamma(ν/2, 1):
   * the noise is free of the parameters, so the draw is reparameterized in loc and scale. */
  sample(sampler: Sampler, n: number): Tensor {
    const shape = [n, ...broadcastShape(this.loc.shape, this.logScale.shape)];
    const epsilon = sampler.normal(shape);
    const g = sampler.gamma(shape, this.degreesOfFreedom / 2).maximum(SMALLEST_GAMMA);
    const t = epsilon.mul(tf.rsqrt(g.mul(2 / this.degreesOfFreedom)));
    return this.loc.add(t.mul(tf.exp(this.logScale)));
  }

  /** log Γ((ν+1)/2) - log Γ(ν/2) - log(νπ)/2 - log s - (ν+1)/2 log(1 + u²/ν), u = (x - loc)/s. */
  logProb(value: Tensor): Tensor {
    const nu = this.degreesOfFreedom;
    const u = value.sub(this.loc).mul(tf.exp(this.logScale.neg()));
    return tf.log1p(u.square().div(nu)).mul(-(nu + 1) / 2).sub(this.logScale).add(this.logNormalizer).sum(-1);
  }

  /** loc: the mean for ν > 1; for ν <= 1 no mean exists and loc is the median. */
  mean(): Tensor {
    return this.loc.add(tf.zerosLike(this.logScale));
  }
}
