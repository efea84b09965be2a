// Which bound a run optimizes and how its gradient is estimated. Pyro and TFP
// keep these as parameters of the objective, not forks of the model; so do we.
import { GradientEstimator, ObjectiveKind, type ModelConfig, type ObjectiveConfig } from '../../shared/runConfig';

export type { GradientEstimator, ObjectiveConfig, ObjectiveKind };

/** CIWAE's beta when none is given: the ELBO and L_K weighted equally. */
export const DEFAULT_CIWAE_BETA = 0.5;

export function objectiveConfig(partial: Partial<ObjectiveConfig> & Pick<ObjectiveConfig, 'kind'>): ObjectiveConfig {
  const c: ObjectiveConfig = {
    k: partial.kind === 'vae' ? 1 : 5, m: 1, estimator: 'standard', analyticKl: false, ...partial,
  };
  if (c.kind !== 'miwae' && c.kind !== 'piwae') c.m = 1;
  if (c.kind === 'ciwae') c.beta ??= DEFAULT_CIWAE_BETA;
  validateObjective(c);
  return c;
}

export function validateObjective(c: ObjectiveConfig): void {
  const bad = (m: string) => { throw new Error(`invalid objective: ${m}`); };
  if (!ObjectiveKind.safeParse(c.kind).success) bad(`unknown kind '${c.kind}' (${ObjectiveKind.options.join(', ')})`);
  if (!Number.isInteger(c.k) || c.k < 1) bad(`K must be a positive integer, got ${c.k}`);
  if (!Number.isInteger(c.m) || c.m < 1) bad(`M must be a positive integer, got ${c.m}`);
  if (c.kind !== 'miwae' && c.kind !== 'piwae' && c.m !== 1) bad(`M = ${c.m} is only meaningful for miwae and piwae`);
  if (c.kind === 'ciwae' && !(typeof c.beta === 'number' && c.beta >= 0 && c.beta <= 1)) bad(`CIWAE needs 0 <= beta <= 1, got ${c.beta}`);
  if (c.kind !== 'ciwae' && c.beta !== undefined) bad('beta is only meaningful for ciwae');
  if (!GradientEstimator.safeParse(c.estimator).success) bad(`unknown estimator '${c.estimator}' (${GradientEstimator.options.join(', ')})`);
  if (c.analyticKl && (c.kind !== 'vae' || c.estimator !== 'standard')) bad('the analytic-KL ELBO is a VAE objective with the standard estimator');
}

/** STL and DReG evaluate log q at the draws with the inference network held
 * fixed, which needs q's density at any z: a flow knows it only through its draws. */
export function validateObjectiveForModel(c: ObjectiveConfig, model: Pick<ModelConfig, 'posterior'>): void {
  if (c.estimator !== 'standard' && model.posterior === 'iaf') {
    throw new Error(`invalid objective: the ${c.estimator} estimator needs log q at any z with the inference network held fixed, and the iaf posterior's density is known only at its own draws; use the standard estimator`);
  }
}

/** Samples per example and per step: M * K. */
export function samplesPerExample(c: ObjectiveConfig): number {
  return c.k * c.m;
}

export function describeObjective(c: ObjectiveConfig): string {
  const name = c.kind === 'miwae' || c.kind === 'piwae' ? `${c.kind.toUpperCase()}(M=${c.m}, K=${c.k})`
    : c.kind === 'ciwae' ? `CIWAE(beta=${c.beta}) K=${c.k}` : `${c.kind.toUpperCase()} K=${c.k}`;
  return `${name}${c.analyticKl ? ' analytic KL' : ''}, ${c.estimator} gradient`;
}
