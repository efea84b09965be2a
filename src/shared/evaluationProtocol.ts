// The contract between the extension host and the evaluation process it forks
// (src/engine/worker/evaluationWorker.ts) for Evaluate Checkpoint and the
// checkpoint inspector. One request per process: the host forks, sends it,
// reads the answer and the process exits; cancelling is killing it.
import { z } from 'zod';
import { GradientSnrStudy } from './diagnostics';
import { EvaluationResult } from './evaluation';
import { Figures } from './inspectorProtocol';
import { GradientEstimator } from './runConfig';

const positiveInt = z.number().int().positive();

/** What the inspector's Analyze Gradients measures: `latent-lab analyze gradients` with these options. */
export const GradientPlan = z.object({
  ks: z.array(positiveInt.max(100_000)).min(1).max(12),
  estimators: z.array(GradientEstimator).min(1),
  /** Independent gradient draws per (K, estimator). */
  draws: z.number().int().min(3).max(10_000),
  /** Held-out examples in the batch every gradient is taken on. */
  examples: positiveInt.max(10_000),
  /** Bootstrap resamples for the slopes' standard errors. */
  replicates: z.number().int().min(2).max(10_000),
});
export type GradientPlan = z.infer<typeof GradientPlan>;

/** Rainforth et al.'s comparison: `latent-lab analyze gradients`' defaults. */
export const DEFAULT_GRADIENT_PLAN: GradientPlan = { ks: [1, 5, 50, 500], estimators: ['standard', 'stl', 'dreg'], draws: 100, examples: 20, replicates: 200 };

export const EvaluationRequest = z.discriminatedUnion('type', [
  /** Reconstructions, prior samples, traversals and active units of a checkpoint. */
  z.object({ type: z.literal('figures'), checkpoint: z.string(), dataPath: z.string().optional() }),
  /** The evaluation `latent-lab eval` makes: the run's own N and examples unless given, the evaluation seed. */
  z.object({
    type: z.literal('evaluate'),
    /** A checkpoint file, or the run folder holding one. */
    checkpoint: z.string(),
    k: z.number().int().positive().optional(),
    examples: z.number().int().nonnegative().optional(),
    dataPath: z.string().optional(),
  }),
  /** The SNR of the gradient estimators against K at the checkpoint's parameters (Rainforth et al. 2018). */
  z.object({ type: z.literal('gradients'), checkpoint: z.string(), dataPath: z.string().optional(), plan: GradientPlan }),
]);
export type EvaluationRequest = z.infer<typeof EvaluationRequest>;

export const EvaluationReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('figures'), figures: Figures }),
  z.object({ type: z.literal('progress'), done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  z.object({ type: z.literal('evaluation'), result: EvaluationResult }),
  z.object({ type: z.literal('gradients'), study: GradientSnrStudy }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type EvaluationReply = z.infer<typeof EvaluationReply>;
