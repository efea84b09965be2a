// Surrogate losses whose gradients are the estimators' gradients, and the
// bound each reports. One forward pass per step for every estimator; PIWAE
// adds a second pass through the generative network (piwae.ts).
import { tf, type Scalar, type Tensor } from '../tf';
import type { LatentVariableModel, PosteriorSample } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { klDivergence } from '../distributions/kl';
import { scaleGradient, stopGradient } from '../math/stopGradient';
import { groupedBound, normalizedWeights } from './bounds';
import { logProposal, logWeights, logWeightsPathOnly } from './logWeights';
import { DEFAULT_CIWAE_BETA, samplesPerExample, validateObjectiveForModel, type GradientEstimator, type ObjectiveConfig } from './objective';
import { ciwaeForm } from './ciwae';
import { partiallyImportanceWeighted } from './piwae';

export interface Surrogate {
  /** Minimize this; its gradient is the estimator's. */
  loss: Scalar;
  /** The objective's bound per example [B] (nats). */
  bound: Tensor;
  /** The step's log weights [n, B], every sample the bound is computed from (what ESS is read from). */
  logWeights: Tensor;
  /** Kept out of tf.tidy because the backward pass still reads them: dispose after the gradient. */
  retained: Tensor[];
}

/** VAE groups are single samples; IWAE, CIWAE and PIWAE's IWAE part one group of K; MIWAE M groups of K. */
export function groupSize(objective: ObjectiveConfig): number {
  return objective.kind === 'vae' ? 1 : objective.k;
}

/** How an objective's bound [B] is computed from log weights lw [n, B], and how DReG reweights them:
 * log w_k gets `weight` in the generative network's gradient, and the path through z_k a further
 * factor `pathScale`, both [n, B] functions of lw's values. */
export interface BoundForm {
  bound(lw: Tensor): Tensor;
  reweighting(lw: Tensor): { weight: Tensor; pathScale: Tensor };
}

export function surrogate(model: LatentVariableModel, objective: ObjectiveConfig, x: Tensor, sampler: Sampler): Surrogate {
  // Every estimator of every objective comes through here: a run config, a checkpoint or `analyze gradients` alike.
  validateObjectiveForModel(objective, model.config);
  if (objective.analyticKl) return analyticKlElbo(model, x, objective.k, sampler);
  const sample = model.posterior(x, samplesPerExample(objective), sampler);
  const form = objective.kind === 'ciwae' ? ciwaeForm(objective.beta ?? DEFAULT_CIWAE_BETA) : groupedForm(groupSize(objective));
  const s = sampledSurrogate(model, x, sample, form, objective.estimator);
  return objective.kind === 'piwae' ? partiallyImportanceWeighted(model, x, sample, s, objective.m) : s;
}

/** The estimator's surrogate of the bound `form` on the posterior draw `sample`. */
function sampledSurrogate(model: LatentVariableModel, x: Tensor, sample: PosteriorSample, form: BoundForm, estimator: GradientEstimator): Surrogate {
  switch (estimator) {
    case 'standard': {
      const lw = logWeights(model, x, sample);
      const bound = form.bound(lw);
      return { loss: bound.mean().neg() as Scalar, bound, logWeights: lw, retained: [] };
    }
    case 'stl': {
      const lw = logWeightsPathOnly(model, x, sample.zs);
      const bound = form.bound(lw);
      return { loss: bound.mean().neg() as Scalar, bound, logWeights: lw, retained: [] };
    }
    case 'dreg':
      return doublyReparameterized(model, x, sample.zs, form);
  }
}

/** The mean over groups of L_K within each, and its DReG weighting: the generative network gets
 * the IWAE gradient sum_k w~_k grad log w_k; the inference network gets
 * sum_k w~_k^2 (d log w_k / d z_k)(d z_k / d phi), with w~ the normalized weights of each group. */
function groupedForm(g: number): BoundForm {
  return {
    bound: (lw) => groupedBound(lw, g),
    reweighting: (lw) => {
      const normalized = normalizedWeights(lw, g);
      return { weight: normalized.div(lw.shape[0] / g), pathScale: normalized };
    },
  };
}

/** DReG (Tucker et al. 2018): the loss weights each log w_k by `weight`, and the gradient that
 * flows into each z_k is scaled again by `pathScale`, like a tensor hook in PyTorch. */
function doublyReparameterized(model: LatentVariableModel, x: Tensor, zs: Tensor[], form: BoundForm): Surrogate {
  let pathScale: Tensor | undefined;
  const scaleOfZ = () => (pathScale as Tensor).expandDims(-1);
  const lw = logWeightsPathOnly(model, x, zs.map((z) => scaleGradient(z, scaleOfZ))); // [n, B]
  const reweighting = form.reweighting(stopGradient(lw));
  pathScale = tf.keep(reweighting.pathScale);
  const loss = reweighting.weight.mul(lw).sum(0).mean().neg() as Scalar;
  return { loss, bound: form.bound(lw), logWeights: lw, retained: [pathScale] };
}

/** E_q[log p(x|z)] - KL(q(z|x) || p(z)), the expectation over K samples. */
function analyticKlElbo(model: LatentVariableModel, x: Tensor, k: number, sampler: Sampler): Surrogate {
  if (model.config.layers.length !== 1) throw new Error('the analytic-KL ELBO needs one stochastic layer');
  const sample = model.posterior(x, k, sampler);
  const [z] = sample.zs;
  const prior = model.prior();
  const kl = klDivergence(sample.qs[0], prior);
  if (!kl) throw new Error(`no closed-form KL between a ${model.config.posterior} posterior and a ${model.config.prior} prior; use the Monte Carlo ELBO`);
  const logLikelihood = model.likelihood(z).logProb(x); // [K, B]
  const bound = logLikelihood.mean(0).sub(kl);
  // The log weights of the same samples, for ESS only: no decoder pass beyond the one above.
  const lw = logLikelihood.add(prior.logProb(z)).sub(logProposal(sample));
  return { loss: bound.mean().neg() as Scalar, bound, logWeights: lw, retained: [] };
}
