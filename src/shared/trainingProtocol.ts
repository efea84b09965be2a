// The contract between the extension host and the training process it forks.
// The host validates everything the process sends; the process validates
// everything the host sends. Both import these schemas.
import { z } from 'zod';
import { RunEvent } from './events';
import { GradientEstimator, Likelihood, NetworkKind, ObjectiveKind, PosteriorFamily, PriorFamily, Schedule } from './runConfig';

/** What the user chose for a new run; the engine fills in the rest (src/engine/train/newRun.ts). */
export const RunChoices = z.object({
  objective: ObjectiveKind,
  k: z.number().int().positive().max(100_000).optional(),
  m: z.number().int().positive().max(10_000).optional(),
  beta: z.number().min(0).max(1).optional(),
  estimator: GradientEstimator.optional(),
  analyticKl: z.boolean().optional(),
  schedule: Schedule,
  batchSize: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
  layers: z.union([z.literal(1), z.literal(2)]).optional(),
  hidden: z.array(z.number().int().positive()).optional(),
  latent: z.number().int().positive().optional(),
  posterior: PosteriorFamily.optional(),
  prior: PriorFamily.optional(),
  /** Mixture components, or VampPrior pseudo-inputs. */
  components: z.number().int().min(1).optional(),
  /** Student-t posterior. */
  degreesOfFreedom: z.number().positive().finite().optional(),
  /** IAF posterior: steps, MADE hidden width, context size. */
  flowSteps: z.number().int().positive().optional(),
  flowHidden: z.number().int().positive().optional(),
  flowContext: z.number().int().nonnegative().optional(),
  network: NetworkKind.optional(),
  /** Convolutional networks: channels of each stride-2 convolution, and the kernel side. */
  convChannels: z.array(z.number().int().positive()).min(1).optional(),
  convKernel: z.number().int().positive().optional(),
  /** PNG folders: red, green and blue channels instead of luminance. */
  colour: z.boolean().optional(),
  likelihood: Likelihood.optional(),
  binarize: z.boolean().optional(),
  evalK: z.number().int().positive().optional(),
  nllEvery: z.number().int().nonnegative().optional(),
  nllExamples: z.number().int().nonnegative().optional(),
  evalExamples: z.number().int().nonnegative().optional(),
  runId: z.string().regex(/^[\w.-]+$/).optional(),
});
export type RunChoices = z.infer<typeof RunChoices>;

/** Stop after this many steps, as if asked to (`latent-lab train --max-steps`); the run can be resumed. */
const MaxSteps = z.number().int().positive().optional();

// Host -> training process
export const ToTrainer = z.discriminatedUnion('type', [
  /** Start a new run in runDir from `choices` on the dataset at dataPath, or resume the run in runDir. */
  z.object({ type: z.literal('start'), runDir: z.string(), dataPath: z.string(), choices: RunChoices, maxSteps: MaxSteps }),
  z.object({ type: z.literal('resume'), runDir: z.string(), dataPath: z.string().optional(), maxSteps: MaxSteps }),
  /** Stop after the current step, keeping a checkpoint. */
  z.object({ type: z.literal('stop') }),
  /** Draw reconstructions, samples and traversals now (optionally of these top-layer units and range). */
  z.object({
    type: z.literal('images'),
    dims: z.array(z.number().int().nonnegative()).max(64).optional(),
    range: z.number().positive().max(10).optional(),
  }),
]);
export type ToTrainer = z.infer<typeof ToTrainer>;

// Training process -> host
export const FromTrainer = z.discriminatedUnion('type', [
  /** The process has started and listens. */
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('event'), event: RunEvent }),
  /** A failure before or outside the training loop (bad data, bad config): the run did not start. */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromTrainer = z.infer<typeof FromTrainer>;
