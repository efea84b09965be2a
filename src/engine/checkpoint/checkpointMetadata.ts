// What a checkpoint's metadata must hold, as schemas: a checkpoint is read from
// disk, where anything can have happened to it, so nothing in it is trusted
// before it has been parsed against these. `satisfies` keeps the training
// state's schema in step with its interface.
import { z } from 'zod';
import { EpochEvent } from '../../shared/events';
import type { TrainingState } from './checkpoint';

const count = z.number().int().nonnegative();
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
