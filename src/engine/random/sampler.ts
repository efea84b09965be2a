// The engine's one source of randomness, and its contract, the same on the
// eager and the graph path: a sampler is two integers (seed, counter), and each
// use takes the next key = mix32(seed, counter++). An eager draw is seeded by
// its key. A call that draws many times (one optimizer step, one L_K estimate)
// takes one key with `split()` and seeds its i-th draw by (key, i): eagerly as
// mix32(key, i), in a recorded graph as the stateless random op's seed pair
// [key, i] (src/engine/graph/graphDraws.ts). So every call consumes exactly one
// counter value of its caller's sampler on either path, and a run is
// reproducible and resumable from two integers. The two paths draw different
// numbers from the same key (tfjs's generator in JavaScript, TensorFlow's
// Philox in the graph): the same distribution, not the same values.
import { tf, type Tensor } from '../tf';

export interface SamplerState {
  seed: number;
  counter: number;
}

/** 32-bit mix of two integers (splitmix-style), used to derive per-draw seeds. */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x6a09e667, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** One draw, as the sampler made it: what a graph recorder needs to make the same draw in TensorFlow. */
export type Draw =
  | { kind: 'normal'; tensor: Tensor; shape: number[] }
  | { kind: 'uniform'; tensor: Tensor; shape: number[]; low: number; high: number }
  | { kind: 'gamma'; tensor: Tensor; shape: number[]; alpha: number }
  | { kind: 'categorical'; tensor: Tensor };

/** Told of every draw right after it is made (e.g. by a recorder that turns it into an in-graph random op). */
export interface DrawObserver {
  drawn(draw: Draw): void;
}

export class Sampler {
  private counter: number;

  constructor(readonly seed: number, counter = 0, private readonly observer?: DrawObserver) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    this.counter = counter;
  }

  static restore(state: SamplerState): Sampler {
    return new Sampler(state.seed, state.counter);
  }

  get state(): SamplerState {
    return { seed: this.seed, counter: this.counter };
  }

  /** The next key: a fresh 32-bit seed, also for draws made elsewhere (a TensorFlow graph seeds its random ops with it). */
  nextSeed(): number {
    return mix32(this.seed, this.counter++);
  }

  /** A sampler for one call, keyed by this sampler's next key: its draws are (key, 0), (key, 1), … */
  split(): Sampler {
    return new Sampler(this.nextSeed(), 0, this.observer);
  }

  /** Standard normal draws. */
  normal(shape: number[]): Tensor {
    const tensor = tf.randomNormal(shape, 0, 1, 'float32', this.nextSeed());
    this.observer?.drawn({ kind: 'normal', tensor, shape });
    return tensor;
  }

  /** Uniform draws on [low, high). */
  uniform(shape: number[], low = 0, high = 1): Tensor {
    const tensor = tf.randomUniform(shape, low, high, 'float32', this.nextSeed());
    this.observer?.drawn({ kind: 'uniform', tensor, shape, low, high });
    return tensor;
  }

  /** Gamma(alpha, 1) draws. */
  gamma(shape: number[], alpha: number): Tensor {
    const tensor = tf.randomGamma(shape, alpha, 1, 'float32', this.nextSeed());
    this.observer?.drawn({ kind: 'gamma', tensor, shape, alpha });
    return tensor;
  }

  /** n category indices per row of `logits` [R, C] -> [R, n] int32. */
  categorical(logits: Tensor, n: number): Tensor {
    const tensor = tf.multinomial(logits as tf.Tensor2D, n, this.nextSeed());
    this.observer?.drawn({ kind: 'categorical', tensor });
    return tensor;
  }
}
