// A run folder: run.json (what the run is and how it stands), checkpoint.safetensors
// (the latest state) and metrics.jsonl (every event, one JSON object per line),
// beside them the TensorBoard log, the host's labels.json and, while a process
// trains the run, its run.lock (runLock.ts).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunEvent } from '../../shared/events';
import { RunRecord } from '../../shared/runRecord';
import { describeWriteError, writeFileAtomic, writeJsonAtomic } from '../checkpoint/atomicWrite';
import { firstIssue } from '../schemaIssue';
import { LOCK_FILE } from './runLock';

export { RunRecord };

export const RUN_RECORD = 'run.json';
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const METRICS_FILE = 'metrics.jsonl';
/** The host's names and tags of a run (src/extension/runs/runLabels.ts). */
export const LABELS_FILE = 'labels.json';
const TENSORBOARD_PREFIX = 'events.out.tfevents.';

export const runPaths = (dir: string) => ({
  record: join(dir, RUN_RECORD),
  checkpoint: join(dir, CHECKPOINT_FILE),
  metrics: join(dir, METRICS_FILE),
});

/** A checkpoint file, or the checkpoint inside a run folder, as an absolute path. */
export function checkpointFileOf(path: string): string {
  const p = resolve(path);
  try {
    return statSync(p).isDirectory() ? runPaths(p).checkpoint : p;
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
}

/** Whether `name` is something a run or its readers write into a run folder (atomic writes' temporary files included). */
function isRunFile(name: string): boolean {
  return [RUN_RECORD, CHECKPOINT_FILE, METRICS_FILE, LABELS_FILE, LOCK_FILE].includes(name)
    || name.startsWith(TENSORBOARD_PREFIX) || /^\.(run\.json|checkpoint\.safetensors|metrics\.jsonl|labels\.json)\..*\.tmp$/.test(name)
    || /^run\.lock\..+$/.test(name);
}

/** The folder of a new run: created if need be; an error naming it when it is a file. */
export function createRunDir(dir: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!isFolder) throw new Error(`${dir}: exists and is not a folder; a run needs a folder of its own`);
}

/**
 * Makes the folder of a new run ready, under its lock: a new or empty folder is
 * used as is; one a dead run left without a checkpoint (killed or diverged
 * before its first) is cleared of that run's files, so the new run starts
 * clean. A folder holding a checkpoint, a finished run's record, a damaged
 * run.json or files that are not a run's is refused.
 */
export function prepareNewRunDir(dir: string): void {
  const names = readdirSync(dir);
  const foreign = names.filter((name) => !isRunFile(name));
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
    throw new Error(`${dir}: holds files that are not a run's (${shown}); train into a new or empty folder`);
  }
  if (names.includes(CHECKPOINT_FILE)) throw new Error(`${dir}: already holds a run with a checkpoint; resume it (latent-lab train --resume ${dir}) or choose another folder`);
  // Only a run that never got anywhere is cleared: a finished run's record, or one damaged by something else, is kept.
  const recorded = runRecordState(dir);
  if ('record' in recorded && recorded.record.status === 'finished') {
    throw new Error(`${dir}: holds the record of a finished run (its checkpoint is gone); choose another folder`);
  }
  if (!('record' in recorded) && !recorded.missing) throw new Error(`${dir}: ${recorded.problem}; move it aside to start a new run here`);
  for (const name of names) {
    if (name !== LABELS_FILE && name !== LOCK_FILE && !name.startsWith(`${LOCK_FILE}.`)) rmSync(join(dir, name), { force: true });
  }
}

/** What a run that ended unfinished leaves to continue from, as a clause of its message. */
export function keptCheckpoint(step: number | undefined): string {
  return step === undefined ? 'no checkpoint had been written yet, so there is nothing to resume' : `the last checkpoint (step ${step}) is kept`;
}

/**
 * The checkpoint a resume of `dir` continues from; an error saying why there is
 * none (no such folder, or a run that ended before its first checkpoint).
 */
export function resumableCheckpoint(dir: string): string {
  const file = runPaths(dir).checkpoint;
  if (existsSync(file)) return file;
  if (!existsSync(dir)) throw new Error(`${dir}: no such run folder`);
  const state = runRecordState(dir);
  const why = 'record' in state ? state.record.message?.replace(`; ${keptCheckpoint(undefined)}`, '') : undefined;
  const story = 'record' in state ? `the run ${state.record.status} before its first checkpoint${why ? ` (${why})` : ''}` : 'it holds no checkpoint';
  throw new Error(`${dir}: nothing to resume: ${story}; start it again instead (latent-lab train --out ${dir})`);
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeJsonAtomic(runPaths(dir).record, record);
}

/** What a run folder's run.json holds: the record, or why there is none (never throws). */
export type RunRecordState = { record: RunRecord } | { missing: boolean; problem: string };

export function runRecordState(dir: string): RunRecordState {
  const path = runPaths(dir).record;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { missing, problem: missing ? `no ${RUN_RECORD}` : `${RUN_RECORD} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { missing: false, problem: `${RUN_RECORD} is not valid JSON (cut short, or not written by Latent Lab)` };
  }
  if ((json as { format?: unknown } | null)?.format !== RunRecord.shape.format.value) {
    return { missing: false, problem: `${RUN_RECORD} is not a Latent Lab run record` };
  }
  const parsed = RunRecord.safeParse(json);
  if (!parsed.success) return { missing: false, problem: `${RUN_RECORD} does not match its schema: ${firstIssue(parsed.error, 'the record')}` };
  return { record: parsed.data };
}

/** The run record of `dir`; undefined when it has none, an error naming the file when it is damaged. */
export function readRunRecord(dir: string): RunRecord | undefined {
  const state = runRecordState(dir);
  if ('record' in state) return state.record;
  if (state.missing) return undefined;
  throw new Error(`${dir}: ${state.problem}`);
}

/** One write per event: a crash can cut at most the last line, which readers skip. */
export function appendEvent(dir: string, event: RunEvent): void {
  const path = runPaths(dir).metrics;
  try {
    appendFileSync(path, JSON.stringify(event) + '\n');
  } catch (err) {
    throw describeWriteError(path, err);
  }
}

export function readEvents(dir: string): RunEvent[] {
  const path = runPaths(dir).metrics;
  if (!existsSync(path)) return [];
  const events: RunEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = RunEvent.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
    } catch {
      // A line cut short by a killed process: everything before it is intact.
    }
  }
  return events;
}

/**
 * The events of a run as of its checkpoint at `step`. What a killed or stopped
 * run logged after its last checkpoint describes steps its resumption will take
 * again, so those events are not part of its history.
 */
export function eventsUpTo(dir: string, step: number): RunEvent[] {
  return readEvents(dir).filter((e) => e.step <= step);
}

/** Rewrites metrics.jsonl to the events as of the checkpoint at `step`, so a resumed run's log reads as if never stopped. */
export function rewindEvents(dir: string, step: number): void {
  const kept = eventsUpTo(dir, step);
  writeFileAtomic(runPaths(dir).metrics, kept.map((e) => JSON.stringify(e) + '\n').join(''));
}
