// A run whose process died cannot write its own end into run.json; the host
// does it for it, so the folder says what happened. Only run.json changes: the
// checkpoint and metrics.jsonl hold what was written before the end, intact.
// A process killed between writing its checkpoint and run.json leaves run.json
// one checkpoint behind, so the checkpoint, which a resume continues from, says
// where the run stands.
import { existsSync } from 'node:fs';
import { loadCheckpoint } from '../../engine/checkpoint/checkpoint';
import { readRunRecord, runPaths, writeRunRecord, type RunRecord } from '../../engine/train/runDir';

/** Marks a run still recorded as running; returns the new record, or undefined when there was nothing to mark. */
export function markInterrupted(runDir: string, status: 'failed' | 'stopped', reason: string, now = new Date()): RunRecord | undefined {
  const record = readRunRecord(runDir);
  if (!record || record.status !== 'running') return undefined;
  const file = runPaths(runDir).checkpoint;
  const state = existsSync(file) ? loadCheckpoint(file).state : undefined;
  const kept = state ? `the last checkpoint (step ${state.step}) is kept` : 'no checkpoint had been written yet';
  const marked: RunRecord = {
    ...record, status, message: `${reason}; ${kept}`, updated: now.toISOString(), ...(state ? { step: state.step, epoch: state.epoch } : {}),
  };
  writeRunRecord(runDir, marked);
  return marked;
}
