// How each posterior family turns an encoder's output into q(z_l | .), and what
// parameters the family itself owns (the IAF's autoregressive networks). How
// many values the encoder outputs is the architecture's (posteriorOutputs).
import { tf, type Tensor } from '../tf';
import type { Sampler } from '../random/sampler';
import type { Distribution } from '../distributions/distribution';
import { Normal } from '../distributions/normal';
import { Laplace } from '../distributions/laplace';
import { StudentT } from '../distributions/studentT';
import { InverseAutoregressiveFlow } from '../distributions/inverseAutoregressiveFlow';
import type { ModelConfig } from './config';
import { iafStepName, type MadeSizes } from './architecture';
import { createMade } from './made';
import type { WeightUse } from './network';
import type { Params } from './params';

export interface PosteriorHead {
  /** q from the encoder's output [..., outputs]; `weight` applies to the family's own parameters. */
  distribution(out: Tensor, weight: WeightUse): Distribution;
  /** Constants the head owns (the IAF's masks). */
  readonly constants: Tensor[];
}

/** The posterior head of stochastic layer `l`; `flow` holds the MADE sizes of its IAF steps (iaf only). */
export function createPosteriorHead(config: ModelConfig, l: number, flow: MadeSizes[] | undefined, params: Params, sampler: Sampler): PosteriorHead {
  const plain = (build: (out: Tensor) => Distribution): PosteriorHead => ({ distribution: build, constants: [] });
  switch (config.posterior) {
    case 'normal': return plain((out) => Normal.fromParams(out));
    case 'laplace': return plain((out) => Laplace.fromParams(out));
    case 'student-t': return plain((out) => StudentT.fromParams(out, config.degreesOfFreedom as number));
    case 'iaf': return iafHead(l, flow as MadeSizes[], params, sampler);
  }
}

/** Encoder output [mu, log sigma, h] (posteriorOutputs): the base Normal and the context of every step. */
function iafHead(l: number, steps: MadeSizes[], params: Params, sampler: Sampler): PosteriorHead {
  const made = steps.map((sizes, t) => createMade(params, iafStepName(l, t), sizes, t % 2 === 1, sampler));
  const { latent, context } = steps[0];
  return {
    constants: made.flatMap((m) => m.masks),
    distribution: (out, weight) => {
      const [loc, logScale, h] = context > 0 ? tf.split(out, [latent, latent, context], -1) : tf.split(out, 2, -1);
      return new InverseAutoregressiveFlow(new Normal(loc, logScale), made.map((m) => m.step(weight)), h);
    },
  };
}
