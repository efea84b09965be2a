// The plans Analyze Gradients offers, and what they cost: every estimator of
// the comparison for a Normal posterior, only the standard one for an IAF
// posterior (which STL and DReG refuse).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradientPlanChoices, gradientRows } from '../../src/extension/inspector/gradientPlans';
import { DEFAULT_GRADIENT_PLAN } from '../../src/shared/evaluationProtocol';

test('decoder rows: estimators x draws x examples x the sum of K', () => {
  assert.equal(gradientRows({ ks: [1, 10], estimators: ['standard', 'dreg'], draws: 3, examples: 2, replicates: 10 }), 2 * 3 * 2 * 11);
});

test('a Normal posterior gets the quick look and the full comparison with every estimator', () => {
  const [quick, full] = gradientPlanChoices('normal');
  assert.deepEqual(full.plan, DEFAULT_GRADIENT_PLAN);
  assert.ok(quick.plan.estimators.includes('dreg'));
  assert.match(full.detail, new RegExp(`${gradientRows(DEFAULT_GRADIENT_PLAN).toLocaleString('en-US')} decoder rows`));
});

test('an IAF posterior gets the same plans with the standard estimator only, and is told why', () => {
  const plans = gradientPlanChoices('iaf');
  for (const p of plans) {
    assert.deepEqual(p.plan.estimators, ['standard']);
    assert.match(p.detail, /the IAF posterior has the standard estimator only/);
  }
  assert.deepEqual(plans[1].plan.ks, DEFAULT_GRADIENT_PLAN.ks);
});
