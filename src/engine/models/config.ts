// What a model is, as data: stored in every checkpoint and run record.

// The schema lives in src/shared/runConfig.ts; this file adds the model's defaults and checks.
import { Likelihood, PosteriorFamily, PriorFamily, type ModelConfig, type StochasticLayerConfig } from '../../shared/runConfig';

export type { Likelihood, ModelConfig, PosteriorFamily, PriorFamily, StochasticLayerConfig };

/** Burda et al. 2015, one stochastic layer: 784-200-200-50, tanh. */
export function burdaOneLayer(): StochasticLayerConfig[] {
  return [{ hidden: [200, 200], latent: 50 }];
}

/** Burda et al. 2015, two stochastic layers: 200-200-100 then 100-100-50. */
export function burdaTwoLayers(): StochasticLayerConfig[] {
  return [{ hidden: [200, 200], latent: 100 }, { hidden: [100, 100], latent: 50 }];
}

export function validateModelConfig(c: ModelConfig): void {
  const bad = (m: string) => { throw new Error(`invalid model config: ${m}`); };
  if (!Number.isInteger(c.inputDim) || c.inputDim < 1) bad(`inputDim ${c.inputDim}`);
  if (c.layers.length < 1) bad('at least one stochastic layer is needed');
  for (const l of c.layers) {
    if (!Number.isInteger(l.latent) || l.latent < 1) bad(`latent size ${l.latent}`);
    if (l.hidden.some((h) => !Number.isInteger(h) || h < 1)) bad(`hidden sizes ${l.hidden.join(',')}`);
  }
  if (!PosteriorFamily.safeParse(c.posterior).success) bad(`posterior ${c.posterior}`);
  if (!PriorFamily.safeParse(c.prior).success) bad(`prior ${c.prior}`);
  if (c.prior === 'mixture' && !(Number.isInteger(c.priorComponents) && c.priorComponents >= 2)) bad('a mixture prior needs at least 2 components');
  if (!Likelihood.safeParse(c.likelihood).success) bad(`likelihood ${c.likelihood}`);
  if (!(c.likelihoodScale > 0)) bad(`likelihoodScale ${c.likelihoodScale}`);
  if (c.imageShape && c.imageShape[0] * c.imageShape[1] !== c.inputDim) bad(`imageShape ${c.imageShape} does not hold ${c.inputDim} values`);
}
