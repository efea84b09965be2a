// How the process that trains a run (the CLI, the extension's training process)
// is asked to stop. The first SIGINT (Ctrl-C), SIGTERM or SIGHUP, or a request
// (the extension's Stop), asks the trainer to stop at its next look (between
// steps, batches or estimator calls), keeping the last checkpoint; a signal
// after that aborts at once, with run.json saying so (every file is written
// atomically, so none is left half written). A closed stdout or stderr
// (`latent-lab train … | head -1`) stops the run like a first Ctrl-C: its
// output has nowhere to go. docs/guarantees.md.
import type { EventEmitter } from 'node:events';
import { markInterrupted } from './interruptedRun';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof SIGNALS)[number];
const EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const NAMES: Record<StopSignal, string> = { SIGINT: 'Ctrl-C (SIGINT)', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP (the terminal closed)' };

/** What of the process the control listens to and ends (the real one, or a test's stand-in). */
export interface ControlledProcess extends Pick<EventEmitter, 'on' | 'off'> {
  stdout: Pick<EventEmitter, 'on' | 'off'>;
  stderr: Pick<EventEmitter, 'on' | 'off'>;
  exit(code: number): never;
}

export interface StopControl {
  /** Asks for a stop, unless one was asked for already; `reason` goes into run.json. */
  request(reason: string): void;
  shouldStop(): boolean;
  /** Why the run was asked to stop, for run.json. */
  stopReason(): string | undefined;
  /** False once stdout or stderr is closed: nothing more should be written. */
  readonly canWrite: boolean;
  dispose(): void;
}

/** `note` tells the user what a signal does (it is not called once output is closed). */
export function processStopControl(runDir: string, note: (message: string) => void, proc: ControlledProcess = process): StopControl {
  let reason: string | undefined;
  let canWrite = true;
  const onSignal = (signal: StopSignal) => {
    if (reason !== undefined) {
      // run.json says how the run ended; the checkpoint on disk is whole, and the lock goes with the process.
      try {
        markInterrupted(runDir, 'stopped', `${reason}, then aborted by a second ${NAMES[signal]}`);
      } catch (err) {
        if (canWrite) note(`aborted, but run.json could not record it: ${(err as Error).message}`);
      }
      proc.exit(EXIT_CODES[signal]);
    }
    reason = `stopped by ${NAMES[signal]}`;
    if (canWrite) note(`stopping: the run ends at its next step or batch, keeping its checkpoint (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again aborts at once)`);
  };
  const onOutputError = (err: NodeJS.ErrnoException) => {
    // After EPIPE every further write fails too; those errors are expected and dropped.
    if (!canWrite) return;
    canWrite = false;
    reason ??= `stopped: its output was closed (${err.code ?? err.message})`;
  };
  const handlers = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) proc.on(signal, handler);
  proc.stdout.on('error', onOutputError);
  proc.stderr.on('error', onOutputError);
  return {
    request: (why) => {
      reason ??= why;
    },
    shouldStop: () => reason !== undefined,
    stopReason: () => reason,
    get canWrite() {
      return canWrite;
    },
    dispose: () => {
      for (const [signal, handler] of handlers) proc.off(signal, handler);
      // Output errors stay handled until the process exits: a late write must not crash it.
    },
  };
}
