// Everything that defines a run, stored in its run folder and in every
// checkpoint. The schema lives in src/shared/runConfig.ts; the defaults here.
import type { DataSummary, RunConfig, TrainingConfig } from '../../shared/runConfig';

export type { DataSummary, RunConfig, TrainingConfig };

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
