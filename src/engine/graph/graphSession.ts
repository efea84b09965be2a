// A loaded training SavedModel: one TensorFlow session in this process that
// holds the weights and Adam moments, and one call per training step. A
// session whose training step XLA compiles has it compiled as it is made, so
// that a refusal shows there, where the graph can still take over, and not in
// the middle of a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, type Scalar, type Tensor } from '../tf';
import { XlaRefused } from './graphFunction';
import { DataType } from './protos';
import type { Signature } from './savedModel';
import type { StepResult, StepsResult } from '../train/step';
import { SIGNATURES, stepsSignature, writeTrainingGraph, type GraphSpec } from './trainingGraph';

type SavedModel = Awaited<ReturnType<typeof tf.node.loadSavedModel>>;

export interface StepInputs {
  x: Tensor;
  learningRate: number;
  /** The Adam step this call performs (1-based). */
  step: number;
  /** Seeds this call's draws; test graphs take `noise` instead. */
  seed?: number;
  noise?: Tensor[];
}

/** Several steps in one call: x [N, B, D], one seed per step. */
export interface BlockInputs {
  x: Tensor;
  learningRate: number;
  /** The Adam step of the block's first step (1-based). */
  step: number;
  seeds: number[];
}

export class GraphSession {
  private rate?: { value: number; tensor: Tensor };

  private constructor(readonly stateKeys: string[], private readonly signatures: Map<string, SavedModel>) {}

  /**
   * Records the graph for `spec`, writes it to a temporary folder and loads it.
   * The loaded session needs no files, so the folder goes at once: a process
   * killed later leaves nothing behind in the temporary directory.
   */
  static async create(spec: GraphSpec): Promise<GraphSession> {
    const dir = mkdtempSync(join(tmpdir(), 'latent-lab-graph-'));
    const signatures = new Map<string, SavedModel>();
    try {
      const written = writeTrainingGraph(dir, spec);
      // Signatures of one folder share one session, hence one set of variables.
      for (const name of Object.keys(written.signatures)) signatures.set(name, await tf.node.loadSavedModel(dir, ['serve'], name));
      const session = new GraphSession(written.stateKeys, signatures);
      // Every training signature calls the one compiled function: compiling the single step compiles them all.
      if (spec.execution === 'xla') session.compile(written.signatures, [SIGNATURES.train]);
      return session;
    } catch (err) {
      for (const loaded of signatures.values()) loaded.dispose();
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Runs the `compiled` signatures once on zeros, which makes XLA compile them
   * (or refuse: XlaRefused), then sets every variable to zero, as the session began.
   */
  private compile(written: Record<string, Signature>, compiled: string[]): void {
    const zerosFor = (signature: Signature) => Object.fromEntries(Object.entries(signature.inputs)
      .map(([key, t]) => [key, tf.zeros(t.shape, t.dtype === DataType.INT32 ? 'int32' : 'float32')]));
    for (const name of compiled.filter((n) => written[n])) {
      const zeros = zerosFor(written[name]);
      try {
        tf.dispose(Object.values(this.run(name, zeros)));
      } catch (err) {
        throw new XlaRefused(`${name}: ${(err as Error).message.split('\n')[0]}`);
      } finally {
        tf.dispose(Object.values(zeros));
      }
    }
    const zeros = zerosFor(written[SIGNATURES.setState]);
    this.setState(new Map(Object.entries(zeros)));
    tf.dispose(Object.values(zeros));
  }

  /** One optimizer step; returns the bound and ESS / n before the update. */
  trainStep(inputs: StepInputs): StepResult {
    if (inputs.noise === undefined && inputs.seed === undefined) throw new Error('a graph call needs a seed');
    const counters = tf.tensor1d([inputs.step, (inputs.seed ?? 0) | 0], 'int32');
    const noise = Object.fromEntries((inputs.noise ?? []).map((t, i) => [`noise_${i}`, t]));
    try {
      const { bound, essFraction } = this.run(SIGNATURES.train, { x: inputs.x, learning_rate: this.learningRate(inputs.learningRate), counters, ...noise });
      return { bound: bound as Scalar, essFraction: essFraction as Scalar };
    } finally {
      counters.dispose();
    }
  }

  /** x.shape[0] optimizer steps in one call (a session created with that block size); the bound and ESS / n of each [N]. */
  trainSteps(inputs: BlockInputs): StepsResult {
    const counters = tf.tensor1d([inputs.step, ...inputs.seeds.map((s) => s | 0)], 'int32');
    try {
      const { bounds, essFractions } = this.run(stepsSignature(inputs.x.shape[0]), { x: inputs.x, learning_rate: this.learningRate(inputs.learningRate), counters });
      return { bound: bounds, essFraction: essFractions };
    } finally {
      counters.dispose();
    }
  }

  /** The learning rate as a tensor, kept while it stays the same (it changes once an epoch at most). */
  private learningRate(value: number): Tensor {
    if (this.rate?.value !== value) {
      this.rate?.tensor.dispose();
      this.rate = { value, tensor: tf.keep(tf.scalar(value)) };
    }
    return this.rate.tensor;
  }

  /** K log weights per example [K, b] for a batch x [b, D] of the evaluation size. */
  logWeights(x: Tensor, seed?: number, noise?: Tensor[]): Tensor {
    const made = this.randomness({ seed, noise });
    try {
      return this.run(SIGNATURES.logWeights, { x, ...made }).logWeights;
    } finally {
      this.disposeMade(made);
    }
  }

  /** The weights and optimizer state, by state key. */
  getState(): Map<string, Tensor> {
    const out = this.run(SIGNATURES.getState, {});
    return new Map(this.stateKeys.map((k) => [k, out[k]]));
  }

  setState(values: Map<string, Tensor>): void {
    const feed = Object.fromEntries(this.stateKeys.map((k) => {
      const v = values.get(k);
      if (!v) throw new Error(`set_state: no value for ${k}`);
      return [k, v];
    }));
    tf.dispose(Object.values(this.run(SIGNATURES.setState, feed)));
  }

  dispose(): void {
    this.rate?.tensor.dispose();
    this.rate = undefined;
    for (const s of this.signatures.values()) s.dispose();
    this.signatures.clear();
  }

  /** Disposes the inputs this class made, not the caller's noise. */
  private disposeMade(made: Record<string, Tensor>): void {
    tf.dispose(Object.entries(made).filter(([k]) => !k.startsWith('noise_')).map(([, t]) => t));
  }

  private randomness(inputs: { seed?: number; noise?: Tensor[] }): Record<string, Tensor> {
    if (inputs.noise) return Object.fromEntries(inputs.noise.map((t, i) => [`noise_${i}`, t]));
    if (inputs.seed === undefined) throw new Error('a graph call needs a seed');
    return { seed: tf.scalar(inputs.seed | 0, 'int32') };
  }

  private run(signature: string, feed: Record<string, Tensor>): Record<string, Tensor> {
    const model = this.signatures.get(signature);
    if (!model) throw new Error(`this graph has no ${signature} signature`);
    return model.predict(feed) as Record<string, Tensor>;
  }
}
