// Shared set-up for the graph tests: a small model, a batch, captured noise,
// and comparisons of eager and graph state.
import { tf, type Tensor } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/models/config';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { Sampler, type Draw, type DrawObserver } from '../../src/engine/random/sampler';
import { Adam } from '../../src/engine/train/adam';

export function smallConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    inputDim: 12, layers: [{ hidden: [10, 8], latent: 3 }], posterior: 'normal', prior: 'normal', priorComponents: 0,
    likelihood: 'bernoulli', likelihoodScale: 1, ...overrides,
  };
}

/** Binary rows with a fixed pattern (no randomness needed). */
export function binaryBatch(b: number, d: number): Tensor {
  return tf.tensor2d(Float32Array.from({ length: b * d }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0)), [b, d]);
}

/** Keeps a copy of every draw a sampler makes, in order. */
export class NoiseCapture implements DrawObserver {
  readonly noise: Tensor[] = [];
  drawn(draw: Draw): void {
    this.noise.push(tf.keep(draw.tensor.clone()));
  }
}

export function newModel(config: ModelConfig, seed = 11): { model: LatentVariableModel; adam: Adam } {
  const model = new LatentVariableModel(config, new Sampler(seed));
  return { model, adam: new Adam(model.params) };
}

export function snapshot(state: Map<string, Tensor>): Map<string, Float32Array> {
  return new Map([...state].map(([k, t]) => [k, Float32Array.from(t.dataSync())]));
}

/** Largest |a - b| over the largest |reference|, per tensor, maximized over tensors. */
export function worstRelativeError(a: Map<string, Float32Array>, b: Map<string, Float32Array>, reference = a): { key: string; error: number } {
  let worst = { key: '', error: 0 };
  for (const [key, x] of a) {
    const y = b.get(key) as Float32Array;
    const ref = reference.get(key) as Float32Array;
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    const error = scale > 0 ? diff / scale : diff;
    if (error > worst.error) worst = { key, error };
  }
  return worst;
}

export function difference(after: Map<string, Float32Array>, before: Map<string, Float32Array>): Map<string, Float32Array> {
  return new Map([...after].map(([k, a]) => [k, a.map((v, i) => v - (before.get(k) as Float32Array)[i])]));
}
