// A job's progress events (a value while it runs, undefined once it is over)
// reduced to the two moments context keys and panels care about: it started,
// it ended; not every progress report in between.
import type { Disposable, Event } from '../emitter';

export interface ProgressingJob {
  readonly progress: unknown;
  readonly onDidChangeProgress: Event<unknown>;
}

/** Calls `listener(running)` whenever `job` starts or ends. */
export function onStartOrEnd(job: ProgressingJob, listener: (running: boolean) => void): Disposable {
  let running = job.progress !== undefined;
  return job.onDidChangeProgress((p) => {
    if ((p !== undefined) === running) return;
    running = p !== undefined;
    listener(running);
  });
}
