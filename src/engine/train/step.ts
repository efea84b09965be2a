// One optimizer step: the estimator's gradient, then Adam. Pure tensor ops:
// nothing is read back to JavaScript here.
import { tf, type Scalar, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { ObjectiveConfig } from '../objectives/objective';
import type { Sampler } from '../random/sampler';
import { surrogate } from '../objectives/estimators';
import { effectiveSampleFraction } from '../diagnostics/importanceWeights';
import type { Adam } from './adam';

/** What a step reports, before its update: two scalars the caller disposes. (A type, not an interface, so that tf.tidy may return it.) */
export type StepResult = {
  /** The batch-mean bound. */
  bound: Scalar;
  /** The batch mean of ESS / n of each example's n log weights: how evenly the step's samples share the weight. */
  essFraction: Scalar;
};

/** What a call of n steps reports: the bound and ESS / n of each step, [n] tensors the caller disposes. */
export type StepsResult = { bound: Tensor; essFraction: Tensor };

export function trainStep(model: LatentVariableModel, adam: Adam, objective: ObjectiveConfig, x: Tensor, sampler: Sampler, learningRate: number): StepResult {
  return tf.tidy(() => {
    const { bound, essFraction, grads } = boundAndGradients(model, objective, x, sampler);
    adam.apply(grads, learningRate);
    return { bound, essFraction };
  });
}

/** The step's report and the estimator's gradient for every parameter, by name. */
export function boundAndGradients(model: LatentVariableModel, objective: ObjectiveConfig, x: Tensor, sampler: Sampler): StepResult & { grads: Record<string, Tensor> } {
  let retained: Tensor[] = [];
  let report: StepResult | undefined;
  const { grads } = tf.variableGrads(() => {
    const s = surrogate(model, objective, x, sampler);
    retained = s.retained;
    report = { bound: tf.keep(s.bound.mean() as Scalar), essFraction: tf.keep(effectiveSampleFraction(s.logWeights).mean() as Scalar) };
    return s.loss;
  }, [...model.params.values()]);
  tf.dispose(retained);
  return { ...report!, grads: Object.fromEntries([...model.params].map(([name, v]) => [name, grads[v.name]])) };
}

/** Dynamic binarization (Burda et al.): each grey level is the probability of a 1, redrawn every step. */
export function binarize(x: Tensor, sampler: Sampler): Tensor {
  return tf.tidy(() => sampler.uniform(x.shape).less(x).toFloat());
}
