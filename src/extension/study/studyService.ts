// The extension's K study: `latent-lab study --json` in its own process,
// forked like every engine process (engineProcess.ts, with the native backend
// in its environment), one study at a time. The study trains and evaluates its
// runs in processes of its own, writes its manifest beside them and keeps it
// current, so what the runs view and the experiment dashboard show comes from
// the runs folder; this service reports how far the study is, stops it (the
// command line's own Ctrl-C: every run saves after its current step) and
// resumes it. No vscode import.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StudyManifest, type StudyPlan, type StudyStatus } from '../../shared/study';
import { readRunRecord } from '../../engine/train/runDir';
import { manifestPath, readStudy } from '../../engine/study/studyRun';
import { systemClock, type Clock } from '../clock';
import { Emitter } from '../emitter';
import { forkEngineProcess, TENSORFLOW_NOISE } from '../engineProcess';
import { errorMessage, type Logger } from '../logger';

/** The command line's bundle, relative to the extension. */
export const CLI_BUNDLE = 'dist/cli.js';

/** A new study: its plan (the data path absolute) and where its runs go. */
export interface NewStudy {
  runsFolder: string;
  plan: StudyPlan;
  cwd?: string;
}

/** A study of that name in that runs folder, continued with its own plan. */
export interface ResumedStudy {
  runsFolder: string;
  name: string;
  cwd?: string;
}

export interface StudyProgress {
  name: string;
  runsFolder: string;
  phase: 'running' | 'stopping';
  /** Runs of the study that have finished training, of all its runs. */
  trained: number;
  runs: number;
  /** The study's last note (which run it trains or evaluates, an epoch's bound). */
  note?: string;
}

export interface StudyOutcome {
  name: string;
  runsFolder: string;
  status: Exclude<StudyStatus, 'running'>;
  message?: string;
  manifest?: StudyManifest;
}

export interface StudyServiceOptions {
  /** The built command line, dist/cli.js (or its .ts source with tsx in `execArgv`, in tests). */
  cliPath: string;
  execArgv?: string[];
  log: Logger;
  /** Added to the study's environment (which native backend its runs load). */
  env?: () => NodeJS.ProcessEnv;
  /** Time a stop may take (every run's current step and checkpoint) before the study is killed. */
  stopTimeoutMs?: number;
  clock?: Clock;
}

export class StudyBusyError extends Error {
  constructor(name: string) {
    super(`the K study ${name} is running; stop it before starting another`);
    this.name = 'StudyBusyError';
  }
}

/** `latent-lab study` for a new study or a resumed one, printing its manifest as JSON at the end. */
export function studyArguments(request: NewStudy | ResumedStudy): string[] {
  if ('name' in request) return ['study', '--resume', request.name, '--runs', request.runsFolder, '--json'];
  const p = request.plan;
  const schedule = p.schedule.kind === 'burda' ? ['--schedule', 'burda'] : ['--epochs', String(p.schedule.epochs)];
  return ['study', '--data', p.data, '--objectives', p.objectives.join(','), '--k', p.ks.join(','), ...schedule, '--seeds', p.seeds.join(','),
    '--name', p.name, '--runs', request.runsFolder, '--eval-k', String(p.evalK), '--eval-seed', String(p.evalSeed), '--json', '--', ...p.trainArgs];
}

/** How many of the study's runs have finished training, read from the runs folder. */
export function trainedRuns(runsFolder: string, name: string): { trained: number; runs: number } {
  const manifest = readStudy(manifestPath(runsFolder, name));
  if (!manifest) return { trained: 0, runs: 0 };
  const trained = manifest.cells.filter((c) => existsSync(join(runsFolder, c.run)) && readRunRecord(join(runsFolder, c.run))?.status === 'finished').length;
  return { trained, runs: manifest.cells.length };
}

const DEFAULT_STOP_TIMEOUT_MS = 120_000;
const STDERR_LINES = 20;

interface Active {
  child: ChildProcess;
  progress: StudyProgress;
  stdout: string;
  stderr: string[];
  done: Promise<StudyOutcome>;
}

export class StudyService {
  private active?: Active;
  private readonly changes: Emitter<StudyProgress | undefined>;
  private readonly ends: Emitter<StudyOutcome>;
  private readonly clock: Clock;
  /** The study moved on, started, or (undefined) ended. */
  readonly onDidChangeProgress;
  readonly onDidEnd;

  constructor(private readonly options: StudyServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.changes = new Emitter(options.log);
    this.ends = new Emitter(options.log);
    this.onDidChangeProgress = this.changes.event;
    this.onDidEnd = this.ends.event;
  }

  get progress(): StudyProgress | undefined {
    return this.active && { ...this.active.progress };
  }

  start(request: NewStudy): StudyProgress {
    return this.launch(request, request.plan.name);
  }

  resume(request: ResumedStudy): StudyProgress {
    if (!readStudy(manifestPath(request.runsFolder, request.name))) throw new Error(`${manifestPath(request.runsFolder, request.name)}: no such study`);
    return this.launch(request, request.name);
  }

  /** Asks every run of the study to stop after its current step; resolves once the study has exited. */
  stop(): Promise<StudyOutcome | undefined> {
    const active = this.active;
    if (!active) return Promise.resolve(undefined);
    if (active.progress.phase !== 'stopping') {
      active.progress.phase = 'stopping';
      this.options.log.info(`stopping the K study ${active.progress.name} after each run's current step`);
      active.child.kill('SIGINT');
      const timer = this.clock.setTimeout(() => active.child.kill('SIGKILL'), this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
      void active.done.then(() => this.clock.clearTimeout(timer));
      this.changes.fire({ ...active.progress });
    }
    return active.done;
  }

  async dispose(waitMs = 4_000): Promise<void> {
    const stopped = this.stop();
    let timer: unknown;
    await Promise.race([stopped, new Promise<void>((resolve) => (timer = this.clock.setTimeout(() => resolve(), waitMs)))]);
    this.clock.clearTimeout(timer);
    this.changes.dispose();
    this.ends.dispose();
  }

  private launch(request: NewStudy | ResumedStudy, name: string): StudyProgress {
    if (this.active) throw new StudyBusyError(this.active.progress.name);
    const { cliPath, execArgv, log } = this.options;
    if (!existsSync(cliPath)) throw new Error(`the command line ${cliPath} is missing; rebuild the extension (npm run build)`);
    const args = studyArguments(request);
    const child = forkEngineProcess(cliPath, { args, cwd: request.cwd, env: this.options.env?.(), execArgv });
    const progress: StudyProgress = { name, runsFolder: request.runsFolder, phase: 'running', ...trainedRuns(request.runsFolder, name) };
    let settle!: (outcome: StudyOutcome) => void;
    const active: Active = { child, progress, stdout: '', stderr: [], done: new Promise((resolve) => (settle = resolve)) };
    child.on('error', (err) => log.warn(`K study ${name}: ${err.message}`));
    child.on('close', (code, signal) => settle(this.outcome(active, code, signal)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (active.stdout += chunk));
    let partial = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.note(active, line);
    });
    this.active = active;
    log.info(`K study ${name}: latent-lab ${args.join(' ')} (process ${child.pid})`);
    void active.done.then((outcome) => {
      if (this.active === active) this.active = undefined;
      log.info(`K study ${name} ${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}`);
      this.changes.fire(undefined);
      this.ends.fire(outcome);
    });
    this.changes.fire({ ...progress });
    return { ...progress };
  }

  private note(active: Active, line: string): void {
    const text = line.trim();
    if (!text) return;
    active.stderr.push(text);
    if (active.stderr.length > STDERR_LINES) active.stderr.shift();
    this.options.log.info(`[K study] ${text}`);
    const p = active.progress;
    try {
      Object.assign(p, trainedRuns(p.runsFolder, p.name));
    } catch (err) {
      this.options.log.warn(`K study ${p.name}: ${errorMessage(err)}`);
    }
    p.note = text;
    this.changes.fire({ ...p });
  }

  /** The study's own account (its manifest, the last line it prints), else how its process went. */
  private outcome(active: Active, code: number | null, signal: NodeJS.Signals | null): StudyOutcome {
    const { name, runsFolder } = active.progress;
    const last = active.stdout.trim().split('\n').at(-1) ?? '';
    let manifest: StudyManifest | undefined;
    try {
      const parsed = StudyManifest.safeParse(JSON.parse(last));
      if (parsed.success) manifest = parsed.data;
    } catch {
      manifest = undefined;
    }
    if (manifest && manifest.status !== 'running') {
      return { name, runsFolder, status: manifest.status, ...(manifest.message ? { message: manifest.message } : {}), manifest };
    }
    const why = active.stderr.filter((l) => !TENSORFLOW_NOISE.test(l)).at(-1);
    const stopped = active.progress.phase === 'stopping';
    return {
      name, runsFolder, status: stopped ? 'stopped' : 'failed',
      message: `the study process exited (${signal ?? `code ${code}`})${stopped ? ' while stopping; run it again to resume' : ''}${why ? `: ${why}` : ''}`,
    };
  }
}

/** "K study s finished: 4 findings hold, 1 does not, 3 not resolved", or how it stopped or failed. */
export function describeStudyEnd(o: StudyOutcome): string {
  if (o.status !== 'finished' || !o.manifest?.results) return `Latent Lab: the K study ${o.name} ${o.status}${o.message ? `: ${o.message}` : ''}`;
  const count = (verdict: string) => o.manifest!.results!.findings.filter((f) => f.verdict === verdict).length;
  const parts = [`${count('holds')} hold`, `${count('does not hold')} do not`, `${count('not resolved')} not resolved`];
  return `Latent Lab: the K study ${o.name} finished: of its findings ${parts.join(', ')}.`;
}
