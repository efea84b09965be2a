// The training bound and ESS / n of every step, kept on the device and read
// back every few steps in one go (the only sync with the device in the loop):
// what the progress events report, and where divergence is noticed. A call that
// took several steps adds their values as [n] tensors.
import { tf } from '../tf';
import type { StepsResult } from './step';

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
  /** What the steps since the last reading reported: scalars per single step, [n] per call of n steps. */
  private pending: StepsResult[] = [];
  private lastRead: number;

  constructor(private readonly batchSize: number, private readonly now: () => number) {
    this.lastRead = now();
  }

  /** Steps whose reports wait to be read. */
  get size(): number {
    return this.pending.reduce((n, p) => n + p.bound.size, 0);
  }

  add(result: StepsResult): void {
    this.pending.push(result);
  }

  /** Reads the reports added since the last reading; `lastStep` is the step of the newest. Throws TrainingDiverged on a non-finite bound. */
  async read(lastStep: number): Promise<ProgressReading | undefined> {
    if (this.pending.length === 0) return undefined;
    // [bounds of every step, then their ESS / n]
    const stacked = tf.tidy(() => tf.concat([...this.pending.map((p) => p.bound.reshape([-1])), ...this.pending.map((p) => p.essFraction.reshape([-1]))]));
    this.dispose();
    const both = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const values = both.subarray(0, both.length / 2);
    const fractions = both.subarray(both.length / 2);
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
