// A deep latent-variable model with L stochastic layers (Burda et al. 2015):
//   inference  q(z1|x) q(z2|z1) ... q(zL|zL-1)
//   generative p(zL) p(zL-1|zL) ... p(z1|z2) p(x|z1)
// Every conditional is a distribution whose parameters an MLP computes.
import { tf, type Tensor, type Variable } from '../tf';
import type { Sampler } from '../random/sampler';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import { Laplace } from '../distributions/laplace';
import { Bernoulli } from '../distributions/bernoulli';
import { MixtureOfNormals } from '../distributions/mixtureOfNormals';
import { stopGradient } from '../math/stopGradient';
import type { ModelConfig } from './config';
import { architecture } from './architecture';
import { applyMlp, createMlp, type Mlp } from './mlp';
import { addParam, type Params } from './params';

/** z_l ~ q(z_l | z_l-1), bottom layer first: zs[l] is [K, B, Z_l]. */
export interface PosteriorSample {
  zs: Tensor[];
  /** qs[0] has batch shape [B], deeper ones [K, B]. */
  qs: Distribution[];
}

const posteriorFamilies = {
  normal: (params: Tensor) => Normal.fromParams(params),
  laplace: (params: Tensor) => Laplace.fromParams(params),
};

export class LatentVariableModel {
  readonly params: Params = new Map();
  private readonly encoders: Mlp[];
  /** decoders[0] computes p(x|z1); decoders[l] computes p(z_l | z_l+1). */
  private readonly decoders: Mlp[];
  private readonly mixture?: { logits: Variable; locs: Variable; logScales: Variable };
  private readonly likelihoodLogScale?: Tensor;

  constructor(readonly config: ModelConfig, sampler: Sampler) {
    const { encoders, decoders, mixture, likelihoodLogScale } = architecture(config);
    this.encoders = encoders.map((sizes, l) => createMlp(this.params, `q.${l}`, sizes, sampler));
    this.decoders = decoders.map((sizes, l) => createMlp(this.params, `p.${l}`, sizes, sampler));
    if (mixture) {
      const [c, top] = mixture;
      this.mixture = {
        logits: addParam(this.params, 'p.prior.logits', tf.zeros([c])),
        locs: addParam(this.params, 'p.prior.locs', sampler.normal([c, top])),
        logScales: addParam(this.params, 'p.prior.logScales', tf.zeros([c, top])),
      };
    }
    const logScale = Math.log(config.likelihoodScale);
    if (likelihoodLogScale) {
      this.likelihoodLogScale = addParam(this.params, 'p.likelihood.logScale', tf.fill(likelihoodLogScale, logScale));
    } else if (config.likelihood === 'gaussian-fixed') {
      this.likelihoodLogScale = tf.keep(tf.scalar(logScale));
    }
  }

  get latentSizes(): number[] {
    return this.config.layers.map((l) => l.latent);
  }

  /** Draws K joint samples z ~ q(z|x) for each of the B rows of x [B, D]. */
  posterior(x: Tensor, k: number, sampler: Sampler): PosteriorSample {
    const zs: Tensor[] = [];
    const qs: Distribution[] = [];
    let below = x;
    this.encoders.forEach((encoder, l) => {
      const q = posteriorFamilies[this.config.posterior](applyMlp(encoder, below));
      const z = l === 0 ? q.sample(sampler, k) : q.sample(sampler, 1).squeeze([0]);
      qs.push(q);
      zs.push(z);
      below = z;
    });
    return { zs, qs };
  }

  /** The first layer's q(z1|x): what reconstructions and active units look at. */
  encode(x: Tensor): Distribution {
    return posteriorFamilies[this.config.posterior](applyMlp(this.encoders[0], x));
  }

  /** sum_l log q(z_l | z_l-1) -> [K, B]. With `detachParameters` the inference
   * network's weights are constants (the z's still carry their path gradient):
   * the sticking-the-landing term. */
  logPosterior(x: Tensor, zs: Tensor[], detachParameters = false): Tensor {
    const weight = detachParameters ? stopGradient : (w: Tensor) => w;
    return tf.addN(this.encoders.map((encoder, l) => {
      const q = posteriorFamilies[this.config.posterior](applyMlp(encoder, l === 0 ? x : zs[l - 1], weight));
      return q.logProb(zs[l]);
    }));
  }

  /** log p(x, z) = log p(zL) + sum_l log p(z_l | z_l+1) + log p(x | z1) -> [K, B]. */
  logJoint(x: Tensor, zs: Tensor[]): Tensor {
    const top = zs.length - 1;
    const terms = [this.prior().logProb(zs[top]), this.likelihood(zs[0]).logProb(x)];
    for (let l = 0; l < top; l++) terms.push(this.conditionalPrior(l, zs[l + 1]).logProb(zs[l]));
    return tf.addN(terms);
  }

  /** p(zL). */
  prior(): Distribution {
    if (this.mixture) return new MixtureOfNormals(this.mixture.logits, this.mixture.locs, this.mixture.logScales);
    return Normal.standard(this.latentSizes[this.latentSizes.length - 1]);
  }

  /** p(z_l | z_l+1) for l < L-1. */
  conditionalPrior(l: number, zAbove: Tensor): Distribution {
    return Normal.fromParams(applyMlp(this.decoders[l + 1], zAbove));
  }

  /** p(x | z1). */
  likelihood(z1: Tensor): Distribution {
    const out = applyMlp(this.decoders[0], z1);
    return this.likelihoodLogScale ? new Normal(out, this.likelihoodLogScale) : new Bernoulli(out);
  }

  /** Ancestral draws of the latents from the prior, bottom first: zs[l] is [n, Z_l]. */
  samplePrior(n: number, sampler: Sampler): Tensor[] {
    const zs: Tensor[] = [];
    let z = this.prior().sample(sampler, n);
    zs.unshift(z);
    for (let l = this.latentSizes.length - 2; l >= 0; l--) {
      z = this.conditionalPrior(l, z).sample(sampler, 1).squeeze([0]);
      zs.unshift(z);
    }
    return zs;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    if (this.config.likelihood === 'gaussian-fixed') this.likelihoodLogScale?.dispose();
  }
}
