// What a K study found, computed from its runs' numbers: for each objective
// and K the test NLL (over seeds), active units and overfitting, and the
// claims the question is about (does NLL fall with K, does the IWAE beat the
// VAE at the same K, does it gain more from K), each with a verdict.
//
// A difference between two runs is paired over the test examples (every run
// is evaluated on the same ones), so its standard error over the examples is
// small; but training noise, the spread from seed to seed, is often larger.
// With several seeds a claim holds only when its 95% interval, from both
// errors (Welch-Satterthwaite degrees of freedom), excludes zero. With one
// seed training noise is not measured, and every finding says so.
import type { Finding, FindingSubject, StudyCell, StudyObjective, StudyPlan, StudyPoint, StudyResults, Verdict } from '../../shared/study';
import { meanWithStandardError, studentT975 } from '../math/statistics';

/** What a study needs from one finished and evaluated run. */
export interface CellOutcome {
  /** L_N of every test example, in the test set's order. */
  perExample: readonly number[];
  /** Of the first stochastic layer. */
  activeUnits: number;
  /** The last epoch's training bound minus the same bound held out. */
  overfitting: number;
}

const NAMES: Record<StudyObjective, string> = { vae: 'VAE', iwae: 'IWAE' };

export function studyResults(plan: StudyPlan, cells: readonly StudyCell[], outcomeOf: (cell: StudyCell) => CellOutcome): StudyResults {
  const bySeed = (o: StudyObjective, k: number) => plan.seeds.map((seed) => {
    const cell = cells.find((c) => c.k === k && c.seed === seed && c.objectives.includes(o));
    if (!cell) throw new Error(`the study has no run for ${o} K=${k} seed ${seed}`);
    return outcomeOf(cell);
  });
  const examples = outcomeOf(cells[0]).perExample.length;
  for (const c of cells) {
    if (outcomeOf(c).perExample.length !== examples) throw new Error(`${c.run} was evaluated on ${outcomeOf(c).perExample.length} examples, ${cells[0].run} on ${examples}: paired comparisons need the same examples`);
  }
  const ks = [...plan.ks].sort((a, b) => a - b);
  const points: StudyPoint[] = plan.objectives.flatMap((objective) => ks.map((k) => point(objective, k, bySeed(objective, k))));
  const findings: Finding[] = [];
  const lower = (a: readonly CellOutcome[], b: readonly CellOutcome[]) => a.map((x, s) => x.perExample.map((v, i) => v - b[s].perExample[i]));
  for (const o of plan.objectives) {
    for (let j = 1; j < ks.length; j++) {
      findings.push(natsFinding(`${NAMES[o]}'s test NLL falls from K = ${ks[j - 1]} to ${ks[j]}`, { kind: 'fallsWithK', objective: o, from: ks[j - 1], to: ks[j] },
        lower(bySeed(o, ks[j]), bySeed(o, ks[j - 1])), examples));
    }
  }
  const [base, ...others] = plan.objectives;
  for (const o of others) {
    for (const k of ks) {
      if (sameRuns(cells, o, base, k)) continue;
      findings.push(natsFinding(`${NAMES[o]} has a lower test NLL than the ${NAMES[base]} at K = ${k}`, { kind: 'beatsBaseline', objective: o, baseline: base, k },
        lower(bySeed(o, k), bySeed(base, k)), examples));
    }
    if (ks.length > 1) {
      const [first, last] = [ks[0], ks[ks.length - 1]];
      const gainOf = (obj: StudyObjective) => lower(bySeed(obj, last), bySeed(obj, first));
      const mine = gainOf(o), theirs = gainOf(base);
      findings.push(natsFinding(`${NAMES[o]} gains more from K = ${first} to ${last} than the ${NAMES[base]}`, { kind: 'gainsMore', objective: o, baseline: base, from: first, to: last },
        mine.map((d, s) => d.map((v, i) => v - theirs[s][i])), examples));
    }
    const last = ks[ks.length - 1];
    if (!sameRuns(cells, o, base, last)) {
      const units = bySeed(o, last).map((x, s) => x.activeUnits - bySeed(base, last)[s].activeUnits);
      findings.push(unitsFinding(`${NAMES[o]} has more active units than the ${NAMES[base]} at K = ${last}`, { kind: 'moreActiveUnits', objective: o, baseline: base, k: last }, units));
    }
  }
  return { examples, points, findings };
}

/** Whether one run stands for both objectives at K (K = 1). */
function sameRuns(cells: readonly StudyCell[], a: StudyObjective, b: StudyObjective, k: number): boolean {
  return cells.some((c) => c.k === k && c.objectives.includes(a) && c.objectives.includes(b));
}

function point(objective: StudyObjective, k: number, runs: readonly CellOutcome[]): StudyPoint {
  const perSeed = runs.map((r) => meanWithStandardError(r.perExample));
  const nll = perSeed.map((e) => -e.mean);
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    objective, k, seeds: runs.length,
    testNll: { mean: mean(nll), standardError: Math.sqrt(perSeed.reduce((s, e) => s + e.standardError ** 2, 0)) / runs.length },
    ...(runs.length > 1 ? { testNllBetweenSeeds: meanWithStandardError(nll).standardError } : {}),
    activeUnits: mean(runs.map((r) => r.activeUnits)),
    overfitting: mean(runs.map((r) => r.overfitting)),
  };
}

/** A claim whose quantity is, per seed, the mean over examples of `differences[s]` (positive: the claim is true). */
function natsFinding(claim: string, about: FindingSubject, differences: readonly number[][], examples: number): Finding {
  const perSeed = differences.map((d) => meanWithStandardError(d));
  const seeds = perSeed.length;
  const difference = perSeed.reduce((s, e) => s + e.mean, 0) / seeds;
  const paired = Math.sqrt(perSeed.reduce((s, e) => s + e.standardError ** 2, 0)) / seeds;
  const between = seeds > 1 ? meanWithStandardError(perSeed.map((e) => e.mean)).standardError : undefined;
  const { verdict, halfWidth } = judge(difference, paired, between, seeds);
  const numbers = between === undefined
    ? `${fixed(difference)} ± ${fixed(paired)} nats (standard error over the ${examples} test examples, paired; one seed, so training noise is not measured)`
    : `${fixed(difference)} nats, ± ${fixed(paired)} over the ${examples} test examples and ± ${fixed(between)} between ${seeds} seeds (95% interval ${fixed(difference - halfWidth)} .. ${fixed(difference + halfWidth)})`;
  return { claim, about, verdict, difference, pairedStandardError: paired, ...(between === undefined ? {} : { betweenSeedStandardError: between }), unit: 'nats', sentence: `${verdict}: ${claim}: ${numbers}` };
}

function unitsFinding(claim: string, about: FindingSubject, perSeed: readonly number[]): Finding {
  const seeds = perSeed.length;
  const difference = perSeed.reduce((a, b) => a + b, 0) / seeds;
  if (seeds === 1) {
    return { claim, about, verdict: 'not resolved', difference, unit: 'units', sentence: `not resolved: ${claim}: ${signed(difference, 0)} units with one seed, which does not measure training noise` };
  }
  const between = meanWithStandardError(perSeed).standardError;
  const { verdict, halfWidth } = judge(difference, 0, between, seeds);
  return {
    claim, about, verdict, difference, betweenSeedStandardError: between, unit: 'units',
    sentence: `${verdict}: ${claim}: ${signed(difference, 1)} ± ${fixed(between, 1)} units between ${seeds} seeds (95% interval ${fixed(difference - halfWidth, 1)} .. ${fixed(difference + halfWidth, 1)})`,
  };
}

/** The 95% interval from the paired and between-seed errors, with Welch-Satterthwaite degrees of freedom
 * (the paired error's are the examples', effectively infinite). */
function judge(difference: number, paired: number, between: number | undefined, seeds: number): { verdict: Verdict; halfWidth: number } {
  const b2 = (between ?? 0) ** 2, p2 = paired ** 2;
  const total = Math.sqrt(b2 + p2);
  const df = between === undefined || b2 === 0 ? Infinity : (seeds - 1) * ((b2 + p2) / b2) ** 2;
  const halfWidth = studentT975(df) * total;
  const verdict: Verdict = difference - halfWidth > 0 ? 'holds' : difference + halfWidth < 0 ? 'does not hold' : 'not resolved';
  return { verdict, halfWidth };
}

const fixed = (v: number, digits = 2) => v.toFixed(digits);
const signed = (v: number, digits: number) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
