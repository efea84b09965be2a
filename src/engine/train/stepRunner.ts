// Who runs the optimizer steps: the eager engine op by op, or one TensorFlow
// graph call per step (src/engine/graph). Both compute the same step from the
// same code and consume the run's sampler alike (one key per step, see
// random/sampler.ts); the trainer only sees this interface.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import type { Adam } from './adam';
import type { RunShape } from './stepPath';
import { binarize, trainStep, type StepResult } from './step';

export type { StepResult };

export interface StepRunner {
  /** One optimizer step on x [B, D] (binarized here when the run asks); the bound and ESS / n before the update. */
  step(x: Tensor, learningRate: number): StepResult;
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
}

export class EagerStepRunner implements StepRunner {
  constructor(private readonly s: StepSetup) {}

  step(x: Tensor, learningRate: number): StepResult {
    const { model, adam, objective } = this.s;
    const sampler = this.s.sampler.split();
    return tf.tidy(() => trainStep(model, adam, objective, this.s.binarize ? binarize(x, sampler) : x, sampler, learningRate));
  }

  syncEager(): void {}

  dispose(): void {}
}
