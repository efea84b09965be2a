// Everything one evaluation's log weights say, in two steps: each example's N
// log weights are reduced to a few numbers as soon as they are drawn
// (analyzeExample, so the [N, B] tensor need not be kept), and the examples'
// numbers are then summarized together (logWeightReport).
import { tf, type Tensor } from '../tf';
import { quantile } from '../math/statistics';
import { groupedBound64, ladderBounds } from './boundLadder';
import { jackknifeBounds, type JackknifeBounds } from './jackknife';
import { effectiveSampleSize, relativeVariance } from './importanceWeights';
import { PARETO_K_BAD, PARETO_K_GOOD, paretoK } from './paretoK';
import { fitBoundExpansion, jackknifeEstimate, ladderPoints, type BoundExpansionFit, type JackknifeEstimate, type LadderPoint } from './boundAsymptotics';

/** Where the jackknife is evaluated by default: order 2 costs N K / 2 log1p's per example. */
export const DEFAULT_JACKKNIFE_K = 100;

export interface AnalysisPlan {
  /** The ladder of K, each at most N. */
  ks: number[];
  /** K of the jackknife estimates (3 <= K <= N). */
  jackknifeK: number;
}

export interface ExampleAnalysis {
  /** L_K for each K of the plan's ladder. */
  ladder: Float64Array;
  /** L_K at the jackknife's K. */
  jackknifeBound: number;
  jackknife: JackknifeBounds;
  /** (sum w)^2 / sum w^2 of all N weights. */
  ess: number;
  /** Var(w) / E[w]^2 estimated from the N weights. */
  relativeVariance: number;
  /** PSIS k-hat of the N weights; NaN when it cannot be estimated. */
  paretoK: number;
}

export function analyzeExample(logWeights: ArrayLike<number>, plan: AnalysisPlan): ExampleAnalysis {
  for (let i = 0; i < logWeights.length; i++) {
    if (Number.isNaN(logWeights[i]) || logWeights[i] === Infinity) throw new Error(`log weight ${i} of ${logWeights.length} is ${logWeights[i]}`);
  }
  return {
    ladder: ladderBounds(logWeights, plan.ks),
    jackknifeBound: groupedBound64(logWeights, plan.jackknifeK),
    jackknife: jackknifeBounds(logWeights, plan.jackknifeK),
    ess: effectiveSampleSize(logWeights),
    relativeVariance: relativeVariance(logWeights),
    paretoK: paretoK(logWeights),
  };
}

export interface Distribution {
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
}

export interface WeightDiagnostics {
  /** ESS / N over the examples. */
  essFraction: Distribution & { mean: number };
  /** Mean over examples of Var(w) / E[w]^2. */
  relativeVariance: number;
  paretoK: {
    /** Over the examples where it could be estimated. */
    distribution?: Distribution;
    /** Examples with k-hat above 0.5 (infinite variance likely) and above 0.7 (L_N unreliable). */
    above05: number;
    above07: number;
    /** Examples whose tail could not be fitted (fewer than 5 distinct tail weights, e.g. all weights equal). */
    notEstimable: number;
  };
}

export interface LogWeightReport {
  /** Log weights per example. */
  n: number;
  examples: number;
  ladder: LadderPoint[];
  /** Absent when fewer than four ladder points reach K >= kMin: the 1/K expansion does not hold on this ladder yet. */
  fit?: BoundExpansionFit;
  /** The smallest K the fit may use: by default the first ladder K at or above Var(w) / E[w]^2, where the expansion's terms shrink. */
  kMin: number;
  jackknife: JackknifeEstimate;
  weights: WeightDiagnostics;
}

export function logWeightReport(n: number, plan: AnalysisPlan, examples: readonly ExampleAnalysis[], kMin?: number): LogWeightReport {
  if (examples.length === 0) throw new Error('no examples to report on');
  const relVars = examples.map((e) => e.relativeVariance);
  const meanRelVar = relVars.reduce((a, b) => a + b, 0) / relVars.length;
  const minK = kMin ?? plan.ks.find((k) => k >= meanRelVar) ?? Infinity;
  const ladders = examples.map((e) => e.ladder);
  return {
    n, examples: examples.length,
    ladder: ladderPoints(plan.ks, ladders, relVars),
    fit: fitBoundExpansion(plan.ks, ladders, minK),
    kMin: minK,
    jackknife: jackknifeEstimate(plan.jackknifeK, examples.map((e) => e.jackknifeBound), examples.map((e) => e.jackknife)),
    weights: weightDiagnostics(n, examples, meanRelVar),
  };
}

function weightDiagnostics(n: number, examples: readonly ExampleAnalysis[], meanRelVar: number): WeightDiagnostics {
  const fractions = Float64Array.from(examples, (e) => e.ess / n).sort();
  const ks = Float64Array.from(examples.map((e) => e.paretoK).filter((k) => !Number.isNaN(k))).sort();
  return {
    essFraction: { mean: fractions.reduce((a, b) => a + b, 0) / fractions.length, ...distribution(fractions) },
    relativeVariance: meanRelVar,
    paretoK: {
      distribution: ks.length > 0 ? distribution(ks) : undefined,
      above05: ks.filter((k) => k > PARETO_K_GOOD).length,
      above07: ks.filter((k) => k > PARETO_K_BAD).length,
      notEstimable: examples.length - ks.length,
    },
  };
}

function distribution(sorted: Float64Array): Distribution {
  return { p5: quantile(sorted, 0.05), p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p95: quantile(sorted, 0.95) };
}

/** analyzeExample for every column of log weights lw [N, B], read back from the tensor (not inside a step). */
export async function analyzeLogWeights(lw: Tensor, plan: AnalysisPlan): Promise<ExampleAnalysis[]> {
  const [n, b] = lw.shape;
  const rows = tf.tidy(() => lw.transpose()); // [B, N]
  const values = await rows.data();
  rows.dispose();
  return Array.from({ length: b }, (_, i) => analyzeExample(values.subarray(i * n, (i + 1) * n), plan));
}
