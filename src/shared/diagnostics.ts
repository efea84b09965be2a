// What the diagnostics of a checkpoint report (docs/diagnostics.md), in the
// shapes every channel carries: the analysis of an evaluation's log weights
// (the 1/K fit of the bound and its asymptote, JVI, ESS and Pareto k-hat, part
// of every EvaluationResult and of the trainer's boundVsK event) and the
// signal-to-noise ratio of the gradient estimators (`latent-lab analyze
// gradients --json`, the inspector's Analyze Gradients).
import { z } from 'zod';
import { GradientEstimator } from './runConfig';

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

/** A mean over examples with its standard error across them. */
export const Estimate = z.object({ mean: finite, standardError: finite });
export type Estimate = z.infer<typeof Estimate>;

/** L_K ~ L_inf - a/K - b/K^2, fitted to the ladder of L_K weighted by their standard errors. */
export const BoundFit = z.object({
  /** The ladder's K that entered the fit: those at or above Var(w)/E[w]^2 (or the K asked for); else the largest four. */
  ks: z.array(positiveInt).min(4),
  /**
   * Whether the fit's K reach Var(w)/E[w]^2 (or were asked for), where the expansion can hold. When
   * they do not, the fit is the ladder's largest four K extrapolated: a picture of the trend, not an
   * estimate of log p(x) (the weights' variance is too large, or infinite: read k-hat).
   */
  holds: z.boolean(),
  /** The extrapolated log p(x), with its standard error across examples. */
  lInfinity: Estimate,
  /** 95% interval of L_inf (normal, +- 1.96 standard errors). */
  interval: z.tuple([finite, finite]),
  /** L_inf - L_N, paired over the examples: what the extrapolation adds to the largest K. */
  gain: Estimate,
  a: finite,
  b: finite,
});
export type BoundFit = z.infer<typeof BoundFit>;

/** Jackknife variational inference (Nowozin 2018) of orders 1 and 2 at one K, over the examples. */
export const JackknifeEstimate = z.object({
  k: positiveInt,
  /** L_K at this K, for comparison. */
  bound: Estimate,
  order1: Estimate,
  order2: Estimate,
  /** J_m - L_K, paired over the examples. */
  order1Gain: Estimate,
  order2Gain: Estimate,
});
export type JackknifeEstimate = z.infer<typeof JackknifeEstimate>;

export const Quantiles = z.object({ p5: finite, p25: finite, median: finite, p75: finite, p95: finite });
export type Quantiles = z.infer<typeof Quantiles>;

/** counts[i] values in [edges[i], edges[i + 1]) (the last bin includes its right edge). */
export const Histogram = z.object({ edges: z.array(finite).min(2), counts: z.array(count) })
  .refine((h) => h.counts.length === h.edges.length - 1, 'a histogram has one count per pair of edges');
export type Histogram = z.infer<typeof Histogram>;

/** How evenly the examples' N importance weights share their mass. */
export const WeightDiagnostics = z.object({
  /** ESS / N over the examples; the histogram's bins are log-spaced between 1/N and 1. */
  essFraction: Quantiles.extend({ mean: finite, histogram: Histogram }),
  /** Mean over examples of Var(w) / E[w]^2, estimated as N / ESS - 1. */
  relativeVariance: finite,
  paretoK: z.object({
    /** Over the examples where k-hat could be estimated; absent when none could. */
    distribution: Quantiles.optional(),
    /** Bins of width 0.05. */
    histogram: Histogram.optional(),
    /** Examples with k-hat above 0.5 (infinite variance likely) and above 0.7 (L_N not reliable). */
    above05: count,
    above07: count,
    /** Examples whose tail could not be fitted (fewer than 5 distinct tail weights, e.g. all weights equal). */
    notEstimable: count,
  }),
});
export type WeightDiagnostics = z.infer<typeof WeightDiagnostics>;

/** Thresholds k-hat is read against (Vehtari et al.). */
export const PARETO_K_GOOD = 0.5;
export const PARETO_K_BAD = 0.7;

/** Where the jackknife is evaluated by default: order 2 costs N K / 2 log1p's per example. */
export const DEFAULT_JACKKNIFE_K = 100;

/** What an evaluation's log weights say beyond the ladder of L_K itself. */
export const LogWeightAnalysis = z.object({
  /** Absent when the ladder has fewer than four K, or fewer than four reach a smallest K asked for. */
  fit: BoundFit.optional(),
  /** Absent when N < 3. */
  jackknife: JackknifeEstimate.optional(),
  weights: WeightDiagnostics,
});
export type LogWeightAnalysis = z.infer<typeof LogWeightAnalysis>;

export const Network = z.enum(['encoder', 'decoder']);
export type Network = z.infer<typeof Network>;

/** SNR = |E[Delta]| / sd[Delta] of one network's parameters, over the gradient draws of one (K, estimator). */
export const SnrSummary = z.object({
  /** Mean over the network's parameters. */
  mean: finite,
  p5: finite,
  median: finite,
  p95: finite,
  /** Parameters summarized, and those left out because every draw gave the same value (SNR undefined). */
  parameters: count,
  constant: count,
  /** E[|Delta_par| / |Delta_perp|], the mean direction estimated without the draw it is compared with. */
  directional: finite,
});
export type SnrSummary = z.infer<typeof SnrSummary>;

export const SnrCell = z.object({ k: positiveInt, estimator: GradientEstimator, encoder: SnrSummary, decoder: SnrSummary });
export type SnrCell = z.infer<typeof SnrCell>;

export const SnrSlope = z.object({
  network: Network,
  estimator: GradientEstimator,
  /** d log(mean SNR) / d log K, least squares over the cells' K. */
  slope: finite,
  /** Across bootstrap resamples of each cell's draws. */
  standardError: finite,
});
export type SnrSlope = z.infer<typeof SnrSlope>;

export const GradientSnrStudy = z.object({
  draws: positiveInt,
  /** Held-out examples in the batch the gradients are taken on. */
  examples: positiveInt,
  /** E|mean| / sd of a parameter whose gradient has mean 0, sqrt(2 / (pi draws)): no mean SNR is read below it. */
  noiseFloor: finite,
  cells: z.array(SnrCell),
  slopes: z.array(SnrSlope),
});
export type GradientSnrStudy = z.infer<typeof GradientSnrStudy>;
