// What a training run reports, as it happens. The engine emits these, the
// metrics file stores them one per line, the training process forwards them
// to the extension host, and the dashboard draws them: one schema for all.
import { z } from 'zod';
import { LogWeightAnalysis } from './diagnostics';
import { ObjectiveConfig } from './runConfig';

const finite = z.number().finite();
const count = z.number().int().nonnegative();

/** Images as 8-bit values, row-major: rows x cols tiles of height x width, grey or (channels 3) red, green, blue. */
export const ImageGrid = z.object({
  rows: count,
  cols: count,
  height: count,
  width: count,
  /** 3 for colour tiles; absent for grey. */
  channels: z.literal(3).optional(),
  /** rows * cols * height * width (* 3, channels last) values in 0..255, tile-major then row-major. */
  pixels: z.array(z.number().int().min(0).max(255)),
}).refine((g) => g.pixels.length === g.rows * g.cols * g.height * g.width * (g.channels ?? 1), 'pixels length must be rows*cols*height*width*channels');
export type ImageGrid = z.infer<typeof ImageGrid>;

export const RunStatus = z.enum(['running', 'finished', 'stopped', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The objective a run optimizes; see src/engine/objectives. */
export const ObjectiveSummary = ObjectiveConfig.pick({ kind: true, k: true, m: true, estimator: true, beta: true });

/**
 * How a process runs its optimizer steps and L_K estimates: one TensorFlow
 * call each, compiled whole by XLA (`xla`) or run kernel by kernel (`graph`),
 * or op by op (`eager`). Decided once per process; `fallbackReason` says why a
 * process runs on a later choice than XLA.
 */
export const StepPathChoice = z.object({
  path: z.enum(['xla', 'graph', 'eager']),
  fallbackReason: z.string().optional(),
});
export type StepPathChoice = z.infer<typeof StepPathChoice>;

export const StartEvent = z.object({
  type: z.literal('start'),
  runId: z.string(),
  objective: ObjectiveSummary,
  /** Total optimizer steps planned (from the schedule), for progress. */
  totalSteps: count,
  dataset: z.string(),
  /** Step the run starts from: 0, or the step of the checkpoint it resumes. */
  step: count,
  /** Which path this session of the run trains on (absent in runs logged before it was recorded). */
  stepPath: StepPathChoice.optional(),
  time: finite,
});

/** Sent every few steps: the running mean of the training bound since the last one. */
export const ProgressEvent = z.object({
  type: z.literal('progress'),
  step: count,
  epoch: count,
  trainBound: finite,
  /** Mean over the same steps of ESS / n of each example's n log weights (absent in runs logged before it was). */
  essFraction: finite.optional(),
  imagesPerSec: finite,
  learningRate: finite,
  time: finite,
});

/** After each epoch: the bounds on held-out data (nats per example, higher is better). */
export const EpochEvent = z.object({
  type: z.literal('epoch'),
  step: count,
  epoch: count,
  trainBound: finite,
  /** VAE ELBO (mean of the log weights) on held-out data, K samples. */
  testElbo: finite,
  /** IWAE bound L_K on held-out data with the run's K. */
  testIwae: finite,
  /** -L_K with the evaluation K (5000 by default), when computed this epoch. */
  testNll: finite.optional(),
  evalK: z.number().int().positive().optional(),
  time: finite,
});

export const ImagesEvent = z.object({
  type: z.literal('images'),
  step: count,
  /** Held-out examples (first row) above their reconstructions (second row). */
  reconstructions: ImageGrid,
  samples: ImageGrid,
  /** One row per latent dimension (most active first), values swept over a range. */
  traversals: ImageGrid,
  traversalDims: z.array(count),
});

export const ActiveUnitsEvent = z.object({
  type: z.literal('activeUnits'),
  step: count,
  /** Cov_x(E_q[z_u]) for each stochastic layer (outer) and latent dimension (inner). */
  variances: z.array(z.array(z.number().nonnegative())),
  threshold: z.number().positive(),
  /** Active units per stochastic layer: variances above the threshold. */
  active: z.array(count),
});

export const BoundVsKEvent = z.object({
  type: z.literal('boundVsK'),
  step: count,
  ks: z.array(z.number().int().positive()),
  /** Mean L_K over the held-out examples, one per K, each from the N/K disjoint groups of the final -L_N's log weights. */
  bounds: z.array(finite),
  /** Standard error of each bound across examples (absent in runs logged before it was). */
  standardErrors: z.array(finite).optional(),
  /** The fit, JVI and weight diagnostics of the same log weights (absent in runs logged before they were). */
  analysis: LogWeightAnalysis.optional(),
});

export const CheckpointEvent = z.object({
  type: z.literal('checkpoint'),
  step: count,
  epoch: count,
  path: z.string(),
});

export const EndEvent = z.object({
  type: z.literal('end'),
  status: RunStatus,
  step: count,
  message: z.string().optional(),
  time: finite,
});

export const RunEvent = z.discriminatedUnion('type', [
  StartEvent, ProgressEvent, EpochEvent, ImagesEvent, ActiveUnitsEvent, BoundVsKEvent, CheckpointEvent, EndEvent,
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type StartEvent = z.infer<typeof StartEvent>;
export type ProgressEvent = z.infer<typeof ProgressEvent>;
export type EpochEvent = z.infer<typeof EpochEvent>;
export type ImagesEvent = z.infer<typeof ImagesEvent>;
export type ActiveUnitsEvent = z.infer<typeof ActiveUnitsEvent>;
export type BoundVsKEvent = z.infer<typeof BoundVsKEvent>;
export type CheckpointEvent = z.infer<typeof CheckpointEvent>;
export type EndEvent = z.infer<typeof EndEvent>;
