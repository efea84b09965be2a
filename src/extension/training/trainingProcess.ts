// One training process as the extension host sees it: forked from the built
// worker, spoken to over the typed channel of src/shared/trainingProtocol.ts,
// and watched until it exits, however it exits. No vscode import: tested as is.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { EndEvent, RunEvent, RunStatus } from '../../shared/events';
import { FromTrainer, type ToTrainer } from '../../shared/trainingProtocol';
import { systemClock, type Clock } from '../clock';
import { Emitter } from '../emitter';
import { forkEngineProcess } from '../engineProcess';
import { errorMessage, type Logger } from '../logger';
import { markInterrupted } from '../../engine/train/interruptedRun';

export type RunRequest = Extract<ToTrainer, { type: 'start' | 'resume' }>;
export type ImagesRequest = Omit<Extract<ToTrainer, { type: 'images' }>, 'type'>;

/** How a process that never reported the end of its run went away. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its last lines on stderr, oldest first. */
  stderr: string[];
}

export interface TrainingOutcome {
  status: Exclude<RunStatus, 'running'>;
  step?: number;
  message?: string;
  /** Present when the process ended without an `end` event. */
  exit?: ProcessExit;
}

export interface TrainingProcessOptions {
  /** The built worker, dist/trainingWorker.js. */
  workerPath: string;
  /** Where relative data paths resolve. */
  cwd?: string;
  /** Added to the process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Time a stop may take (the current step, a checkpoint) before SIGTERM. */
  stopTimeoutMs?: number;
  /** Time from SIGTERM to SIGKILL. */
  killTimeoutMs?: number;
  log: Logger;
  /** Runs the deadlines above (tests run them by hand). */
  clock?: Clock;
}

const STDERR_LINES = 20;
const CLOSE_GRACE_MS = 2_000;
const MAX_LOGGED_CHARS = 300;

export class TrainingProcess {
  private readonly child: ChildProcess;
  private readonly events: Emitter<RunEvent>;
  private readonly output: Emitter<string>;
  private readonly exits: Emitter<TrainingOutcome>;
  private readonly log: Logger;
  private readonly stderr: string[] = [];
  private readonly timers: unknown[] = [];
  private readonly clock: Clock;
  private requestSent = false;
  private stopRequested = false;
  private forced = false;
  private running = true;
  private end?: EndEvent;
  private refusal?: string;
  private lastStep?: number;

  readonly onEvent;
  /** Lines the process writes to stdout or stderr (TensorFlow's logs, a crash's stack). */
  readonly onOutput;
  readonly onExit;
  /** Settles once the process has exited and its output is read; never rejects. */
  readonly exited: Promise<TrainingOutcome>;

  constructor(readonly request: RunRequest, private readonly options: TrainingProcessOptions) {
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.events = new Emitter(this.log);
    this.output = new Emitter(this.log);
    this.exits = new Emitter(this.log);
    this.onEvent = this.events.event;
    this.onOutput = this.output.event;
    this.onExit = this.exits.event;
    this.child = forkEngineProcess(options.workerPath, { cwd: options.cwd, env: options.env });
    eachLine(this.child.stdout, (line) => this.output.fire(line));
    eachLine(this.child.stderr, (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES) this.stderr.shift();
      this.output.fire(line);
    });
    this.child.on('message', (raw) => this.receive(raw));
    this.exited = new Promise((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
        if (!this.running) return;
        this.running = false;
        for (const timer of this.timers) this.clock.clearTimeout(timer);
        const outcome = this.outcome(code, signal, spawnError);
        resolve(outcome);
        this.exits.fire(outcome);
      };
      this.child.on('close', (code, signal) => settle(code, signal));
      // 'close' waits for the output pipes too, which a stray grandchild could hold open forever.
      this.child.on('exit', (code, signal) => this.timers.push(this.clock.setTimeout(() => settle(code, signal), CLOSE_GRACE_MS)));
      this.child.on('error', (err) => {
        if (this.child.pid === undefined) settle(null, null, err.message);
        else this.log.warn(`training process: ${err.message}`);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Draw images now; ignored until the run has been sent. */
  requestImages(request: ImagesRequest): void {
    if (this.requestSent) this.send({ type: 'images', ...request });
  }

  /**
   * Asks the run to stop after its current step (it keeps a checkpoint); if it
   * has not exited by stopTimeoutMs, SIGTERM, then SIGKILL. Resolves on exit.
   */
  stop(): Promise<TrainingOutcome> {
    if (this.running && !this.stopRequested) {
      this.stopRequested = true;
      if (this.requestSent) this.send({ type: 'stop' });
      else this.child.kill('SIGTERM');
      this.timers.push(this.clock.setTimeout(() => this.escalate(), this.options.stopTimeoutMs ?? 60_000));
    }
    return this.exited;
  }

  private escalate(): void {
    this.forced = true;
    this.log.warn(`training process ${this.pid}: did not stop in time; terminating it`);
    this.child.kill('SIGTERM');
    this.timers.push(this.clock.setTimeout(() => this.child.kill('SIGKILL'), this.options.killTimeoutMs ?? 5_000));
  }

  private send(message: ToTrainer): void {
    if (!this.child.connected) return;
    this.child.send(message, (err) => {
      if (err) this.log.warn(`training process: could not send '${message.type}': ${err.message}`);
    });
  }

  private receive(raw: unknown): void {
    const parsed = FromTrainer.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`ignoring a malformed message from the training process: ${clip(z.prettifyError(parsed.error))}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        // The worker listens only once it says so; a stop before then already ended it.
        if (!this.requestSent && !this.stopRequested) {
          this.requestSent = true;
          this.send(this.request);
        }
        return;
      case 'event':
        if ('step' in message.event) this.lastStep = message.event.step;
        if (message.event.type === 'end') this.end = message.event;
        this.events.fire(message.event);
        return;
      case 'error':
        this.refusal = message.message;
        return;
    }
  }

  private outcome(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): TrainingOutcome {
    if (this.end) {
      return { status: this.end.status === 'running' ? 'failed' : this.end.status, step: this.end.step, ...(this.end.message ? { message: this.end.message } : {}) };
    }
    if (this.refusal !== undefined) {
      this.recordInterruption('failed', this.refusal);
      return { status: 'failed', message: this.refusal };
    }
    if (!this.requestSent && this.stopRequested) return { status: 'stopped', message: 'stopped before the run started' };
    const how = spawnError ? `could not be started (${spawnError})`
      : signal ? `was killed by ${signal}`
      : code === 0 ? 'exited before the run ended' : `exited with code ${code}`;
    const status = this.forced ? 'stopped' : 'failed';
    const reason = this.forced ? `the training process did not stop in time and ${how}` : `the training process ${how}`;
    const recorded = this.recordInterruption(status, reason);
    return {
      status, message: recorded ?? reason, ...(this.lastStep !== undefined ? { step: this.lastStep } : {}),
      exit: { code, signal, stderr: [...this.stderr] },
    };
  }

  /** A run folder whose process died says so in run.json; returns what it now says. */
  private recordInterruption(status: 'failed' | 'stopped', reason: string): string | undefined {
    if (!this.requestSent) return undefined;
    try {
      return markInterrupted(this.request.runDir, status, reason)?.message;
    } catch (err) {
      this.log.error(`could not record in ${this.request.runDir} that the run ${status}: ${errorMessage(err)}`);
      return undefined;
    }
  }
}

function eachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
  });
}

const clip = (s: string): string => (s.length > MAX_LOGGED_CHARS ? `${s.slice(0, MAX_LOGGED_CHARS)}…` : s);
