// A loaded training SavedModel: one TensorFlow session in this process that
// holds the weights and Adam moments, and one call per training step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, type Scalar, type Tensor } from '../tf';
import type { StepResult } from '../train/step';
import { SIGNATURES, writeTrainingGraph, type GraphSpec } from './trainingGraph';

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

export class GraphSession {
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
      const keys = writeTrainingGraph(dir, spec);
      const names = [SIGNATURES.train, SIGNATURES.getState, SIGNATURES.setState, ...(spec.evaluation ? [SIGNATURES.logWeights] : [])];
      // Signatures of one folder share one session, hence one set of variables.
      for (const name of names) signatures.set(name, await tf.node.loadSavedModel(dir, ['serve'], name));
      return new GraphSession(keys, signatures);
    } catch (err) {
      for (const loaded of signatures.values()) loaded.dispose();
      throw err;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** One optimizer step; returns the bound and ESS / n before the update. */
  trainStep(inputs: StepInputs): StepResult {
    const made = { learning_rate: tf.scalar(inputs.learningRate), step: tf.scalar(inputs.step), ...this.randomness(inputs) };
    try {
      const { bound, essFraction } = this.run(SIGNATURES.train, { x: inputs.x, ...made });
      return { bound: bound as Scalar, essFraction: essFraction as Scalar };
    } finally {
      this.disposeMade(made);
    }
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
