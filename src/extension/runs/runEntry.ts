// One run folder as the runs view and the experiment dashboard list it. A folder
// can be caught in any state a killed or still-running trainer leaves behind, so
// reading it never throws: whatever cannot be read becomes a status and a reason.
// Whether it is running is the run folder's lock's to say (a process in this
// window, another window or a terminal), not run.json's alone.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { RUN_RECORD, runPaths, runRecordState, type RunRecord } from '../../engine/train/runDir';
import { describeHolder, runLockHolder, type LockHolder } from '../../engine/train/runLock';
import { totalEpochs } from '../../engine/train/schedule';
import type { RunRow } from '../../shared/experimentsProtocol';
import { readLabels } from './runLabels';

export interface RunEntry extends RunRow {
  dir: string;
}

/** Whether a folder holds anything a run writes: other folders under the runs folder are not runs. */
export function looksLikeRunFolder(dir: string): boolean {
  const p = runPaths(dir);
  return existsSync(p.record) || existsSync(p.checkpoint) || existsSync(p.metrics);
}

export function readRunEntry(dir: string, id = basename(dir)): RunEntry {
  const labels = readLabels(dir);
  const hasCheckpoint = existsSync(runPaths(dir).checkpoint);
  const base: RunEntry = { id, dir, name: labels.name ?? basename(dir), tags: labels.tags ?? [], status: 'unknown', hasCheckpoint };
  const holder = runLockHolder(dir);
  const state = runRecordState(dir);
  if (!('record' in state)) {
    if (holder) return { ...base, status: 'running', reason: trainedBy(holder) };
    return { ...base, reason: state.missing ? `no ${RUN_RECORD}: the run was stopped before writing it, or is still starting` : state.problem };
  }
  return { ...base, ...fromRecord(state.record, hasCheckpoint, holder), name: labels.name ?? state.record.runId };
}

const trainedBy = (holder: LockHolder): string => `being trained by ${describeHolder(holder)}`;

function fromRecord(r: RunRecord, hasCheckpoint: boolean, holder: LockHolder | undefined): Omit<RunEntry, 'id' | 'dir' | 'name' | 'tags'> {
  const { kind, k, m, estimator, beta } = r.config.objective;
  const final = r.final;
  const { status, reason } = statusOf(r, hasCheckpoint, holder);
  return {
    status, hasCheckpoint,
    ...(reason ? { reason } : {}),
    objective: { kind, k, m, estimator, ...(beta !== undefined ? { beta } : {}) },
    epochs: r.epoch,
    totalEpochs: totalEpochs(r.config.training.schedule),
    step: r.step,
    ...(r.best ? { bestBound: r.best.testIwae, bestEpoch: r.best.epoch } : {}),
    ...(final ? { testNll: final.testNll, evalK: final.k, activeUnits: final.activeUnits } : {}),
    ...(r.imagesPerSec !== undefined ? { imagesPerSec: r.imagesPerSec } : {}),
    ...(r.elapsedSeconds !== undefined ? { wallSeconds: r.elapsedSeconds } : {}),
    updated: r.updated,
  };
}

function statusOf(r: RunRecord, hasCheckpoint: boolean, holder: LockHolder | undefined): Pick<RunEntry, 'status' | 'reason'> {
  if (holder) return { status: 'running', reason: trainedBy(holder) };
  if (r.status === 'running') {
    return { status: 'failed', reason: `its process ended without recording how (killed, or its machine went down)${hasCheckpoint ? '; it can resume from its last checkpoint' : ''}` };
  }
  // A finished run is only as good as its weights: without them it cannot be inspected or resumed.
  if (r.status === 'finished' && !hasCheckpoint) return { status: 'failed', reason: 'finished, but checkpoint.safetensors is missing' };
  return { status: r.status, ...(r.message ? { reason: r.message } : {}) };
}
