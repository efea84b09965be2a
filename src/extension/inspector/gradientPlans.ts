// The plans Analyze Gradients offers: a quick look, and Rainforth et al.'s
// comparison (`latent-lab analyze gradients`' defaults), with what each costs
// in gradient draws. Pure, for the quick pick and its test.
import { DEFAULT_GRADIENT_PLAN, type GradientPlan } from '../../shared/evaluationProtocol';

export interface GradientPlanChoice {
  label: string;
  detail: string;
  plan: GradientPlan;
}

const QUICK_PLAN: GradientPlan = { ks: [1, 10, 100], estimators: ['standard', 'dreg'], draws: 30, examples: 10, replicates: 200 };

/** Decoder rows one analysis runs through, forward and backward: draws x examples x sum of K, per estimator. */
export function gradientRows(plan: GradientPlan): number {
  return plan.estimators.length * plan.draws * plan.examples * plan.ks.reduce((a, k) => a + k, 0);
}

/** The plans for a checkpoint with `posterior`: an IAF posterior has only the standard estimator (STL and DReG need q's density at any z). */
export function gradientPlanChoices(posterior = 'normal'): GradientPlanChoice[] {
  const usable = (p: GradientPlan): GradientPlan => (posterior === 'iaf' ? { ...p, estimators: ['standard'] } : p);
  const describe = (p: GradientPlan) => `K = ${p.ks.join(', ')} · ${p.estimators.join(', ')} · ${p.draws} draws on ${p.examples} held-out examples · ${gradientRows(p).toLocaleString('en-US')} decoder rows`;
  const quick = usable(QUICK_PLAN);
  const full = usable(DEFAULT_GRADIENT_PLAN);
  const only = posterior === 'iaf' ? ' (the IAF posterior has the standard estimator only)' : '';
  return [
    { label: 'Quick look', detail: describe(quick) + only, plan: quick },
    { label: "Rainforth et al.'s comparison", detail: `${describe(full)} (latent-lab analyze gradients)${only}`, plan: full },
  ];
}
