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
  /** The most steps one call of `steps` takes (1: the runner takes one step per call). */
  readonly stepsPerCall: number;
  /** The numbers of steps one call of `steps` may take, largest first (blockSizes(stepsPerCall); none with one step per call). */
  readonly blockSizes: readonly number[];
  /** One optimizer step on x [B, D] (binarized here when the run asks); the bound and ESS / n before the update. */
  step(x: Tensor, learningRate: number): StepResult;
  /** n steps on x [n, B, D], n one of blockSizes: the bound and ESS / n of each [n], exactly what as many calls of `step` give. */
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

/** At most this many steps per call: 25 ran 6-23% faster than 5 where steps are cheap (docs/benchmarks.md), and a call stays well under a second. */
const STEPS_PER_CALL_LIMIT = 25;
/** The second block size is at most this: what is left of an epoch after the large blocks is short. */
const SMALL_BLOCK_LIMIT = 5;

/**
 * Steps per call for a run reporting progress every `progressEvery` steps: the
 * largest divisor of it up to the limit, so that blocks of steps end exactly
 * where progress is reported. A call costs a few tenths of a millisecond
 * besides its kernels (the session run, the XLA launch, waking TensorFlow's
 * threads), as much as a step at batch 20, K = 1 (docs/benchmarks.md).
 */
export function stepsPerCallFor(progressEvery: number): number {
  for (let n = Math.min(STEPS_PER_CALL_LIMIT, progressEvery); n > 1; n--) if (progressEvery % n === 0) return n;
  return 1;
}

/**
 * The block sizes of a runner taking at most `stepsPerCall` steps a call,
 * largest first: that many, and its largest divisor up to SMALL_BLOCK_LIMIT.
 * Either size fills a progress interval exactly, and the small one covers most
 * of an epoch's end that the large one would overrun (an epoch of 90 steps with
 * progress every 25: three blocks of 25, three of 5).
 */
export function blockSizes(stepsPerCall: number): number[] {
  if (stepsPerCall <= 1) return [];
  for (let n = Math.min(SMALL_BLOCK_LIMIT, stepsPerCall - 1); n > 1; n--) if (stepsPerCall % n === 0) return [stepsPerCall, n];
  return [stepsPerCall];
}

export class EagerStepRunner implements StepRunner {
  readonly stepsPerCall = 1;
  readonly blockSizes = [];

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
