// A run folder: run.json (what the run is and how it stands), checkpoint.safetensors
// (the latest state) and metrics.jsonl (every event, one JSON object per line).
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunEvent, type RunStatus } from '../../shared/events';
import { writeFileAtomic, writeJsonAtomic } from '../checkpoint/atomicWrite';
import type { RunConfig } from './runConfig';

export const RUN_RECORD = 'run.json';
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
export const METRICS_FILE = 'metrics.jsonl';

export interface FinalEvaluation {
  evalK: number;
  testNll: number;
  testNllStandardError: number;
  examples: number;
  activeUnits: number[];
}

export interface RunRecord {
  format: 'latent-lab-run-record';
  runId: string;
  status: RunStatus;
  message?: string;
  config: RunConfig;
  created: string;
  updated: string;
  step: number;
  epoch: number;
  best?: { testIwae: number; epoch: number };
  final?: FinalEvaluation;
  imagesPerSec?: number;
  elapsedSeconds?: number;
}

export const runPaths = (dir: string) => ({
  record: join(dir, RUN_RECORD),
  checkpoint: join(dir, CHECKPOINT_FILE),
  metrics: join(dir, METRICS_FILE),
});

export function createRunDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeJsonAtomic(runPaths(dir).record, record);
}

export function readRunRecord(dir: string): RunRecord | undefined {
  const path = runPaths(dir).record;
  if (!existsSync(path)) return undefined;
  const record = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  if (record.format !== 'latent-lab-run-record') throw new Error(`${path}: not a Latent Lab run record`);
  return record;
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
