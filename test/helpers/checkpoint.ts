// A small, valid checkpoint built from its parts, with no TensorFlow: arrays of
// the shapes the config implies, filled with seeded values, for tests that
// damage checkpoints and for the fuzz test's generator.
import { encodeCheckpoint, type Checkpoint } from '../../src/engine/checkpoint/checkpoint';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from '../../src/engine/checkpoint/safetensors';
import { parameterShapes } from '../../src/engine/models/architecture';
import type { ModelConfig } from '../../src/engine/models/config';
import type { RunConfig } from '../../src/engine/train/runConfig';
import { DEFAULT_TRAINING } from '../../src/engine/train/runConfig';

export function smallModel(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    inputDim: 6, imageShape: [2, 3], layers: [{ hidden: [4], latent: 2 }],
    posterior: 'normal', prior: 'normal', priorComponents: 0, likelihood: 'bernoulli', likelihoodScale: 1,
    ...overrides,
  };
}

export function smallCheckpoint(model: ModelConfig = smallModel()): Checkpoint {
  const config: RunConfig = {
    format: 'latent-lab-run', version: 1, runId: 'small',
    model,
    objective: { kind: 'iwae', k: 3, m: 1, estimator: 'standard', analyticKl: false },
    training: { ...DEFAULT_TRAINING, schedule: { kind: 'fixed', epochs: 2, learningRate: 1e-3 }, seed: 7 },
    data: { path: '/data/small.npy', fingerprint: '0123456789abcdef', trainSize: 9, testSize: 1, dim: model.inputDim, kind: 'binary' },
  };
  const arrays = (scale: number) => new Map<string, NamedArray>([...parameterShapes(model)].map(([name, shape], t) => {
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => scale * Math.sin(1 + i + 7 * t));
    return [name, { shape, data }];
  }));
  return {
    config,
    state: { epoch: 1, stepInEpoch: 0, step: 1, sampler: { seed: 7, counter: 12 }, elapsedSeconds: 0.5, adamStep: 1, epochBoundSum: 0, epochBoundSteps: 0 },
    params: arrays(0.5), adamM: arrays(0.01), adamV: arrays(0.001),
    history: [{ type: 'epoch', step: 1, epoch: 0, trainBound: -4.2, testElbo: -4.5, testIwae: -4.4, time: 1 }],
  };
}

/** The bytes of the small checkpoint, with metadata entries replaced by raw text (which need not be valid JSON). */
export function smallCheckpointBytes(metadata: Record<string, string> = {}): Buffer {
  const { tensors, metadata: original } = decodeSafetensors(encodeCheckpoint(smallCheckpoint()));
  return encodeSafetensors(tensors, { ...original, ...metadata });
}
