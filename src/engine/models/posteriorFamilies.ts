// How each posterior family turns an encoder's output into q(z_l | .): how many
// values per example the encoder computes, and what parameters the family
// itself owns (the IAF's autoregressive networks).
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import { Laplace } from '../distributions/laplace';
import { StudentT } from '../distributions/studentT';
import { InverseAutoregressiveFlow } from '../distributions/inverseAutoregressiveFlow';
import type { ModelConfig } from './config';
import { createMade } from './made';
import type { WeightUse } from './network';
import type { Params } from './params';

export interface PosteriorHead {
  /** q from the encoder's output [..., outputs]; `weight` applies to the family's own parameters. */
  distribution(out: Tensor, weight: WeightUse): Distribution;
  /** Constants the head owns (the IAF's masks). */
  readonly constants: Tensor[];
}

/** Values per example the encoder of a `latent`-dimensional layer outputs. */
export function posteriorOutputs(config: ModelConfig, latent: number): number {
  return 2 * latent + (config.posterior === 'iaf' ? (config.flow as NonNullable<ModelConfig['flow']>).context : 0);
}

/** The posterior head of stochastic layer `l`, whose latent has `latent` dimensions. */
export function createPosteriorHead(config: ModelConfig, l: number, latent: number, params: Params, sampler: Sampler): PosteriorHead {
  const plain = (build: (out: Tensor) => Distribution): PosteriorHead => ({ distribution: build, constants: [] });
  switch (config.posterior) {
    case 'normal': return plain((out) => Normal.fromParams(out));
    case 'laplace': return plain((out) => Laplace.fromParams(out));
    case 'student-t': return plain((out) => StudentT.fromParams(out, config.degreesOfFreedom as number));
    case 'iaf': return iafHead(config, l, latent, params, sampler);
  }
}

/** Encoder output [mu, log sigma, h] (posteriorOutputs): the base Normal and the context of every step. */
function iafHead(config: ModelConfig, l: number, latent: number, params: Params, sampler: Sampler): PosteriorHead {
  const flow = config.flow as NonNullable<ModelConfig['flow']>;
  const made = Array.from({ length: flow.steps }, (_, t) =>
    createMade(params, `q.${l}.iaf.${t}`, { latent, hidden: flow.hidden, context: flow.context }, t % 2 === 1, sampler));
  return {
    constants: made.flatMap((m) => m.masks),
    distribution: (out, weight) => {
      const [loc, logScale, context] = flow.context > 0 ? tf.split(out, [latent, latent, flow.context], -1) : tf.split(out, 2, -1);
      return new InverseAutoregressiveFlow(new Normal(loc, logScale), made.map((m) => m.step(weight)), context);
    },
  };
}
