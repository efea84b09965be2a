// A deep latent-variable model with L stochastic layers (Burda et al. 2015):
//   inference  q(z1|x) q(z2|z1) ... q(zL|zL-1)
//   generative p(zL) p(zL-1|zL) ... p(z1|z2) p(x|z1)
// Every conditional is a distribution whose parameters a network computes:
// MLPs, or convolutional networks next to image data (convNetworks.ts).
import { tf, type Tensor, type Variable } from '../tf';
import type { Sampler } from '../random/sampler';
import { drawWithLogProb, type Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import { Bernoulli } from '../distributions/bernoulli';
import { MixtureOfNormals } from '../distributions/mixtureOfNormals';
import { VampPrior } from '../distributions/vampPrior';
import { stopGradient } from '../math/stopGradient';
import type { ModelConfig } from './config';
import { architecture, PSEUDO_INPUTS } from './architecture';
import { createMlp, mlpNetwork } from './mlp';
import { createConvDecoder, createConvEncoder } from './convNetworks';
import { asIs, type Network, type WeightUse } from './network';
import { createPosteriorHead, type PosteriorHead } from './posteriorFamilies';
import { addParam, type Params } from './params';

/** z_l ~ q(z_l | z_l-1), bottom layer first: zs[l] is [K, B, Z_l]. */
export interface PosteriorSample {
  zs: Tensor[];
  /** log q(z_l | z_l-1) at the draws, [K, B] each. */
  logQs: Tensor[];
  /** qs[0] has batch shape [B], deeper ones [K, B]. */
  qs: Distribution[];
}

export class LatentVariableModel {
  readonly params: Params = new Map();
  private readonly encoders: Network[];
  private readonly heads: PosteriorHead[];
  /** decoders[0] computes p(x|z1); decoders[l] computes p(z_l | z_l+1). */
  private readonly decoders: Network[];
  private readonly mixture?: { logits: Variable; locs: Variable; logScales: Variable };
  /** The VampPrior's u_c, [C, D]. */
  private readonly pseudoInputs?: Variable;
  private readonly likelihoodLogScale?: Tensor;

  constructor(readonly config: ModelConfig, sampler: Sampler) {
    const { encoders, decoders, conv, flows, mixture, pseudoInputs, likelihoodLogScale } = architecture(config);
    this.encoders = encoders.map((sizes, l) => (l === 0 && conv
      ? createConvEncoder(this.params, 'q.0', conv, sizes, sampler)
      : mlpNetwork(createMlp(this.params, `q.${l}`, sizes, sampler))));
    this.heads = encoders.map((_, l) => createPosteriorHead(config, l, flows?.[l], this.params, sampler));
    this.decoders = decoders.map((sizes, l) => (l === 0 && conv
      ? createConvDecoder(this.params, 'p.0', conv, sizes, sampler)
      : mlpNetwork(createMlp(this.params, `p.${l}`, sizes, sampler))));
    if (mixture) {
      const [c, top] = mixture;
      this.mixture = {
        logits: addParam(this.params, 'p.prior.logits', tf.zeros([c])),
        locs: addParam(this.params, 'p.prior.locs', sampler.normal([c, top])),
        logScales: addParam(this.params, 'p.prior.logScales', tf.zeros([c, top])),
      };
    } else if (pseudoInputs) {
      this.pseudoInputs = addParam(this.params, PSEUDO_INPUTS, sampler.uniform(pseudoInputs));
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

  /** q(z_l | input): the encoder of layer l and its family. */
  private posteriorAt(l: number, input: Tensor, weight: WeightUse = asIs): Distribution {
    return this.heads[l].distribution(this.encoders[l](input, weight), weight);
  }

  /** Draws K joint samples z ~ q(z|x) for each of the B rows of x [B, D]. */
  posterior(x: Tensor, k: number, sampler: Sampler): PosteriorSample {
    const sample: PosteriorSample = { zs: [], logQs: [], qs: [] };
    let below = x;
    this.encoders.forEach((_, l) => {
      const q = this.posteriorAt(l, below);
      const { value, logProb } = drawWithLogProb(q, sampler, l === 0 ? k : 1);
      const z = l === 0 ? value : value.squeeze([0]);
      sample.qs.push(q);
      sample.zs.push(z);
      sample.logQs.push(l === 0 ? logProb : logProb.squeeze([0]));
      below = z;
    });
    return sample;
  }

  /** The first layer's q(z1|x): what reconstructions and active units look at. */
  encode(x: Tensor): Distribution {
    return this.posteriorAt(0, x);
  }

  /** sum_l log q(z_l | z_l-1) -> [K, B]. With `detachParameters` the inference
   * network's weights are constants (the z's still carry their path gradient):
   * the sticking-the-landing term. */
  logPosterior(x: Tensor, zs: Tensor[], detachParameters = false): Tensor {
    const weight = detachParameters ? stopGradient : asIs;
    return tf.addN(this.encoders.map((_, l) => this.posteriorAt(l, l === 0 ? x : zs[l - 1], weight).logProb(zs[l])));
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
    if (this.pseudoInputs) return new VampPrior(this.topPosteriorAt(this.pseudoInputs), this.config.priorComponents);
    return Normal.standard(this.latentSizes[this.latentSizes.length - 1]);
  }

  /** q(zL | u) for inputs u [C, D]. Below the top, u goes up through the layers'
   * posterior means: with two layers, q(z2 | E_q[z1 | u]). Any such mixture is a
   * normalized prior, so the bounds stay bounds. */
  private topPosteriorAt(u: Tensor): Distribution {
    let q = this.posteriorAt(0, u);
    for (let l = 1; l < this.encoders.length; l++) q = this.posteriorAt(l, q.mean());
    return q;
  }

  /** p(z_l | z_l+1) for l < L-1. */
  conditionalPrior(l: number, zAbove: Tensor): Distribution {
    return Normal.fromParams(this.decoders[l + 1](zAbove));
  }

  /** p(x | z1). */
  likelihood(z1: Tensor): Distribution {
    const out = this.decoders[0](z1);
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
    tf.dispose(this.heads.flatMap((h) => h.constants));
    if (this.config.likelihood === 'gaussian-fixed') this.likelihoodLogScale?.dispose();
  }
}
