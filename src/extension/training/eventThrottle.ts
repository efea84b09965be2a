// Batches a run's events for the dashboard: a fast run emits progress far more
// often than a webview can usefully redraw, and every postMessage costs a
// serialization. At most one batch per interval; within a batch a burst of
// progress events collapses to its newest, and every other event is kept.
import type { RunEvent } from '../../shared/events';
import { systemClock, type Clock } from '../clock';

export class EventThrottle {
  private pending: RunEvent[] = [];
  private timer: unknown;
  private lastPost = -Infinity;

  constructor(
    private readonly post: (events: RunEvent[]) => void,
    private readonly intervalMs = 100,
    private readonly clock: Clock = systemClock,
  ) {}

  push(event: RunEvent): void {
    const last = this.pending[this.pending.length - 1];
    if (event.type === 'progress' && last?.type === 'progress') this.pending[this.pending.length - 1] = event;
    else this.pending.push(event);
    if (this.timer !== undefined) return;
    const wait = this.lastPost + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Posts whatever is pending now (at the end of a run, so nothing waits for a timer). */
  flush(): void {
    this.cancelTimer();
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.lastPost = this.clock.now();
    this.post(events);
  }

  dispose(): void {
    this.cancelTimer();
    this.pending = [];
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
