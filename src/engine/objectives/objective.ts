// Which bound a run optimizes and how its gradient is estimated. Pyro and TFP
// keep these as parameters of the objective, not forks of the model; so do we.
import type { ModelConfig } from '../models/config';

export type ObjectiveKind = 'vae' | 'iwae' | 'miwae';
/** standard: reparameterized gradient of the bound; stl: sticking the landing
 * (Roeder et al. 2017); dreg: doubly reparameterized (Tucker et al. 2018). */
export type GradientEstimator = 'standard' | 'stl' | 'dreg';

export interface ObjectiveConfig {
  kind: ObjectiveKind;
  /** Importance samples per group (VAE: samples averaged). */
  k: number;
  /** Independent groups of K (MIWAE); 1 otherwise. */
  m: number;
  estimator: GradientEstimator;
  /** VAE only: E_q[log p(x|z)] by Monte Carlo minus KL(q || p) in closed form. */
  analyticKl: boolean;
}

export function objectiveConfig(partial: Partial<ObjectiveConfig> & Pick<ObjectiveConfig, 'kind'>): ObjectiveConfig {
  const c: ObjectiveConfig = {
    k: partial.kind === 'vae' ? 1 : 5, m: 1, estimator: 'standard', analyticKl: false, ...partial,
  };
  if (c.kind !== 'miwae') c.m = 1;
  validateObjective(c);
  return c;
}

export function validateObjective(c: ObjectiveConfig): void {
  const bad = (m: string) => { throw new Error(`invalid objective: ${m}`); };
  if (!['vae', 'iwae', 'miwae'].includes(c.kind)) bad(`unknown kind '${c.kind}' (vae, iwae or miwae)`);
  if (!Number.isInteger(c.k) || c.k < 1) bad(`K must be a positive integer, got ${c.k}`);
  if (!Number.isInteger(c.m) || c.m < 1) bad(`M must be a positive integer, got ${c.m}`);
  if (c.kind !== 'miwae' && c.m !== 1) bad(`M = ${c.m} is only meaningful for miwae`);
  if (!['standard', 'stl', 'dreg'].includes(c.estimator)) bad(`unknown estimator '${c.estimator}' (standard, stl or dreg)`);
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
  const name = c.kind === 'miwae' ? `MIWAE(M=${c.m}, K=${c.k})` : `${c.kind.toUpperCase()} K=${c.k}`;
  return `${name}${c.analyticKl ? ' analytic KL' : ''}, ${c.estimator} gradient`;
}
