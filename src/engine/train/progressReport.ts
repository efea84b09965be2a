// The training bound and ESS / n of every step, kept on the device and read
// back every few steps in one go (the only sync with the device in the loop):
// what the progress events report, and where divergence is noticed.
import { tf } from '../tf';
import type { StepResult } from './step';

export class TrainingDiverged extends Error {}

export interface ProgressReading {
  /** Mean bound of the steps read, and their sum and count (for the epoch's mean). */
  meanBound: number;
  sum: number;
  steps: number;
  /** Mean over the steps read of their ESS / n. */
  essFraction: number;
  imagesPerSec: number;
}

export class ProgressReport {
  private pending: StepResult[] = [];
  private lastRead: number;

  constructor(private readonly batchSize: number, private readonly now: () => number) {
    this.lastRead = now();
  }

  get size(): number {
    return this.pending.length;
  }

  add(step: StepResult): void {
    this.pending.push(step);
  }

  /** Reads the bounds added since the last reading; `lastStep` is the step of the newest. Throws TrainingDiverged on a non-finite bound. */
  async read(lastStep: number): Promise<ProgressReading | undefined> {
    if (this.pending.length === 0) return undefined;
    const stacked = tf.stack(this.pending.flatMap((p) => [p.bound, p.essFraction])); // [bound, ESS / n] per step
    const both = (await stacked.data()) as Float32Array;
    tf.dispose([stacked, ...this.pending.flatMap((p) => [p.bound, p.essFraction])]);
    this.pending = [];
    const values = both.filter((_, i) => i % 2 === 0);
    const fractions = both.filter((_, i) => i % 2 === 1);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new TrainingDiverged(`training diverged at step ${lastStep - values.length + bad + 1}: the bound is ${values[bad]}`);
    const sum = values.reduce((a, v) => a + v, 0);
    const now = this.now();
    const imagesPerSec = (values.length * this.batchSize) / Math.max(1e-9, (now - this.lastRead) / 1000);
    this.lastRead = now;
    return { meanBound: sum / values.length, sum, steps: values.length, essFraction: fractions.reduce((a, v) => a + v, 0) / fractions.length, imagesPerSec };
  }

  dispose(): void {
    tf.dispose(this.pending.flatMap((p) => [p.bound, p.essFraction]));
    this.pending = [];
  }
}
