// The contract between the extension host and the checkpoint inspector webview.
// The summary is computed in the host without TensorFlow (it reads the file's
// header and metadata); figures and evaluations come later from a child process.
import { z } from 'zod';
import { ActiveUnitsEvent, EpochEvent, ImageGrid, ObjectiveSummary } from './events';
import { defineProtocol, ExportPng, Ready } from './webviewChannel';
import { GradientSnrStudy } from './diagnostics';
import { EvaluationResult, RecordedEvaluation } from './evaluation';
import { ConvNetworkConfig, FlowConfig } from './runConfig';

const finite = z.number().finite();
const count = z.number().int().nonnegative();

export const TensorInfo = z.object({ name: z.string(), shape: z.array(count), size: count });

export const CheckpointSummary = z.object({
  file: z.string(),
  runId: z.string(),
  architecture: z.object({
    inputDim: count,
    imageShape: z.tuple([count, count]).optional(),
    /** Bottom first: hidden widths of each MLP and the latent size it feeds. */
    layers: z.array(z.object({ hidden: z.array(count), latent: count })),
    /** Channels per pixel of colour images. */
    imageChannels: count.optional(),
    /** The convolutional networks next to the data, when not MLPs. */
    network: ConvNetworkConfig.optional(),
    posterior: z.string(),
    /** Student-t posterior. */
    degreesOfFreedom: finite.optional(),
    /** IAF posterior. */
    flow: FlowConfig.optional(),
    prior: z.string(),
    /** Mixture components or VampPrior pseudo-inputs. */
    priorComponents: count.optional(),
    likelihood: z.string(),
    /** Weights of the model (Adam's moments excluded). */
    parameterCount: count,
    tensors: z.array(TensorInfo),
  }),
  objective: ObjectiveSummary.extend({ analyticKl: z.boolean() }),
  /** The training config as stored, for the config table. */
  training: z.record(z.string(), z.unknown()),
  data: z.object({
    path: z.string(), fingerprint: z.string(), trainSize: count, testSize: count, dim: count, kind: z.string(),
  }),
  state: z.object({ epoch: count, step: count, elapsedSeconds: finite, totalEpochs: count.optional() }),
  history: z.array(EpochEvent),
  last: EpochEvent.optional(),
  best: z.object({ testIwae: finite, epoch: count }).optional(),
  /** From the run folder's run.json, when the checkpoint sits in one. */
  run: z.object({
    dir: z.string(),
    status: z.string(),
    message: z.string().optional(),
    /** The trainer's final evaluation, what `latent-lab eval` gives for this checkpoint. */
    final: RecordedEvaluation.optional(),
  }).optional(),
});
export type CheckpointSummary = z.infer<typeof CheckpointSummary>;

export const CheckpointProblem = z.object({
  file: z.string(),
  /** foreign: a readable file that is not a Latent Lab checkpoint; corrupt: damaged or cut short; unreadable: cannot be opened. */
  kind: z.enum(['foreign', 'corrupt', 'unreadable']),
  message: z.string(),
});
export type CheckpointProblem = z.infer<typeof CheckpointProblem>;

export const Figures = z.object({
  reconstructions: ImageGrid.optional(),
  samples: ImageGrid.optional(),
  traversals: ImageGrid.optional(),
  traversalDims: z.array(count),
  /** Each traversal sweeps its unit over [-traversalRange, traversalRange]. */
  traversalRange: z.number().positive().optional(),
  activeUnits: ActiveUnitsEvent.omit({ type: true, step: true }).optional(),
  /** What could not be drawn, and why (no image shape, held-out data not found). */
  notes: z.array(z.string()),
});
export type Figures = z.infer<typeof Figures>;

/** What the inspector's Evaluate finds: the evaluation `latent-lab eval` makes. */
export const Evaluation = EvaluationResult;
export type Evaluation = EvaluationResult;

export const InspectorAction = z.enum(['resume', 'evaluate', 'cancelEvaluation', 'analyzeGradients', 'cancelGradients', 'compare', 'reveal', 'exportCsv']);
export type InspectorAction = z.infer<typeof InspectorAction>;

/** Where a job the inspector started (Evaluate, Analyze Gradients) stands. */
const JobState = z.enum(['running', 'done', 'cancelled', 'failed']);

export const InspectorToWebview = z.discriminatedUnion('type', [
  /** `evalK`: the K Evaluate will use (setting latentLab.evalK). */
  z.object({ type: z.literal('summary'), summary: CheckpointSummary, evalK: z.number().int().positive() }),
  z.object({ type: z.literal('problem'), problem: CheckpointProblem }),
  z.object({ type: z.literal('figures'), figures: Figures }),
  z.object({ type: z.literal('figuresFailed'), message: z.string() }),
  z.object({ type: z.literal('evaluation'), state: JobState, done: count.optional(), total: count.optional(), result: Evaluation.optional(), message: z.string().optional() }),
  /** Analyze Gradients: progress in K-weighted gradient draws, then the study. */
  z.object({ type: z.literal('gradients'), state: JobState, done: count.optional(), total: count.optional(), study: GradientSnrStudy.optional(), message: z.string().optional() }),
]);
export type InspectorToWebview = z.infer<typeof InspectorToWebview>;

export const InspectorFromWebview = z.discriminatedUnion('type', [
  Ready,
  z.object({ type: z.literal('action'), action: InspectorAction }),
  ExportPng,
]);
export type InspectorFromWebview = z.infer<typeof InspectorFromWebview>;

/** Actions are not answered: what they start reports back as `evaluation` and `gradients` messages or in VS Code itself. */
export const InspectorProtocol = defineProtocol({ name: 'the checkpoint inspector', toWebview: InspectorToWebview, fromWebview: InspectorFromWebview, replies: {} });
