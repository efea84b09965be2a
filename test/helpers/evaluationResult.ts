// An EvaluationResult with every part an evaluation has, numbers made up but
// consistent (L_K rising towards L_inf, histograms that count the examples):
// for tests of what shows and carries one, not of how it is computed.
import type { GradientSnrStudy } from '../../src/shared/diagnostics';
import type { EvaluationResult } from '../../src/shared/evaluation';

export function syntheticEvaluation(overrides: Partial<EvaluationResult> = {}): EvaluationResult {
  const examples = overrides.examples ?? 1000;
  const lInf = -86.9;
  const ks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const boundVsK = ks.map((k) => ({ k, bound: lInf - 9 / k - 2 / k ** 2, standardError: 0.2 + 0.1 / k, deltaMethodBias: -9 / k }));
  const essCounts = [0, 0, 0, 2, 10, 40, 120, 240, 300, 180, 70, 25, 8, 3, 1, 1, 0, 0, 0];
  const essEdges = Array.from({ length: essCounts.length + 1 }, (_, i) => 10 ** (-3.7 + (3.7 * i) / essCounts.length));
  const kEdges = Array.from({ length: 31 }, (_, i) => Number((-0.5 + 0.05 * i).toFixed(2)));
  const kCounts = kEdges.slice(1).map((_, i) => Math.round(examples * Math.exp(-(((i - 18) / 4) ** 2)) / 7.09));
  return {
    k: 5000, examples, seed: 0, testNll: -boundVsK[boundVsK.length - 1].bound, standardError: boundVsK[boundVsK.length - 1].standardError,
    activeUnits: [19], boundVsK,
    fit: { ks: [50, 100, 200, 500, 1000, 2000, 5000], holds: true, lInfinity: { mean: lInf, standardError: 0.21 }, interval: [lInf - 0.41, lInf + 0.41], gain: { mean: 0.0018, standardError: 0.0004 }, a: 9, b: 2 },
    jackknife: {
      k: 100, bound: { mean: boundVsK[6].bound, standardError: 0.21 }, order1: { mean: lInf - 0.01, standardError: 0.21 }, order2: { mean: lInf - 0.004, standardError: 0.21 },
      order1Gain: { mean: 0.08, standardError: 0.002 }, order2Gain: { mean: 0.086, standardError: 0.003 },
    },
    weights: {
      essFraction: { mean: 0.012, p5: 0.002, p25: 0.005, median: 0.009, p75: 0.015, p95: 0.03, histogram: { edges: essEdges, counts: essCounts } },
      relativeVariance: 120,
      paretoK: {
        distribution: { p5: 0.3, p25: 0.32, median: 0.4, p75: 0.5, p95: 0.72 }, histogram: { edges: kEdges, counts: kCounts },
        above05: kCounts.slice(20).reduce((a, b) => a + b, 0), above07: kCounts.slice(24).reduce((a, b) => a + b, 0), notEstimable: 0,
      },
    },
    stepPath: { path: 'graph' }, seconds: 12,
    ...overrides,
  };
}

/** A gradient SNR study shaped like Rainforth et al.'s result: the decoder's SNR grows like sqrt(K), the standard encoder's falls, DReG's holds. */
export function syntheticSnrStudy(): GradientSnrStudy {
  const ks = [1, 5, 50, 500];
  const summary = (mean: number) => ({ mean, p5: mean / 4, median: mean * 0.8, p95: mean * 3, parameters: 1000, constant: 0, directional: mean * 2 });
  const slope = { standard: -0.5, stl: -0.2, dreg: 0 } as const;
  const estimators = ['standard', 'stl', 'dreg'] as const;
  return {
    draws: 100, examples: 20, noiseFloor: Math.sqrt(2 / (Math.PI * 100)),
    cells: estimators.flatMap((estimator) => ks.map((k) => ({ k, estimator, encoder: summary(0.6 * k ** slope[estimator]), decoder: summary(0.3 * Math.sqrt(k)) }))),
    slopes: estimators.flatMap((estimator) => [
      { network: 'encoder' as const, estimator, slope: slope[estimator], standardError: 0.03 },
      { network: 'decoder' as const, estimator, slope: 0.5, standardError: 0.01 },
    ]),
  };
}
