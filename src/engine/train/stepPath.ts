// The step path of a process: whether its optimizer steps and its L_K
// estimates run as one TensorFlow graph call each or op by op. Whoever starts
// the process (the command line, the training and evaluation workers) makes one
// StepPath and hands it to the trainer and the evaluation, so the choice is made
// once, in one place, and train/ and evaluate/ never import the graph code:
// src/engine/graph implements this interface, eagerStepPath below is the other.
import type { StepPathChoice } from '../../shared/events';
import type { LatentVariableModel } from '../models/latentModel';
import type { ObjectiveConfig } from '../objectives/objective';
import type { Sampler } from '../random/sampler';
import { eagerLogWeightEstimator, type LogWeightEstimator } from '../evaluate/logLikelihood';
import type { RunConfig } from './runConfig';
import { EagerStepRunner, type StepRunner, type StepSetup } from './stepRunner';

export type { StepPathChoice };

/** What fixes the recorded graph of a run, besides the model: its objective, batch size and binarization. */
export interface RunShape {
  objective: ObjectiveConfig;
  batchSize: number;
  /** Redraw binary pixels from the grey levels of each batch inside the step. */
  binarize: boolean;
}

export function runShape(config: Pick<RunConfig, 'objective' | 'training' | 'data'>): RunShape {
  return { objective: config.objective, batchSize: config.training.batchSize, binarize: config.training.binarize && config.data.kind === 'unit' };
}

export interface StepPath {
  /** The process's decision, once its first runner or estimator has been made. */
  readonly choice: StepPathChoice | undefined;
  /** How its L_K estimates run (graph/graphStepPath.ts: compiled steps still estimate kernel by kernel). */
  readonly evaluationChoice: StepPathChoice | undefined;
  stepRunner(setup: StepSetup): Promise<StepRunner>;
  /** Draws N log weights per example with `model`'s current weights, for a model trained as `run`; one key of `sampler` per call. */
  logWeightEstimator(model: LatentVariableModel, run: RunShape, n: number, sampler: Sampler): Promise<LogWeightEstimator>;
  dispose(): void;
}

/** Op by op, by choice. */
export function eagerStepPath(): StepPath {
  return {
    choice: { path: 'eager' },
    evaluationChoice: { path: 'eager' },
    stepRunner: async (setup) => new EagerStepRunner(setup),
    logWeightEstimator: async (model, _run, n, sampler) => eagerLogWeightEstimator(model, n, sampler),
    dispose: () => undefined,
  };
}
