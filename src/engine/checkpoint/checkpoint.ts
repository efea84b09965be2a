// A checkpoint is one safetensors file: the model's weights under their
// parameter names, Adam's moments under `adam.m.` / `adam.v.`, and in the
// metadata the run config, the training state and the per-epoch history.
// Format: docs/checkpoint-format.md.
import type { z } from 'zod';
import type { EpochEvent } from '../../shared/events';
import { readRegularFile } from '../files/readRegularFile';
import type { SamplerState } from '../random/sampler';
import { RunConfig } from '../../shared/runConfig';
import { firstIssue } from '../schemaIssue';
import { validateModelConfig } from '../models/config';
import { validateObjective, validateObjectiveForModel } from '../objectives/objective';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedArray } from './safetensors';
import { writeFileAtomic } from './atomicWrite';
import { RunConfig as RunConfigSchema } from '../../shared/runConfig';
import { HistorySchema, TrainingStateSchema } from './checkpointMetadata';

export const CHECKPOINT_FORMAT = 'latent-lab-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface TrainingState {
  /** The epoch in progress, and how many of its steps are done. */
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps since the start of the run. */
  step: number;
  sampler: SamplerState;
  /** Training time so far, excluding time stopped. */
  elapsedSeconds: number;
  /** Adam's t. */
  adamStep: number;
  /** Sum and count of the training bounds so far in this epoch, for its mean. */
  epochBoundSum: number;
  epochBoundSteps: number;
}

export interface Checkpoint {
  config: RunConfig;
  state: TrainingState;
  params: Map<string, NamedArray>;
  adamM: Map<string, NamedArray>;
  adamV: Map<string, NamedArray>;
  history: EpochEvent[];
}

export class CheckpointError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'CheckpointError';
  }
}

export function encodeCheckpoint(c: Checkpoint): Buffer {
  const tensors = new Map<string, NamedArray>(c.params);
  for (const [name, t] of c.adamM) tensors.set(`adam.m.${name}`, t);
  for (const [name, t] of c.adamV) tensors.set(`adam.v.${name}`, t);
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    version: String(CHECKPOINT_VERSION),
    config: JSON.stringify(c.config),
    state: JSON.stringify(c.state),
    history: JSON.stringify(c.history),
  });
}

export function saveCheckpoint(path: string, c: Checkpoint): void {
  writeFileAtomic(path, encodeCheckpoint(c));
}

export function loadCheckpoint(path: string): Checkpoint {
  return decodeCheckpoint(readRegularFile(path, (problem) => new CheckpointError(path, problem)), path);
}

export function decodeCheckpoint(bytes: Uint8Array, path: string): Checkpoint {
  let file;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    if (err instanceof SafetensorsError) throw new CheckpointError(path, `not a readable safetensors file: ${err.message}`);
    throw err;
  }
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) throw new CheckpointError(path, 'a safetensors file, but not a Latent Lab checkpoint (no format marker in its metadata)');
  if (meta.version !== String(CHECKPOINT_VERSION)) throw new CheckpointError(path, `checkpoint version ${meta.version} is not supported (expected ${CHECKPOINT_VERSION})`);
  const config = parseMetadata(path, meta, 'config', 'run config', RunConfigSchema);
  const state = parseMetadata(path, meta, 'state', 'training state', TrainingStateSchema);
  const history = parseMetadata(path, meta, 'history', 'per-epoch history', HistorySchema);
  try {
    validateModelConfig(config.model);
    validateObjective(config.objective);
    validateObjectiveForModel(config.objective, config.model);
  } catch (err) {
    throw new CheckpointError(path, (err as Error).message);
  }
  const params = new Map<string, NamedArray>();
  const adamM = new Map<string, NamedArray>();
  const adamV = new Map<string, NamedArray>();
  for (const [name, t] of file.tensors) {
    if (name.startsWith('adam.m.')) adamM.set(name.slice(7), t);
    else if (name.startsWith('adam.v.')) adamV.set(name.slice(7), t);
    else params.set(name, t);
  }
  return { config, state, params, adamM, adamV, history };
}

function parseMetadata<T>(path: string, meta: Record<string, string>, key: string, what: string, schema: z.ZodType<T>): T {
  if (meta[key] === undefined) throw new CheckpointError(path, `metadata has no '${key}'`);
  let value: unknown;
  try {
    value = JSON.parse(meta[key]);
  } catch {
    throw new CheckpointError(path, `metadata '${key}' is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CheckpointError(path, `metadata '${key}' is not a valid ${what}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}
