// The training bound of every step, kept on the device and read back every few
// steps in one go (the only sync with the device in the loop): what the
// progress events report, and where divergence is noticed.
import { tf, type Scalar } from '../tf';

export class TrainingDiverged extends Error {}

export interface ProgressReading {
  /** Mean bound of the steps read, and their sum and count (for the epoch's mean). */
  meanBound: number;
  sum: number;
  steps: number;
  imagesPerSec: number;
}

export class ProgressReport {
  private pending: Scalar[] = [];
  private lastRead: number;

  constructor(private readonly batchSize: number, private readonly now: () => number) {
    this.lastRead = now();
  }

  get size(): number {
    return this.pending.length;
  }

  add(bound: Scalar): void {
    this.pending.push(bound);
  }

  /** Reads the bounds added since the last reading; `lastStep` is the step of the newest. Throws TrainingDiverged on a non-finite bound. */
  async read(lastStep: number): Promise<ProgressReading | undefined> {
    if (this.pending.length === 0) return undefined;
    const stacked = tf.stack(this.pending);
    const values = (await stacked.data()) as Float32Array;
    tf.dispose([stacked, ...this.pending]);
    this.pending = [];
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new TrainingDiverged(`training diverged at step ${lastStep - values.length + bad + 1}: the bound is ${values[bad]}`);
    const sum = values.reduce((a, v) => a + v, 0);
    const now = this.now();
    const imagesPerSec = (values.length * this.batchSize) / Math.max(1e-9, (now - this.lastRead) / 1000);
    this.lastRead = now;
    return { meanBound: sum / values.length, sum, steps: values.length, imagesPerSec };
  }

  dispose(): void {
    tf.dispose(this.pending);
    this.pending = [];
  }
}
