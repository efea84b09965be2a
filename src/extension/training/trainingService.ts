// The extension's training: one run at a time in its own process, what is
// known about it (for the status bar, the progress notification and the
// dashboard), and how it ended. No vscode import: tested against the real engine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EndEvent, RunEvent } from '../../shared/events';
import type { RunSnapshot } from '../../shared/protocol';
import { RunChoices } from '../../shared/trainingProtocol';
import { formatEpoch } from '../../engine/cli/format';
import { runId as defaultRunId } from '../../engine/train/newRun';
import { eventsUpTo, readEvents, readRunRecord, runPaths } from '../../engine/train/runDir';
import { RunFolderBusy, runLockHolder } from '../../engine/train/runLock';
import { totalEpochs } from '../../engine/train/schedule';
import type { Clock } from '../clock';
import { Emitter } from '../emitter';
import { errorMessage, type Logger } from '../logger';
import { EventThrottle } from './eventThrottle';
import { RunHistory } from './runHistory';
import { TrainingProcess, type ImagesRequest, type RunRequest, type TrainingOutcome } from './trainingProcess';

/** The training worker's bundle, relative to the extension. */
export const TRAINING_WORKER = 'dist/trainingWorker.js';

export interface StartRequest {
  /** The run's folder is created in here, named by its run id. */
  runsFolder: string;
  dataPath: string;
  choices: RunChoices;
  /** Where relative data paths resolve (the workspace folder). */
  cwd?: string;
  /** Stop after this many steps, as if asked to (tests, benchmarks). */
  maxSteps?: number;
}

export interface ResumeRequest {
  runDir: string;
  /** Default: the data the run was trained on. */
  dataPath?: string;
  cwd?: string;
  maxSteps?: number;
}

/** The run in progress, as the status bar and the progress notification show it. */
export interface RunProgress {
  runId: string;
  runDir: string;
  /** The training process. */
  pid?: number;
  phase: 'starting' | 'training' | 'stopping';
  step: number;
  totalSteps?: number;
  /** The epoch in progress, from 0. */
  epoch: number;
  totalEpochs?: number;
  /** Running mean of the training bound over the last progress interval. */
  trainBound?: number;
  /** Held-out L_K after the last epoch. */
  testBound?: number;
  imagesPerSec?: number;
}

export interface RunEnded {
  runId: string;
  runDir: string;
  outcome: TrainingOutcome;
}

export interface EventBatch {
  runId: string;
  events: RunEvent[];
}

export interface TrainingServiceOptions {
  /** The built worker, dist/trainingWorker.js. */
  workerPath: string;
  log: Logger;
  /** Added to each training process's environment (which native backend to load). */
  env?: () => NodeJS.ProcessEnv;
  /** Least time between two event batches for the dashboard. */
  postIntervalMs?: number;
  stopTimeoutMs?: number;
  killTimeoutMs?: number;
  clock?: Clock;
}

export class TrainingBusyError extends Error {
  constructor(runId: string) {
    super(`a run is already training (${runId}); stop it before starting another`);
    this.name = 'TrainingBusyError';
  }
}

interface ActiveRun {
  trainer: TrainingProcess;
  history: RunHistory;
  throttle: EventThrottle;
  progress: RunProgress;
  ended: boolean;
}

export class TrainingService {
  private active?: ActiveRun;
  /** The run the dashboard shows: the active one, else the last one trained or opened. */
  private shown?: RunHistory;
  private readonly changes: Emitter<RunProgress | undefined>;
  private readonly ends: Emitter<RunEnded>;
  private readonly batches: Emitter<EventBatch>;
  private readonly shownChanges: Emitter<void>;
  private readonly log: Logger;

  /** The active run moved on, started, or (undefined) ended. */
  readonly onDidChangeProgress;
  readonly onDidEnd;
  /** New events of the shown run, throttled for the dashboard. */
  readonly onDidPostEvents;
  /** The dashboard shows another run now: it needs a fresh snapshot. */
  readonly onDidChangeShownRun;

  constructor(private readonly options: TrainingServiceOptions) {
    this.log = options.log;
    this.changes = new Emitter(this.log);
    this.ends = new Emitter(this.log);
    this.batches = new Emitter(this.log);
    this.shownChanges = new Emitter(this.log);
    this.onDidChangeProgress = this.changes.event;
    this.onDidEnd = this.ends.event;
    this.onDidPostEvents = this.batches.event;
    this.onDidChangeShownRun = this.shownChanges.event;
  }

  get progress(): RunProgress | undefined {
    return this.active && { ...this.active.progress };
  }

  start(request: StartRequest): RunProgress {
    this.ensureIdle();
    const parsed = RunChoices.safeParse(request.choices);
    if (!parsed.success) throw new Error(`invalid run settings: ${z.prettifyError(parsed.error)}`);
    const choices = { ...parsed.data, runId: parsed.data.runId ?? defaultRunId(parsed.data) };
    const runDir = join(request.runsFolder, choices.runId);
    if (existsSync(runDir)) throw new Error(`${runDir} already exists; give the run another id`);
    const message: RunRequest = { type: 'start', runDir, dataPath: request.dataPath, choices, ...(request.maxSteps ? { maxSteps: request.maxSteps } : {}) };
    return this.launch(message, choices.runId, [], request.cwd);
  }

  resume(request: ResumeRequest): RunProgress {
    this.ensureIdle();
    const { runDir } = request;
    // Another window or a terminal may be training it; its training process would refuse too, after starting.
    const holder = runLockHolder(runDir);
    if (holder) throw new RunFolderBusy(runDir, holder);
    const record = readRunRecord(runDir);
    if (!record) throw new Error(`${runDir} holds no run (no run.json)`);
    if (record.status === 'finished') throw new Error(`${record.runId} has already finished`);
    if (!existsSync(runPaths(runDir).checkpoint)) throw new Error(`${record.runId} has no checkpoint to continue from`);
    const message: RunRequest = {
      type: 'resume', runDir, ...(request.dataPath ? { dataPath: request.dataPath } : {}), ...(request.maxSteps ? { maxSteps: request.maxSteps } : {}),
    };
    return this.launch(message, record.runId, eventsUpTo(runDir, record.step), request.cwd);
  }

  /** Stops the active run after its current step; resolves once its process has exited. */
  stop(): Promise<TrainingOutcome | undefined> {
    const active = this.active;
    if (!active) return Promise.resolve(undefined);
    if (active.progress.phase !== 'stopping') {
      active.progress.phase = 'stopping';
      this.log.info(`stopping ${active.progress.runId} after the current step`);
      this.changes.fire({ ...active.progress });
    }
    return active.trainer.stop();
  }

  /** Asks the active run for fresh images; false when nothing is training. */
  requestImages(request: ImagesRequest): boolean {
    if (!this.active) return false;
    this.active.trainer.requestImages(request);
    return true;
  }

  /** The id of the run the dashboard shows, without building its snapshot. */
  get shownRunId(): string | undefined {
    return this.shown?.runId;
  }

  snapshot(): RunSnapshot | null {
    return this.shown?.snapshot() ?? null;
  }

  /** Shows a run from its folder on the dashboard; ignored while a run trains (that one is shown). */
  show(runDir: string): boolean {
    if (this.active) return false;
    const record = readRunRecord(runDir);
    if (!record) throw new Error(`${runDir} holds no run (no run.json)`);
    this.shown = RunHistory.of(record.runId, record.status, readEvents(runDir));
    this.shownChanges.fire();
    return true;
  }

  /** Stops the active run and waits for it, at most `waitMs` (the host may be shutting down). */
  async dispose(waitMs = 4_000): Promise<void> {
    const stopped = this.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    for (const emitter of [this.changes, this.ends, this.batches, this.shownChanges]) emitter.dispose();
  }

  private ensureIdle(): void {
    if (this.active) throw new TrainingBusyError(this.active.progress.runId);
  }

  private launch(request: RunRequest, runId: string, past: RunEvent[], cwd?: string): RunProgress {
    const { workerPath, log } = this.options;
    if (!existsSync(workerPath)) throw new Error(`the training worker ${workerPath} is missing; rebuild the extension (npm run build)`);
    const history = RunHistory.of(runId, 'running', past);
    const trainer = new TrainingProcess(request, {
      workerPath, cwd, log, env: this.options.env?.(), stopTimeoutMs: this.options.stopTimeoutMs, killTimeoutMs: this.options.killTimeoutMs, clock: this.options.clock,
    });
    const active: ActiveRun = {
      trainer, history, ended: false,
      throttle: new EventThrottle((events) => this.batches.fire({ runId, events }), this.options.postIntervalMs),
      progress: { runId, runDir: request.runDir, pid: trainer.pid, phase: 'starting', step: history.lastStep, epoch: 0 },
    };
    this.active = active;
    this.shown = history;
    trainer.onEvent((event) => this.receive(active, event));
    trainer.onOutput((line) => log.info(`[training process] ${line}`));
    trainer.onExit((outcome) => this.finish(active, outcome));
    log.info(`${request.type === 'start' ? 'training' : 'resuming'} ${runId} in ${request.runDir} (process ${trainer.pid})`);
    this.shownChanges.fire();
    this.changes.fire({ ...active.progress });
    return { ...active.progress };
  }

  private receive(active: ActiveRun, event: RunEvent): void {
    const p = active.progress;
    switch (event.type) {
      case 'start':
        if (p.phase === 'starting') p.phase = 'training';
        p.totalSteps = event.totalSteps;
        p.step = event.step;
        p.totalEpochs = this.plannedEpochs(p.runDir);
        this.log.info(`${event.runId}: ${event.objective.kind.toUpperCase()} K=${event.objective.k} on ${event.dataset}, ${event.totalSteps} steps`);
        break;
      case 'progress':
        Object.assign(p, { step: event.step, epoch: event.epoch, trainBound: event.trainBound, imagesPerSec: event.imagesPerSec });
        break;
      case 'epoch':
        Object.assign(p, { step: event.step, epoch: event.epoch + 1, testBound: event.testIwae });
        this.log.info(`${p.runId}: ${formatEpoch(event)}`);
        break;
      case 'checkpoint':
        p.step = event.step;
        break;
      case 'end':
        active.ended = true;
        break;
      default:
        break;
    }
    active.history.add(event);
    active.throttle.push(event);
    this.changes.fire({ ...p });
  }

  private finish(active: ActiveRun, outcome: TrainingOutcome): void {
    const { runId, runDir } = active.progress;
    if (!active.ended) {
      // The dashboard hears how the run ended even when its process could not say it.
      const end: EndEvent = {
        type: 'end', status: outcome.status, step: outcome.step ?? active.history.lastStep,
        ...(outcome.message ? { message: outcome.message } : {}), time: active.history.lastTime,
      };
      active.history.add(end);
      active.throttle.push(end);
    }
    active.throttle.flush();
    active.throttle.dispose();
    active.history.status = outcome.status;
    if (outcome.status === 'failed') {
      this.log.error(`${runId} failed: ${outcome.message ?? 'no reason given'}`);
      if (outcome.exit?.stderr.length) this.log.error(`last output of the training process:\n${outcome.exit.stderr.join('\n')}`);
    } else {
      this.log.info(`${runId} ${outcome.status} at step ${outcome.step ?? active.history.lastStep}${outcome.message ? `: ${outcome.message}` : ''}`);
    }
    if (this.active === active) this.active = undefined;
    this.changes.fire(undefined);
    this.ends.fire({ runId, runDir, outcome });
  }

  private plannedEpochs(runDir: string): number | undefined {
    try {
      const record = readRunRecord(runDir);
      return record && totalEpochs(record.config.training.schedule);
    } catch (err) {
      this.log.warn(`${runDir}: cannot read the planned epochs: ${errorMessage(err)}`);
      return undefined;
    }
  }
}
