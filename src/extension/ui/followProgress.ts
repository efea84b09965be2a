// A progress notification that follows one job of a service (a run, a K
// study) through the service's progress events until the job is no longer the
// service's current one; its Cancel asks the service to stop the job.
import * as vscode from 'vscode';
import type { Event } from '../emitter';

export interface FollowedJob<P> {
  title: string;
  changes: Event<P | undefined>;
  /** Whether `p` is still the job this notification follows. */
  isJob(p: P | undefined): p is P;
  /** What the notification says, and how far the job is (undefined: not known yet). */
  describe(p: P): { message: string; percent?: number };
  stop(): void;
}

export function followProgress<P>(job: FollowedJob<P>): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: job.title, cancellable: true },
    (progress, token) => new Promise<void>((resolve) => {
      let reported = 0;
      const subscription = job.changes((p) => {
        if (!job.isJob(p)) {
          subscription.dispose();
          resolve();
          return;
        }
        const { message, percent = reported } = job.describe(p);
        progress.report({ message, increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      });
      token.onCancellationRequested(() => job.stop());
    }),
  );
}
