// What a K and a batch cost in memory, checked before anything is allocated
// or recorded: a K the machine cannot hold is refused with the numbers, instead
// of failing deep inside TensorFlow (or recording a graph for ever). The
// figures are lower bounds, what must exist at once: so a refusal is certain
// to be right, and what passes may still be tight.
import { totalmem } from 'node:os';
import { HELD_OUT_BATCH } from '../evaluate/heldOut';
import { EXAMPLES_PER_SUMMARY } from '../evaluate/logLikelihood';
import type { ModelConfig } from '../models/config';
import { samplesPerExample } from '../objectives/objective';
import type { RunConfig } from './runConfig';

const FLOAT_BYTES = 4;

export interface MemoryNeed {
  /** What needs it, as a user would say it. */
  what: string;
  bytes: number;
}

/**
 * Floats every row of samples (one z per example and sample) holds in a pass
 * through the model: the samples of every layer, the upper layers' encoders,
 * every decoder, and p(x|z1)'s parameters and per-pixel log densities [.., D].
 */
export function floatsPerSampleRow(model: ModelConfig): number {
  let floats = 2 * model.inputDim;
  model.layers.forEach((layer, l) => {
    const hidden = layer.hidden.reduce((a, h) => a + h, 0);
    floats += layer.latent + hidden;
    if (l > 0) floats += hidden + 2 * layer.latent + 2 * model.layers[l - 1].latent;
  });
  return floats;
}

/** One optimizer step: the activations of K·M samples for every example of the batch, kept for the gradient. */
export function trainingStepNeed(config: Pick<RunConfig, 'model' | 'objective' | 'training'>): MemoryNeed {
  const s = samplesPerExample(config.objective);
  const rows = s * config.training.batchSize;
  return { what: `one training step (K·M = ${count(s)} samples for each of ${config.training.batchSize} examples)`, bytes: rows * floatsPerSampleRow(config.model) * FLOAT_BYTES };
}

/** The held-out ELBO and L_K after each epoch, HELD_OUT_BATCH examples at a time. */
export function epochBoundsNeed(config: Pick<RunConfig, 'model' | 'objective'>): MemoryNeed {
  const s = samplesPerExample(config.objective);
  return { what: `the per-epoch held-out bounds (${count(s)} samples for each of ${HELD_OUT_BATCH} examples)`, bytes: s * HELD_OUT_BATCH * floatsPerSampleRow(config.model) * FLOAT_BYTES };
}

/** -L_N: N log weights for each of EXAMPLES_PER_SUMMARY examples at once. */
export function logLikelihoodNeed(n: number): MemoryNeed {
  return { what: `-L_N with N = ${count(n)} (N log weights for each of ${EXAMPLES_PER_SUMMARY} examples)`, bytes: n * EXAMPLES_PER_SUMMARY * FLOAT_BYTES };
}

/** Everything a training run of `config` will need, largest first. */
export function trainingNeeds(config: Pick<RunConfig, 'model' | 'objective' | 'training'>): MemoryNeed[] {
  return [trainingStepNeed(config), epochBoundsNeed(config), logLikelihoodNeed(config.training.evalK)].sort((a, b) => b.bytes - a.bytes);
}

/** Throws, naming the numbers, when any need exceeds the machine's memory. */
export function assertFits(needs: MemoryNeed[], available = totalmem()): void {
  const over = needs.find((n) => !(n.bytes <= available));
  if (!over) return;
  throw new Error(`${over.what} would hold at least ${formatBytes(over.bytes)} at once, and this machine has ${formatBytes(available)} of memory; choose a smaller K, M, N or batch size`);
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return value >= 1024 ? `${bytes.toExponential(1)} bytes` : `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** 5000 as 5000, 1e20 as 1e+20. */
const count = (n: number): string => (n < 1e7 ? String(n) : n.toExponential(0));
