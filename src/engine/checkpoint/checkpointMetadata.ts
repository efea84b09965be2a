// What a checkpoint's metadata must hold, as schemas: a checkpoint is read from
// disk, where anything can have happened to it, so nothing in it is trusted
// before it has been parsed against these. The interfaces they check stay the
// source of the types; `satisfies` keeps each schema in step with its interface.
import { z } from 'zod';
import { EpochEvent } from '../../shared/events';
import type { ModelConfig } from '../models/config';
import type { ObjectiveConfig } from '../objectives/objective';
import type { DataSummary, RunConfig, TrainingConfig } from '../train/runConfig';
import type { TrainingState } from './checkpoint';

const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();
const imageShape = z.tuple([positiveInt, positiveInt]);

const ModelConfigSchema = z.looseObject({
  inputDim: positiveInt,
  imageShape: imageShape.optional(),
  layers: z.array(z.looseObject({ hidden: z.array(positiveInt), latent: positiveInt })).min(1),
  posterior: z.enum(['normal', 'laplace']),
  prior: z.enum(['normal', 'mixture']),
  priorComponents: count,
  likelihood: z.enum(['bernoulli', 'gaussian-fixed', 'gaussian-learned']),
  likelihoodScale: z.number().positive().finite(),
}) satisfies z.ZodType<ModelConfig>;

const ObjectiveConfigSchema = z.looseObject({
  kind: z.enum(['vae', 'iwae', 'miwae']),
  k: positiveInt,
  m: positiveInt,
  estimator: z.enum(['standard', 'stl', 'dreg']),
  analyticKl: z.boolean(),
}) satisfies z.ZodType<ObjectiveConfig>;

const TrainingConfigSchema = z.looseObject({
  schedule: z.discriminatedUnion('kind', [
    z.looseObject({ kind: z.literal('burda') }),
    z.looseObject({ kind: z.literal('fixed'), epochs: positiveInt, learningRate: z.number().positive().finite() }),
  ]),
  batchSize: positiveInt,
  seed: z.number().int().refine(Number.isSafeInteger, 'not a safe integer'),
  binarize: z.boolean(),
  progressEvery: positiveInt,
  evalExamples: count,
  evalK: positiveInt,
  nllEvery: count,
  nllExamples: count,
  checkpointSeconds: z.number().positive().finite(),
}) satisfies z.ZodType<TrainingConfig>;

const DataSummarySchema = z.looseObject({
  path: z.string().min(1),
  fingerprint: z.string(),
  trainSize: count,
  testSize: count,
  dim: positiveInt,
  kind: z.enum(['binary', 'unit', 'real']),
  imageShape: imageShape.optional(),
}) satisfies z.ZodType<DataSummary>;

export const RunConfigSchema = z.looseObject({
  format: z.literal('latent-lab-run'),
  version: z.literal(1),
  runId: z.string(),
  model: ModelConfigSchema,
  objective: ObjectiveConfigSchema,
  training: TrainingConfigSchema,
  data: DataSummarySchema,
}) satisfies z.ZodType<RunConfig>;

const finite = z.number().finite();

export const TrainingStateSchema = z.looseObject({
  epoch: count,
  stepInEpoch: count,
  step: count,
  sampler: z.looseObject({ seed: z.number().int().refine(Number.isSafeInteger, 'not a safe integer'), counter: count }),
  elapsedSeconds: finite.nonnegative(),
  adamStep: count,
  epochBoundSum: finite,
  epochBoundSteps: count,
}) satisfies z.ZodType<TrainingState>;

export const HistorySchema = z.array(EpochEvent);

/** The first problem zod found, on one line: where in the value and what. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
