// TensorBoard event files beside a run's metrics.jsonl, so `tensorboard --logdir
// <runs folder>` shows every run by its folder name. Runs in the training process
// (tfjs-node's summary writer is native); docs/tensorboard.md has the tags.
import { tf } from '../tf';
import type { RunEvent } from '../../shared/events';

export interface Scalar {
  tag: string;
  value: number;
  step: number;
}

/** The scalars an event carries, all against the optimizer step (TensorBoard's x axis). */
export function scalarsOf(event: RunEvent): Scalar[] {
  const at = (tag: string, value: number): Scalar => ({ tag, value, step: event.step });
  switch (event.type) {
    case 'progress':
      return [at('train/bound', event.trainBound), at('train/images_per_sec', event.imagesPerSec), at('train/learning_rate', event.learningRate)];
    case 'epoch':
      return [
        at('epoch/train_bound', event.trainBound),
        at('heldout/elbo', event.testElbo),
        at('heldout/iwae', event.testIwae),
        ...(event.testNll !== undefined ? [at('test/nll', event.testNll)] : []),
      ];
    case 'activeUnits':
      return event.active.map((n, layer) => at(`heldout/active_units/layer${layer + 1}`, n));
    case 'boundVsK':
      // One scalar per K at the final step: TensorBoard has no x axis of K, so K goes in the tag.
      return event.ks.map((k, i) => at(`test/bound_k${k}`, event.bounds[i]));
    default:
      return [];
  }
}

/** Events after which a reader expects to see the file up to date. */
const FLUSH_ON = new Set<RunEvent['type']>(['epoch', 'checkpoint', 'end']);

type SummaryWriter = ReturnType<typeof tf.node.summaryFileWriter>;

/**
 * tfjs-node's summary writer of `logDir`. tfjs-node keeps one per folder for the
 * life of the process (so asking again is cheap and a resumed run appends), but
 * never disposes the four scalars it passes to create one: the tidy does, and
 * only the writer's resource handle is kept.
 */
export function openSummaryWriter(logDir: string): SummaryWriter {
  let writer: SummaryWriter | undefined;
  tf.tidy(() => {
    writer = tf.node.summaryFileWriter(logDir);
    tf.keep(writer['resourceHandle']);
  });
  return writer!;
}

/**
 * The TensorBoard log of one run folder. Losing the TensorBoard view must never
 * stop a run: the first failure is reported on stderr and the log is left alone
 * from then on.
 */
export class TensorBoardLog {
  private disabled = false;

  constructor(private readonly runDir: string) {}

  /** Appends `event`'s scalars. */
  write(event: RunEvent): void {
    if (this.disabled) return;
    try {
      const scalars = scalarsOf(event);
      if (scalars.length === 0 && !FLUSH_ON.has(event.type)) return;
      const writer = openSummaryWriter(this.runDir);
      for (const s of scalars) if (Number.isFinite(s.value)) writer.scalar(s.tag, s.value, s.step);
      if (FLUSH_ON.has(event.type)) writer.flush();
    } catch (err) {
      this.disabled = true;
      process.stderr.write(`latent-lab: TensorBoard log in ${this.runDir} disabled: ${(err as Error).message}\n`);
    }
  }
}
