// The evaluation of a model on held-out examples (Burda et al. 2015), the one
// the trainer ends with and `latent-lab eval` and the extension ask for: the
// test NLL -L_N from N log weights per example; from those same log weights
// the bound-vs-K ladder, its 1/K fit and asymptote, JVI, ESS and Pareto k-hat
// (docs/diagnostics.md); and the active units. With the model, the examples,
// N and the seed, every number is fixed, whichever process computes it.
import type { Tensor } from '../tf';
import type { LogWeightAnalysis } from '../../shared/diagnostics';
import type { EvaluationResult } from '../../shared/evaluation';
import type { LatentVariableModel } from '../models/latentModel';
import { streamSampler } from '../random/streams';
import { assertFits, logLikelihoodNeed } from '../train/memoryBudget';
import type { RunShape, StepPath } from '../train/stepPath';
import { activeUnits, posteriorMeanVariances } from './activeUnits';
import { ladderFor } from '../diagnostics/boundLadder';
import { analysisPlan, analyzeLogWeights, logWeightReport, type LogWeightReport } from '../diagnostics/logWeightAnalysis';
import { estimateBounds, type EvaluationControl } from './logLikelihood';

export interface EvaluationOptions {
  /** N, log weights per example (5000 in the paper). */
  k: number;
  seed: number;
  /** Also L_N of every example. */
  perExample?: boolean;
  /** K of the jackknife estimates (default DEFAULT_JACKKNIFE_K, at most N). */
  jackknifeK?: number;
  /** Smallest K the 1/K fit may use (default: the first ladder K at or above Var(w)/E[w]^2). */
  kMin?: number;
  control?: EvaluationControl;
  /** Milliseconds, for `seconds` (default performance.now). */
  now?: () => number;
}

export interface ModelEvaluation {
  result: EvaluationResult;
  /** Cov_x(E_q[z_u]) of every layer and unit: what the active units count. */
  variances: Float32Array[];
}

/** Evaluates `model`, trained as `run`, on the held-out examples x [n, D]. Undefined if stopped. */
export async function evaluateModel(model: LatentVariableModel, x: Tensor, steps: StepPath, run: RunShape,
  o: EvaluationOptions): Promise<ModelEvaluation | undefined> {
  assertFits([logLikelihoodNeed(o.k)]);
  const now = o.now ?? (() => performance.now());
  const started = now();
  const estimator = await steps.logWeightEstimator(model, run, o.k, streamSampler(o.seed, 'logLikelihood'));
  const plan = analysisPlan(ladderFor(o.k), o.k, o.jackknifeK);
  const examples = await estimateBounds(estimator, x, (lw) => analyzeLogWeights(lw, plan), o.control);
  if (!examples) return undefined;
  const variances = await posteriorMeanVariances(model, x, streamSampler(o.seed, 'activeUnits'));
  const report = logWeightReport(o.k, plan, examples, o.kMin);
  const lN = report.ladder[report.ladder.length - 1];
  const result: EvaluationResult = {
    k: o.k, examples: x.shape[0], seed: o.seed, testNll: -lN.bound, standardError: lN.standardError,
    activeUnits: variances.map((v) => activeUnits(v)), boundVsK: report.ladder,
    ...analysisOf(report),
    stepPath: steps.evaluationChoice!, seconds: (now() - started) / 1000,
    ...(o.perExample ? { perExample: examples.map((e) => e.ladder[e.ladder.length - 1]) } : {}),
  };
  return { result, variances };
}

/** What an EvaluationResult keeps of the report: the shared shape, without the fit's combination. */
function analysisOf(r: LogWeightReport): LogWeightAnalysis {
  const fit = r.fit && (({ combination: _c, ...rest }) => rest)(r.fit);
  return { ...(fit ? { fit } : {}), ...(r.jackknife ? { jackknife: r.jackknife } : {}), weights: r.weights };
}
