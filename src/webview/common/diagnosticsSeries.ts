// What the diagnostics charts plot, from the shared shapes: the ladder of L_K
// with its error bars, the fitted L_inf - a/K - b/K^2, the asymptote and its
// interval, the jackknife points, histograms as steps, and the SNR of each
// network and estimator against K. Pure, for tests; `sign` -1 shows -L_K (NLL).
import type { GradientSnrStudy, Histogram, LogWeightAnalysis, Network } from '../../shared/diagnostics';
import type { BoundAtK } from '../../shared/evaluation';
import type { GradientEstimator } from '../../shared/runConfig';
import type { Point } from './charts';

/** What the bound-vs-K panel draws: the ladder up to N and, when known, what the same log weights say. */
export interface BoundVsKData {
  ladder: readonly BoundAtK[];
  analysis?: LogWeightAnalysis;
}

/** How the panel's y axis shows bounds: as they are, as NLL = -bound, or as NLL on a log axis (which drops values <= 0). */
export type BoundAxis = 'bound' | 'nll' | 'nllLog';

export interface ErrorSeries {
  points: Point[];
  /** Half-width of each point's error bar: 1.96 standard errors, a 95% interval. */
  errors: number[];
}

export interface BoundVsKSeries {
  ladder: ErrorSeries;
  /** The fitted curve over the K it was fitted on, densely in log K. */
  fit: Point[];
  /** L_inf across the ladder's K range, and the two edges of its 95% interval. */
  asymptote: Point[];
  band: [Point[], Point[]];
  /** J_1 and J_2 at the jackknife's K, a little apart on the log axis so both show. */
  jackknife: [ErrorSeries, ErrorSeries] | [];
  /** Points a log axis cannot show. */
  hidden: number;
}

/** The normal quantile of a 95% interval: error bars are +- Z95 standard errors. */
export const Z95 = 1.96;
const FIT_POINTS = 48;

export function boundVsKSeries(data: BoundVsKData, axis: BoundAxis): BoundVsKSeries {
  const sign = axis === 'bound' ? 1 : -1;
  let hidden = 0;
  const keep = (s: ErrorSeries): ErrorSeries => {
    if (axis !== 'nllLog') return s;
    const ok = s.points.map((p) => p.y > 0);
    hidden += ok.filter((v) => !v).length;
    return { points: s.points.filter((_, i) => ok[i]), errors: s.errors.filter((_, i) => ok[i]) };
  };
  const line = (points: Point[]) => (axis === 'nllLog' ? points.filter((p) => p.y > 0) : points);
  const ladder = keep({
    points: data.ladder.map((b) => ({ x: b.k, y: sign * b.bound })),
    errors: data.ladder.map((b) => Z95 * b.standardError),
  });
  const ks = data.ladder.map((b) => b.k);
  const [lo, hi] = [Math.min(...ks), Math.max(...ks)];
  const { fit, jackknife } = data.analysis ?? {};
  const across = (v: number): Point[] => (ks.length ? [{ x: lo, y: sign * v }, { x: hi, y: sign * v }] : []);
  const from = fit ? fit.ks[0] : 0;
  const curve = fit
    ? Array.from({ length: FIT_POINTS }, (_, i) => {
      const k = from * (hi / from) ** (i / (FIT_POINTS - 1));
      return { x: k, y: sign * (fit.lInfinity.mean - fit.a / k - fit.b / k ** 2) };
    })
    : [];
  const jk = (estimate: { mean: number; standardError: number }, shift: number): ErrorSeries =>
    keep({ points: [{ x: jackknife!.k * shift, y: sign * estimate.mean }], errors: [Z95 * estimate.standardError] });
  return {
    ladder,
    fit: line(curve),
    asymptote: fit ? line(across(fit.lInfinity.mean)) : [],
    band: fit ? [line(across(fit.interval[0])), line(across(fit.interval[1]))] : [[], []],
    jackknife: jackknife ? [jk(jackknife.order1, 0.9), jk(jackknife.order2, 1 / 0.9)] : [],
    hidden,
  };
}

/** A histogram as the corners of its steps (Chart.js `stepped: 'after'`): each bin's count from its left edge, the last carried to the right edge. */
export function histogramSteps(h: Histogram): Point[] {
  return [...h.counts.map((c, i) => ({ x: h.edges[i], y: c })), { x: h.edges[h.edges.length - 1], y: h.counts[h.counts.length - 1] ?? 0 }];
}

export interface SnrLine {
  network: Network;
  estimator: GradientEstimator;
  /** Mean SNR over the network's parameters at each K. */
  points: Point[];
  /** The log-log slope with its bootstrap standard error, when the study has two K or more. */
  slope?: { slope: number; standardError: number };
}

/** One line per (network, estimator), in the study's order: the chart's log-log picture of SNR against K. */
export function snrLines(s: GradientSnrStudy): SnrLine[] {
  const estimators = [...new Set(s.cells.map((c) => c.estimator))];
  return (['encoder', 'decoder'] as const).flatMap((network) => estimators.map((estimator) => {
    const cells = s.cells.filter((c) => c.estimator === estimator).sort((a, b) => a.k - b.k);
    const slope = s.slopes.find((p) => p.network === network && p.estimator === estimator);
    return { network, estimator, points: cells.map((c) => ({ x: c.k, y: c[network].mean })), ...(slope ? { slope } : {}) };
  }));
}
