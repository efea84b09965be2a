// run.json: what a run is and how it stands. The trainer writes it at every
// checkpoint and at the end; the host marks a run whose process died; the
// runs view, the experiment dashboard, the inspector, the commands and
// `latent-lab inspect` read it, all through this schema
// (src/engine/train/runDir.ts, readRunRecord).
import { z } from 'zod';
import { RunStatus, StepPathChoice } from './events';
import { RecordedEvaluation } from './evaluation';
import { RunConfig } from './runConfig';

const finite = z.number().finite();
const count = z.number().int().nonnegative();

export const RUN_RECORD_FORMAT = 'latent-lab-run-record';

export const RunRecord = z.object({
  format: z.literal(RUN_RECORD_FORMAT),
  runId: z.string(),
  status: RunStatus,
  /** Why the run failed or stopped, in a sentence. */
  message: z.string().optional(),
  config: RunConfig,
  created: z.string(),
  updated: z.string(),
  step: count,
  epoch: count,
  /** The best held-out L_K (the run's own K) and the epoch it came after. */
  best: z.object({ testIwae: finite, epoch: count }).optional(),
  final: RecordedEvaluation.optional(),
  /** How the last session of the run trained, and why not on the graph when it could not. */
  stepPath: StepPathChoice.optional(),
  imagesPerSec: finite.optional(),
  elapsedSeconds: finite.optional(),
  /** Settings changed when the run was resumed (`latent-lab train --resume RUN --epochs 20`), from the step on which they hold. */
  resumes: z.array(z.object({
    step: count,
    time: z.string(),
    changes: z.record(z.string(), z.object({ from: finite, to: finite })),
  })).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;
