// A study's findings from its runs' numbers: differences paired over the test
// examples, verdicts that respect the seed-to-seed spread, and sentences that
// say what their uncertainty leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StudyCell, StudyPlan } from '../../../src/shared/study';
import { studyResults, type CellOutcome } from '../../../src/engine/study/findings';
import { studyCells } from '../../../src/engine/study/studyRun';
import { studentT975 } from '../../../src/engine/math/statistics';

const EXAMPLES = 400;
/** Deterministic per-example spread with mean exactly 0 (a sawtooth), so that means are known exactly. */
const spread = (i: number, amplitude: number) => amplitude * (((i * 37) % EXAMPLES) / (EXAMPLES - 1) - 0.5);

const plan = (seeds: number[]): StudyPlan => ({
  name: 's', data: 'd', objectives: ['vae', 'iwae'], ks: [1, 5, 50], seeds, schedule: { kind: 'fixed', epochs: 1 }, evalK: 100, evalSeed: 0, trainArgs: [],
});

/** L_N of example i for a run: a common per-example level, the run's offset, and a little run-specific noise. */
function outcomes(offset: (cell: StudyCell) => number, units: (cell: StudyCell) => number = () => 10): (cell: StudyCell) => CellOutcome {
  return (cell) => ({
    perExample: Array.from({ length: EXAMPLES }, (_, i) => -90 + spread(i, 20) + offset(cell) + spread((i * 7 + cell.k) % EXAMPLES, 0.4)),
    activeUnits: units(cell),
    overfitting: cell.k / 10,
  });
}

const iwaeGain = (cell: StudyCell) => (cell.objectives.includes('vae') ? 0 : 1) * Math.log(cell.k);

test('one seed: paired differences resolve, and every sentence says training noise is not measured', () => {
  const p = plan([1]);
  const cells = studyCells(p);
  const r = studyResults(p, cells, outcomes(iwaeGain));
  assert.equal(r.examples, EXAMPLES);
  const beats5 = r.findings.find((f) => f.claim === 'IWAE has a lower test NLL than the VAE at K = 5')!;
  assert.ok(Math.abs(beats5.difference - Math.log(5)) < 1e-9, `difference ${beats5.difference}`);
  assert.equal(beats5.verdict, 'holds');
  assert.ok(beats5.pairedStandardError! > 0 && beats5.pairedStandardError! < 0.05);
  assert.equal(beats5.betweenSeedStandardError, undefined);
  for (const f of r.findings) assert.match(f.sentence, /one seed/);
  const vaeFalls = r.findings.find((f) => f.claim === "VAE's test NLL falls from K = 1 to 5")!;
  assert.equal(vaeFalls.verdict, 'not resolved', 'the VAE does not change with K here');
  assert.ok(!r.findings.some((f) => f.claim.includes('than the VAE at K = 1')), 'at K = 1 one run is both');
  const gain = r.findings.find((f) => f.claim === 'IWAE gains more from K = 1 to 50 than the VAE')!;
  assert.ok(Math.abs(gain.difference - Math.log(50)) < 1e-9);
  const units = r.findings.find((f) => f.unit === 'units')!;
  assert.equal(units.verdict, 'not resolved');
});

test('several seeds: a difference smaller than the seed-to-seed spread is not resolved; a consistent one holds', () => {
  // Seed 1 gives IWAE +3 nats at K = 5, seed 2 gives -1: mean +1, between-seed standard error 2.
  const p = plan([1, 2]);
  const noisy = studyResults(p, studyCells(p), outcomes((c) => (c.objectives.includes('vae') ? 0 : c.k === 5 ? (c.seed === 1 ? 3 : -1) : 0)));
  const f = noisy.findings.find((x) => x.claim === 'IWAE has a lower test NLL than the VAE at K = 5')!;
  assert.ok(Math.abs(f.difference - 1) < 1e-9 && Math.abs(f.betweenSeedStandardError! - 2) < 1e-9);
  assert.equal(f.verdict, 'not resolved');
  assert.match(f.sentence, /between 2 seeds/);
  const p3 = plan([1, 2, 3]);
  const consistent = studyResults(p3, studyCells(p3), outcomes((c) => (c.objectives.includes('vae') ? 0 : 2 + 0.1 * c.seed),
    (c) => (c.objectives.includes('vae') ? 10 : 20 + c.seed)));
  const g = consistent.findings.find((x) => x.claim === 'IWAE has a lower test NLL than the VAE at K = 5')!;
  assert.equal(g.verdict, 'holds');
  assert.ok(Math.abs(g.difference - 2.2) < 1e-9);
  const units = consistent.findings.find((x) => x.unit === 'units')!;
  assert.equal(units.verdict, 'holds');
  assert.ok(Math.abs(units.difference - 12) < 1e-9);
  const point = consistent.points.find((x) => x.objective === 'iwae' && x.k === 50)!;
  assert.equal(point.seeds, 3);
  assert.ok(point.testNllBetweenSeeds! > 0);
});

test('a difference against the claim does not hold', () => {
  const p = plan([1]);
  const r = studyResults(p, studyCells(p), outcomes((c) => (c.objectives.includes('vae') ? 0 : -1)));
  assert.equal(r.findings.find((f) => f.claim === 'IWAE has a lower test NLL than the VAE at K = 50')!.verdict, 'does not hold');
});

test('runs evaluated on different examples cannot be compared', () => {
  const p = plan([1]);
  const cells = studyCells(p);
  const base = outcomes(() => 0);
  assert.throws(() => studyResults(p, cells, (c) => (c.k === 50 ? { ...base(c), perExample: base(c).perExample.slice(1) } : base(c))), /same examples/);
});

test('the cells: one run per objective, K and seed, with one run for both at K = 1 unless the estimator differs', () => {
  const cells = studyCells(plan([1, 2]));
  assert.equal(cells.length, 2 * (1 + 2 + 2));
  assert.deepEqual(cells[0], { objectives: ['vae', 'iwae'], k: 1, seed: 1, run: 's-k1-s1' });
  assert.ok(cells.some((c) => c.run === 's-iwae-k50-s2'));
  assert.equal(studyCells({ ...plan([1]), trainArgs: ['--estimator', 'dreg'] }).length, 6);
});

test('t quantiles: the table, between its points, and toward the normal', () => {
  assert.equal(studentT975(1), 12.706);
  assert.equal(studentT975(10), 2.228);
  const between = studentT975(2.5);
  assert.ok(between < 4.303 && between > 3.182);
  assert.ok(Math.abs(studentT975(Infinity) - 1.959964) < 1e-6);
  assert.ok(Math.abs(studentT975(120) - 1.98) < 0.002);
  assert.throws(() => studentT975(0.5));
});

test('every finding names what it compares, so that a chart can find the paired difference it needs', () => {
  const p = plan([1]);
  const r = studyResults(p, studyCells(p), outcomes(iwaeGain));
  const kinds = r.findings.map((f) => f.about?.kind);
  assert.deepEqual(kinds, ['fallsWithK', 'fallsWithK', 'fallsWithK', 'fallsWithK', 'beatsBaseline', 'beatsBaseline', 'gainsMore', 'moreActiveUnits']);
  const beats50 = r.findings.find((f) => f.about?.kind === 'beatsBaseline' && f.about.k === 50)!;
  assert.deepEqual(beats50.about, { kind: 'beatsBaseline', objective: 'iwae', baseline: 'vae', k: 50 });
  assert.equal(beats50.claim, 'IWAE has a lower test NLL than the VAE at K = 50');
});
