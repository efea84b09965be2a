// Everything one evaluation's log weights say, in two steps: each example's N
// log weights are reduced to a few float64 numbers as soon as they are drawn
// (analyzeExample, so the [N, B] tensor need not be kept), and the examples'
// numbers are then summarized together (logWeightReport).
import { tf, type Tensor } from '../tf';
import { DEFAULT_JACKKNIFE_K, PARETO_K_BAD, PARETO_K_GOOD, type Histogram, type LogWeightAnalysis, type Quantiles, type WeightDiagnostics } from '../../shared/diagnostics';
import { binCounts, quantile } from '../math/statistics';
import { groupedBound64, ladderBounds } from './boundLadder';
import { jackknifeBounds, type JackknifeBounds } from './jackknife';
import { effectiveSampleSize, relativeVarianceOfEss } from './importanceWeights';
import { paretoK } from './paretoK';
import { fitBoundExpansion, jackknifeEstimate, ladderPoints, type BoundExpansionFit, type LadderPoint } from './boundAsymptotics';

export interface AnalysisPlan {
  /** The ladder of K, each at most N. */
  ks: number[];
  /** K of the jackknife estimates (3 <= K <= N); none without it. */
  jackknifeK?: number;
}

/** The ladder up to N and the jackknife at min(jackknifeK, N), when N allows one. */
export function analysisPlan(ks: number[], n: number, jackknifeK = DEFAULT_JACKKNIFE_K): AnalysisPlan {
  const k = Math.min(jackknifeK, n);
  return { ks, ...(k >= 3 ? { jackknifeK: k } : {}) };
}

export interface ExampleAnalysis {
  /** L_K for each K of the plan's ladder. */
  ladder: Float64Array;
  /** L_K at the jackknife's K, and J_1, J_2 there. */
  jackknife?: { bound: number } & JackknifeBounds;
  /** (sum w)^2 / sum w^2 of all N weights. */
  ess: number;
  /** Var(w) / E[w]^2 estimated from the N weights. */
  relativeVariance: number;
  /** PSIS k-hat of the N weights; NaN when it cannot be estimated. */
  paretoK: number;
}

export function analyzeExample(logWeights: ArrayLike<number>, plan: AnalysisPlan): ExampleAnalysis {
  checkLogWeights(logWeights);
  const k = plan.jackknifeK;
  const ess = effectiveSampleSize(logWeights);
  return {
    ladder: ladderBounds(logWeights, plan.ks),
    ...(k !== undefined ? { jackknife: { bound: groupedBound64(logWeights, k), ...jackknifeBounds(logWeights, k) } } : {}),
    ess,
    relativeVariance: relativeVarianceOfEss(logWeights.length, ess),
    paretoK: paretoK(logWeights),
  };
}

export interface LogWeightReport extends LogWeightAnalysis {
  /** Log weights per example. */
  n: number;
  examples: number;
  ladder: LadderPoint[];
  fit?: BoundExpansionFit;
  /** The smallest K the fit may use: by default the first ladder K at or above Var(w) / E[w]^2, where the expansion's terms shrink. */
  kMin: number;
}

export function logWeightReport(n: number, plan: AnalysisPlan, examples: readonly ExampleAnalysis[], kMin?: number): LogWeightReport {
  if (examples.length === 0) throw new Error('no examples to report on');
  const relVars = examples.map((e) => e.relativeVariance);
  const meanRelVar = relVars.reduce((a, b) => a + b, 0) / relVars.length;
  const minK = kMin ?? plan.ks.find((k) => k >= meanRelVar) ?? Infinity;
  const ladders = examples.map((e) => e.ladder);
  // Short of four K there, the largest four show the trend, marked as outside the expansion's range.
  const fit = fitBoundExpansion(plan.ks, ladders, minK)
    ?? (kMin === undefined && plan.ks.length >= 4 ? fitBoundExpansion(plan.ks, ladders, plan.ks[plan.ks.length - 4], false) : undefined);
  const jackknife = plan.jackknifeK !== undefined
    ? jackknifeEstimate(plan.jackknifeK, examples.map((e) => e.jackknife!.bound), examples.map((e) => e.jackknife!))
    : undefined;
  return {
    n, examples: examples.length, kMin: minK,
    ladder: ladderPoints(plan.ks, ladders, relVars),
    ...(fit ? { fit } : {}),
    ...(jackknife ? { jackknife } : {}),
    weights: weightDiagnostics(n, examples, meanRelVar),
  };
}

/** Bins per decade of the ESS / N histogram. */
const ESS_BINS_PER_DECADE = 5;
const PARETO_K_BIN = 0.05;
/** The k-hat histogram spans at least [0, 1] and at most [-1, 2]; values beyond count in the end bins. */
const PARETO_K_RANGE = [-1, 2] as const;

function weightDiagnostics(n: number, examples: readonly ExampleAnalysis[], meanRelVar: number): WeightDiagnostics {
  const fractions = Float64Array.from(examples, (e) => e.ess / n).sort();
  const ks = Float64Array.from(examples.map((e) => e.paretoK).filter((k) => !Number.isNaN(k))).sort();
  return {
    essFraction: { mean: fractions.reduce((a, b) => a + b, 0) / fractions.length, ...quantiles(fractions), histogram: essHistogram(fractions, n) },
    relativeVariance: meanRelVar,
    paretoK: {
      ...(ks.length > 0 ? { distribution: quantiles(ks), histogram: paretoKHistogram(ks) } : {}),
      above05: ks.filter((k) => k > PARETO_K_GOOD).length,
      above07: ks.filter((k) => k > PARETO_K_BAD).length,
      notEstimable: examples.length - ks.length,
    },
  };
}

/** ESS / N lies in [1/N, 1]: log-spaced bins from there (from 0.1 at least) to 1. */
function essHistogram(fractions: Float64Array, n: number): Histogram {
  const lo = Math.log10(Math.min(1 / n, 0.1));
  const bins = Math.ceil(-lo * ESS_BINS_PER_DECADE);
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : 10 ** (lo + (-lo * i) / bins)));
  return { edges, counts: binCounts(fractions, edges) };
}

function paretoKHistogram(sorted: Float64Array): Histogram {
  const lo = Math.max(PARETO_K_RANGE[0], Math.min(0, Math.floor(sorted[0] / PARETO_K_BIN) * PARETO_K_BIN));
  const hi = Math.min(PARETO_K_RANGE[1], Math.max(1, Math.ceil(sorted[sorted.length - 1] / PARETO_K_BIN) * PARETO_K_BIN));
  const bins = Math.round((hi - lo) / PARETO_K_BIN);
  const edges = Array.from({ length: bins + 1 }, (_, i) => Number((lo + i * PARETO_K_BIN).toFixed(2)));
  return { edges, counts: binCounts(sorted, edges) };
}

function quantiles(sorted: Float64Array): Quantiles {
  return { p5: quantile(sorted, 0.05), p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p95: quantile(sorted, 0.95) };
}

/** analyzeExample for every column of log weights lw [N, B], read back from the tensor (not inside a step). */
export function analyzeLogWeights(lw: Tensor, plan: AnalysisPlan): Promise<ExampleAnalysis[]> {
  return perColumn(lw, (column) => analyzeExample(column, plan));
}

/** L_N of every column of lw [N, B] alone (the ladder's last K of analyzeLogWeights, the same number): what a per-epoch -L_N needs. */
export function logWeightBounds(lw: Tensor): Promise<number[]> {
  return perColumn(lw, (column) => {
    checkLogWeights(column);
    return groupedBound64(column, column.length);
  });
}

async function perColumn<T>(lw: Tensor, f: (column: Float32Array) => T): Promise<T[]> {
  const [n, b] = lw.shape;
  const rows = tf.tidy(() => lw.transpose()); // [B, N]
  const values = await rows.data() as Float32Array;
  rows.dispose();
  return Array.from({ length: b }, (_, i) => f(values.subarray(i * n, (i + 1) * n)));
}

/** A NaN or +inf log weight is a broken model or input, not a draw: say which, rather than report a bound. */
function checkLogWeights(logWeights: ArrayLike<number>): void {
  for (let i = 0; i < logWeights.length; i++) {
    if (Number.isNaN(logWeights[i]) || logWeights[i] === Infinity) throw new Error(`log weight ${i} of ${logWeights.length} is ${logWeights[i]}`);
  }
}
