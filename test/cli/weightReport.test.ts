// What the terminal says of the 1/K fit: an estimate of L_inf only when the
// fit's K reach Var(w)/E[w]^2; otherwise the largest K's trend, said to be no
// estimate of log p(x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatWeightReport } from '../../src/engine/cli/format';
import { syntheticEvaluation } from '../helpers/evaluationResult';

const holding = syntheticEvaluation();
const trend = syntheticEvaluation({ fit: { ...holding.fit!, holds: false, ks: [500, 1000, 2000, 5000] } });

test('a fit that holds reads as L_inf with its interval', () => {
  const table = formatWeightReport('run/checkpoint.safetensors', holding);
  assert.match(table, /^L_inf {7}-86\.90 ± 0\.21 {2}\(95%: -87\.31 \.\. -86\.49\); fit of L_K ~ L_inf - a\/K - b\/K\^2 on K = 50, 100/m);
  assert.doesNotMatch(table, /not estimated|trend/);
});

test('a trend fit is no L_inf: the table says why, and what the trend extrapolates to', () => {
  const table = formatWeightReport('run/checkpoint.safetensors', trend);
  assert.match(table, /^L_inf {7}not estimated: fewer than four K of the ladder reach Var\(w\)\/E\[w\]\^2 = 120\.0/m);
  assert.match(table, /^ {12}the trend of K = 500, 1000, 2000, 5000 extrapolates to -86\.90 ± 0\.21, which is not an estimate of log p\(x\)$/m);
  assert.doesNotMatch(table, /95%: -87/);
});
