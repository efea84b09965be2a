// A checkpoint is one safetensors file: the model's weights under their
// parameter names, Adam's moments under `adam.m.` / `adam.v.`, and in the
// metadata the run config, the training state and the per-epoch history.
// Format: docs/checkpoint-format.md.
import { readFileSync } from 'node:fs';
import type { EpochEvent } from '../../shared/events';
import type { SamplerState } from '../random/sampler';
import { RunConfig } from '../../shared/runConfig';
import { firstIssue } from '../schemaIssue';
import { validateModelConfig } from '../models/config';
import { validateObjective } from '../objectives/objective';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedArray } from './safetensors';
import { writeFileAtomic } from './atomicWrite';

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
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CheckpointError(path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return decodeCheckpoint(bytes, path);
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
  const parsedConfig = RunConfig.safeParse(parseJson<unknown>(path, meta, 'config'));
  if (!parsedConfig.success) throw new CheckpointError(path, `metadata 'config' is not a run config: ${firstIssue(parsedConfig.error, 'the config')}`);
  const config = parsedConfig.data;
  const state = parseJson<TrainingState>(path, meta, 'state');
  const history = parseJson<EpochEvent[]>(path, meta, 'history');
  if (typeof state !== 'object' || state === null) throw new CheckpointError(path, "metadata 'state' is not a training state");
  try {
    validateModelConfig(config.model);
    validateObjective(config.objective);
  } catch (err) {
    throw new CheckpointError(path, (err as Error).message);
  }
  for (const key of ['epoch', 'stepInEpoch', 'step', 'adamStep'] as const) {
    if (!Number.isInteger(state[key]) || state[key] < 0) throw new CheckpointError(path, `training state field ${key} is not a non-negative integer`);
  }
  if (!Array.isArray(history)) throw new CheckpointError(path, 'history is not a list');
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

function parseJson<T>(path: string, meta: Record<string, string>, key: string): T {
  if (meta[key] === undefined) throw new CheckpointError(path, `metadata has no '${key}'`);
  try {
    return JSON.parse(meta[key]) as T;
  } catch {
    throw new CheckpointError(path, `metadata '${key}' is not valid JSON`);
  }
}
