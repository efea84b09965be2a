// Everything that defines a run, stored in its run folder and in every checkpoint.
import type { ModelConfig } from '../models/config';
import type { ObjectiveConfig } from '../objectives/objective';
import type { ValueKind } from '../data/dataset';
import type { Schedule } from './schedule';

export interface TrainingConfig {
  schedule: Schedule;
  batchSize: number;
  seed: number;
  /** Redraw binary pixels from grey levels at every step (data of kind `unit`). */
  binarize: boolean;
  /** Steps between progress events. */
  progressEvery: number;
  /** Held-out examples for the per-epoch bounds (0 = all). */
  evalExamples: number;
  /** K of the test NLL estimate -L_K (5000 in the paper). */
  evalK: number;
  /** Epochs between test NLL estimates during training (0 = only at the end). */
  nllEvery: number;
  /** Held-out examples for the test NLL (0 = all). */
  nllExamples: number;
  /** Also checkpoint mid-epoch when this much time has passed since the last one. */
  checkpointSeconds: number;
}

export interface DataSummary {
  path: string;
  /** sha256 of the training values, to tell whether a resume sees the same data. */
  fingerprint: string;
  trainSize: number;
  testSize: number;
  dim: number;
  kind: ValueKind;
  imageShape?: [number, number];
  /** Values per pixel of colour images (absent: 1): a PNG folder read with `colour`. */
  channels?: number;
}

export interface RunConfig {
  format: 'latent-lab-run';
  version: 1;
  runId: string;
  model: ModelConfig;
  objective: ObjectiveConfig;
  training: TrainingConfig;
  data: DataSummary;
}

export const DEFAULT_TRAINING: Omit<TrainingConfig, 'schedule' | 'seed'> = {
  batchSize: 20,
  binarize: true,
  progressEvery: 25,
  evalExamples: 500,
  evalK: 5000,
  nllEvery: 0,
  nllExamples: 0,
  checkpointSeconds: 60,
};
