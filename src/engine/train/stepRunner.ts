// Who runs the optimizer steps: the eager engine op by op, or one TensorFlow
// graph call per step (src/engine/graph). Both compute the same step from the
// same code and consume the run's sampler alike (one key per step, see
// random/sampler.ts); the trainer only sees this interface.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import type { Adam } from './adam';
import type { RunShape } from './stepPath';
import { binarize, trainStep, type StepResult, type StepsResult } from './step';

export interface StepRunner {
  /** Steps one call of `steps` takes (1: the runner takes one step per call). */
  readonly stepsPerCall: number;
  /** One optimizer step on x [B, D] (binarized here when the run asks); the bound and ESS / n before the update. */
  step(x: Tensor, learningRate: number): StepResult;
  /** stepsPerCall steps on x [stepsPerCall, B, D]: the bound and ESS / n of each [stepsPerCall], exactly what as many calls of `step` give. */
  steps(x: Tensor, learningRate: number): StepsResult;
  /** Makes the eager model and Adam hold the current state, before they are evaluated or saved. */
  syncEager(): void;
  dispose(): void;
}

export interface StepSetup extends RunShape {
  model: LatentVariableModel;
  adam: Adam;
  sampler: Sampler;
  /** N of the run's test NLL, which a graph runner records beside the step so that one decision covers both. */
  evalK: number;
  /** The most steps one call may take (default 1); see stepsPerCallFor. */
  stepsPerCall?: number;
}

/** More steps per call than this buy nothing measurable: the call's own cost is already small beside them. */
const STEPS_PER_CALL_LIMIT = 8;

/**
 * Steps per call for a run reporting progress every `progressEvery` steps: the
 * largest divisor of it up to the limit, so that blocks of steps end exactly
 * where progress is reported. One call costs about 0.1 ms besides its kernels
 * (the session run, the XLA launch, waking TensorFlow's threads), a sixth of a
 * step at batch 20, K = 1 (docs/benchmarks.md).
 */
export function stepsPerCallFor(progressEvery: number): number {
  for (let n = Math.min(STEPS_PER_CALL_LIMIT, progressEvery); n > 1; n--) if (progressEvery % n === 0) return n;
  return 1;
}

export class EagerStepRunner implements StepRunner {
  readonly stepsPerCall = 1;

  constructor(private readonly s: StepSetup) {}

  step(x: Tensor, learningRate: number): StepResult {
    const { model, adam, objective } = this.s;
    const sampler = this.s.sampler.split();
    return tf.tidy(() => trainStep(model, adam, objective, this.s.binarize ? binarize(x, sampler) : x, sampler, learningRate));
  }

  steps(x: Tensor, learningRate: number): StepsResult {
    return tf.tidy(() => {
      const each = tf.unstack(x).map((xi) => this.step(xi, learningRate));
      return { bound: tf.stack(each.map((r) => r.bound)), essFraction: tf.stack(each.map((r) => r.essFraction)) };
    });
  }

  syncEager(): void {}

  dispose(): void {}
}
