// Where a run's events go: metrics.jsonl (the record), the TensorBoard log
// beside it, and whoever watches (the CLI's progress view, the training
// process's channel to the extension).
import type { RunEvent } from '../../shared/events';
import { appendEvent } from './runDir';
import { TensorBoardLog } from './tensorboard';

export class RunEvents {
  private readonly tensorBoard: TensorBoardLog;

  constructor(private readonly runDir: string, private readonly watcher?: (event: RunEvent) => void) {
    this.tensorBoard = new TensorBoardLog(runDir);
  }

  /** The watcher hears every event, even one the folder could not take (a full disk). */
  emit(event: RunEvent): void {
    try {
      appendEvent(this.runDir, event);
      this.tensorBoard.write(event);
    } finally {
      this.watcher?.(event);
    }
  }
}
