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

export function gradientPlanChoices(): GradientPlanChoice[] {
  const describe = (p: GradientPlan) => `K = ${p.ks.join(', ')} · ${p.estimators.join(', ')} · ${p.draws} draws on ${p.examples} held-out examples · ${gradientRows(p).toLocaleString('en-US')} decoder rows`;
  return [
    { label: 'Quick look', detail: describe(QUICK_PLAN), plan: QUICK_PLAN },
    { label: "Rainforth et al.'s comparison", detail: `${describe(DEFAULT_GRADIENT_PLAN)} (latent-lab analyze gradients)`, plan: DEFAULT_GRADIENT_PLAN },
  ];
}
