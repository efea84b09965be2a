// The training bound of every step, kept on the device and read back every few
// steps in one go (the only sync with the device in the loop): what the
// progress events report, and where divergence is noticed. A call that took
// several steps adds their bounds as one tensor.
import { tf, type Tensor } from '../tf';

export class TrainingDiverged extends Error {}

export interface ProgressReading {
  /** Mean bound of the steps read, and their sum and count (for the epoch's mean). */
  meanBound: number;
  sum: number;
  steps: number;
  imagesPerSec: number;
}

export class ProgressReport {
  /** Bounds of the steps since the last reading: a scalar per single step, [n] per call of n steps. */
  private pending: Tensor[] = [];
  private lastRead: number;

  constructor(private readonly batchSize: number, private readonly now: () => number) {
    this.lastRead = now();
  }

  /** Steps whose bounds wait to be read. */
  get size(): number {
    return this.pending.reduce((n, t) => n + t.size, 0);
  }

  add(bound: Tensor): void {
    this.pending.push(bound);
  }

  /** Reads the bounds added since the last reading; `lastStep` is the step of the newest. Throws TrainingDiverged on a non-finite bound. */
  async read(lastStep: number): Promise<ProgressReading | undefined> {
    if (this.pending.length === 0) return undefined;
    const stacked = tf.tidy(() => tf.concat(this.pending.map((t) => t.reshape([-1]))));
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
