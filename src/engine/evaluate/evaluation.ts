// The evaluation of a model on held-out examples (Burda et al. 2015), the one
// the trainer ends with and `latent-lab eval` and the extension ask for: the
// test NLL -L_N from N log weights per example, the bound-vs-K ladder from those
// same log weights, and the active units. With the model, the examples, N and
// the seed, every number is fixed, whichever process computes it.
import type { Tensor } from '../tf';
import type { EvaluationResult } from '../../shared/evaluation';
import type { LatentVariableModel } from '../models/latentModel';
import { streamSampler } from '../random/streams';
import { assertFits, logLikelihoodNeed } from '../train/memoryBudget';
import type { RunShape, StepPath } from '../train/stepPath';
import { activeUnits, posteriorMeanVariances } from './activeUnits';
import { ladderFor } from './boundVsK';
import { meanWithStandardError } from '../math/statistics';
import { estimateBounds, type EvaluationControl } from './logLikelihood';

export interface EvaluationOptions {
  /** N, log weights per example (5000 in the paper). */
  k: number;
  seed: number;
  /** Also L_N of every example. */
  perExample?: boolean;
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
  const ks = ladderFor(o.k);
  const bounds = await estimateBounds(estimator, x, ks, o.control);
  if (!bounds) return undefined;
  const variances = await posteriorMeanVariances(model, x, streamSampler(o.seed, 'activeUnits'));
  const boundVsK = ks.map((k, i) => {
    const { mean, standardError } = meanWithStandardError(bounds[i]);
    return { k, bound: mean, standardError };
  });
  const lN = boundVsK[boundVsK.length - 1];
  const result: EvaluationResult = {
    k: o.k, examples: x.shape[0], seed: o.seed, testNll: -lN.bound, standardError: lN.standardError,
    activeUnits: variances.map((v) => activeUnits(v)), boundVsK,
    stepPath: steps.evaluationChoice!, seconds: (now() - started) / 1000,
    ...(o.perExample ? { perExample: Array.from(bounds[bounds.length - 1]) } : {}),
  };
  return { result, variances };
}
