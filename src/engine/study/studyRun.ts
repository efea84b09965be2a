// Running a K study: every cell is an ordinary `latent-lab train` run in the
// runs folder, then an ordinary `latent-lab eval --per-example`, each its own
// process, at most `parallel` at a time. The manifest is rewritten as cells
// finish, so a stopped or killed study resumes where it was: finished runs are
// kept, stopped ones resumed (`train --resume`), evaluations read back from
// the file each left in its run folder.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StudyManifest, type StudyCell, type StudyObjective, type StudyPlan } from '../../shared/study';
import { writeFileAtomic } from '../checkpoint/atomicWrite';
import { readEvents, readRunRecord } from '../train/runDir';
import { studyResults, type CellOutcome } from './findings';

/** A child process of the study: its exit, and a way to ask it to stop (it saves and exits). */
export interface ChildRun {
  done: Promise<{ code: number | null; stdout: string }>;
  stop(): void;
}

/** Starts `latent-lab <args>`; `onLine` hears each line it prints on stdout. */
export type Launch = (args: string[], onLine: (line: string) => void) => ChildRun;

export const STUDY_SUFFIX = '.study.json';
export const manifestPath = (runsFolder: string, name: string) => join(runsFolder, `${name}${STUDY_SUFFIX}`);

/** A new study's default name: study-<date>-<time>. */
export function studyName(now = new Date()): string {
  return `study-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`;
}

/** One run per (objective, K, seed); at K = 1 the VAE and IWAE bounds (and, with the standard estimator, their gradients) are one, so one run serves both. */
export function studyCells(plan: StudyPlan): StudyCell[] {
  const estimator = plan.trainArgs[plan.trainArgs.indexOf('--estimator') + 1];
  const shareK1 = plan.objectives.includes('vae') && plan.objectives.includes('iwae') && (!plan.trainArgs.includes('--estimator') || estimator === 'standard');
  const cells: StudyCell[] = [];
  for (const seed of plan.seeds) {
    for (const k of plan.ks) {
      if (k === 1 && shareK1) {
        cells.push({ objectives: ['vae', 'iwae'], k, seed, run: `${plan.name}-k1-s${seed}` });
        continue;
      }
      for (const o of plan.objectives) cells.push({ objectives: [o], k, seed, run: `${plan.name}-${o}-k${k}-s${seed}` });
    }
  }
  return cells;
}

/** The manifest of a study named `plan.name`: read back if it exists with the same plan, else new. */
export function openStudy(runsFolder: string, plan: StudyPlan, now: () => Date = () => new Date()): StudyManifest {
  const existing = readStudy(manifestPath(runsFolder, plan.name));
  if (existing) {
    if (JSON.stringify(existing.plan) !== JSON.stringify(plan)) {
      throw new Error(`${manifestPath(runsFolder, plan.name)}: a study of this name with another plan exists; resume it with --resume ${plan.name} or choose another --name`);
    }
    return existing;
  }
  const time = now().toISOString();
  return { format: 'latent-lab-study', version: 1, plan, cells: studyCells(plan), status: 'running', created: time, updated: time };
}

/** The manifest at `path`, undefined if there is none; a clear error naming the file if it is not one. */
export function readStudy(path: string): StudyManifest | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`);
  }
  const manifest = StudyManifest.safeParse(parsed);
  if (!manifest.success) throw new Error(`${path}: not a Latent Lab study manifest (${manifest.error.issues[0]?.path.join('.')}: ${manifest.error.issues[0]?.message})`);
  return manifest.data;
}

/** What `latent-lab eval --json --per-example` prints that a study reads. */
const EvalOutput = z.object({ perExample: z.array(z.number()), activeUnits: z.array(z.number().int().nonnegative()).min(1) });

export class StudyRun {
  private stopping = false;
  private readonly running = new Set<ChildRun>();
  private readonly failures: string[] = [];

  constructor(private readonly runsFolder: string, private manifest: StudyManifest, private readonly launch: Launch,
    private readonly note: (message: string) => void, private readonly now: () => Date = () => new Date()) {}

  /** Asks every running process to save and exit, and starts no new one. */
  stop(): void {
    this.stopping = true;
    for (const child of this.running) child.stop();
  }

  async run(parallel: number): Promise<StudyManifest> {
    mkdirSync(this.runsFolder, { recursive: true });
    this.save({ status: 'running', message: undefined });
    const { cells } = this.manifest;
    await this.pool(cells, parallel, (cell) => this.train(cell));
    const trained = cells.filter((c) => readRunRecord(this.dir(c))?.status === 'finished');
    await this.pool(trained, parallel, (cell) => this.evaluate(cell));
    if (this.stopping) return this.save({ status: 'stopped', message: 'stopped; run the same command (or --resume) to continue' });
    if (this.failures.length) return this.save({ status: 'failed', message: this.failures.join('; ') });
    const results = studyResults(this.manifest.plan, cells, (cell) => this.outcome(cell));
    return this.save({ status: 'finished', results });
  }

  private dir(cell: StudyCell): string {
    return join(this.runsFolder, cell.run);
  }

  private evaluationFile(cell: StudyCell): string {
    const { evalK, evalSeed } = this.manifest.plan;
    return join(this.dir(cell), `study-eval-${evalK}-s${evalSeed}.json`);
  }

  private async train(cell: StudyCell): Promise<void> {
    const dir = this.dir(cell);
    const before = readRunRecord(dir);
    if (before?.status === 'finished') return;
    this.note(`${before ? 'resuming' : 'training'} ${cell.run}`);
    const args = before ? ['train', '--resume', dir, '--json'] : trainArgs(this.manifest.plan, cell.objectives[cell.objectives.length - 1], cell, dir);
    const { code, stdout } = await this.child(args, (line) => this.progress(cell, line));
    const after = readRunRecord(dir);
    if (after?.status === 'finished') {
      this.note(`finished ${cell.run}`);
    } else if (!this.stopping) {
      this.failures.push(`${cell.run} ${after?.status ?? 'did not start'} (exit ${code})${after?.message ? `: ${after.message}` : lastLine(stdout)}`);
    }
  }

  private async evaluate(cell: StudyCell): Promise<void> {
    if (existsSync(this.evaluationFile(cell))) return;
    const { evalK, evalSeed } = this.manifest.plan;
    this.note(`evaluating ${cell.run} (-L_${evalK})`);
    const { code, stdout } = await this.child(['eval', this.dir(cell), '--k', String(evalK), '--seed', String(evalSeed), '--json', '--per-example'], () => undefined);
    if (this.stopping) return;
    const parsed = code === 0 ? EvalOutput.safeParse(safeJson(stdout.trim().split('\n').at(-1) ?? '')) : undefined;
    if (!parsed?.success) {
      this.failures.push(`evaluating ${cell.run} failed (exit ${code})${lastLine(stdout)}`);
      return;
    }
    writeFileAtomic(this.evaluationFile(cell), JSON.stringify(parsed.data));
  }

  private outcome(cell: StudyCell): CellOutcome {
    const file = this.evaluationFile(cell);
    const evaluation = EvalOutput.parse(JSON.parse(readFileSync(file, 'utf8')));
    const last = readEvents(this.dir(cell)).filter((e) => e.type === 'epoch').at(-1);
    if (!last || last.type !== 'epoch') throw new Error(`${join(this.dir(cell), 'metrics.jsonl')}: no epoch was recorded`);
    const objective: StudyObjective = cell.objectives[cell.objectives.length - 1];
    return { perExample: evaluation.perExample, activeUnits: evaluation.activeUnits[0], overfitting: last.trainBound - (objective === 'vae' ? last.testElbo : last.testIwae) };
  }

  private progress(cell: StudyCell, line: string): void {
    const event = safeJson(line) as { type?: string; epoch?: number; trainBound?: number } | undefined;
    if (event?.type === 'epoch' && typeof event.epoch === 'number' && typeof event.trainBound === 'number') {
      this.note(`${cell.run}: epoch ${event.epoch + 1}, train bound ${event.trainBound.toFixed(2)}`);
    }
  }

  private async child(args: string[], onLine: (line: string) => void): Promise<{ code: number | null; stdout: string }> {
    const child = this.launch(args, onLine);
    this.running.add(child);
    try {
      return await child.done;
    } finally {
      this.running.delete(child);
    }
  }

  /** Runs `work` on the items, at most `parallel` at once, starting none once stopping. */
  private async pool<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.stopping) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  }

  /** `message: undefined` in `change` clears the message (JSON leaves it out). */
  private save(change: Partial<StudyManifest>): StudyManifest {
    this.manifest = { ...this.manifest, ...change, updated: this.now().toISOString() };
    writeFileAtomic(manifestPath(this.runsFolder, this.manifest.plan.name), JSON.stringify(this.manifest, null, 2) + '\n');
    return this.manifest;
  }
}

/** `latent-lab train` of a new cell. */
export function trainArgs(plan: StudyPlan, objective: StudyObjective, cell: StudyCell, dir: string): string[] {
  const schedule = plan.schedule.kind === 'burda' ? ['--schedule', 'burda'] : ['--epochs', String(plan.schedule.epochs)];
  return ['train', '--data', plan.data, '--objective', objective, '--k', String(cell.k), ...schedule, '--seed', String(cell.seed),
    '--eval-k', String(plan.evalK), '--out', dir, '--json', ...plan.trainArgs];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const lastLine = (stdout: string) => {
  const line = stdout.trim().split('\n').at(-1);
  return line ? `: ${line.slice(0, 200)}` : '';
};
