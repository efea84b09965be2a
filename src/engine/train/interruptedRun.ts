// A run whose process died cannot write its own end into run.json; the host
// does it for it, so the folder says what happened (and so does a process that
// aborts on a second Ctrl-C, as it goes). Only run.json changes: the
// checkpoint and metrics.jsonl hold what was written before the end, intact.
// A process killed between writing its checkpoint and run.json leaves run.json
// one checkpoint behind, so the checkpoint, which a resume continues from, says
// where the run stands.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { keptCheckpoint, readRunRecord, runPaths, writeRunRecord, type RunRecord } from './runDir';
import { runLockHolder } from './runLock';

/**
 * Marks a run still recorded as running; returns the new record, or undefined
 * when there was nothing to mark: it ended, or another live process holds its
 * folder (the run is not this caller's to mark).
 */
export function markInterrupted(runDir: string, status: 'failed' | 'stopped', reason: string, now = new Date()): RunRecord | undefined {
  const holder = runLockHolder(runDir);
  if (holder && !(holder.pid === process.pid && holder.host === hostname())) return undefined;
  const record = readRunRecord(runDir);
  if (!record || record.status !== 'running') return undefined;
  const file = runPaths(runDir).checkpoint;
  const state = existsSync(file) ? loadCheckpoint(file).state : undefined;
  const marked: RunRecord = {
    ...record, status, message: `${reason}; ${keptCheckpoint(state?.step)}`, updated: now.toISOString(), ...(state ? { step: state.step, epoch: state.epoch } : {}),
  };
  writeRunRecord(runDir, marked);
  return marked;
}
