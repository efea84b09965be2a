// A run folder: run.json (what the run is and how it stands), checkpoint.safetensors
// (the latest state) and metrics.jsonl (every event, one JSON object per line).
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RunEvent } from '../../shared/events';
import { RunRecord } from '../../shared/runRecord';
import { writeFileAtomic, writeJsonAtomic } from '../checkpoint/atomicWrite';

export { RunRecord };

export const RUN_RECORD = 'run.json';
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const METRICS_FILE = 'metrics.jsonl';

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

export function createRunDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
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
  if (!parsed.success) return { missing: false, problem: `${RUN_RECORD} does not match its schema: ${firstIssue(parsed.error)}` };
  return { record: parsed.data };
}

/** The run record of `dir`; undefined when it has none, an error naming the file when it is damaged. */
export function readRunRecord(dir: string): RunRecord | undefined {
  const state = runRecordState(dir);
  if ('record' in state) return state.record;
  if (state.missing) return undefined;
  throw new Error(`${dir}: ${state.problem}`);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'the record'}: ${issue.message}` : error.message;
}

/** One write per event: a crash can cut at most the last line, which readers skip. */
export function appendEvent(dir: string, event: RunEvent): void {
  appendFileSync(runPaths(dir).metrics, JSON.stringify(event) + '\n');
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
