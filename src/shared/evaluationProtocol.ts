// The contract between the extension host and the evaluation process it forks
// (src/engine/worker/evaluationWorker.ts) for Evaluate Checkpoint and the
// checkpoint inspector. One request per process: the host forks, sends it,
// reads the answer and the process exits; cancelling is killing it.
import { z } from 'zod';
import { EvaluationResult } from './evaluation';
import { Figures } from './inspectorProtocol';

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
]);
export type EvaluationRequest = z.infer<typeof EvaluationRequest>;

export const EvaluationReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('figures'), figures: Figures }),
  z.object({ type: z.literal('progress'), done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  z.object({ type: z.literal('evaluation'), result: EvaluationResult }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type EvaluationReply = z.infer<typeof EvaluationReply>;
