// One run folder as the runs view and the experiment dashboard list it. A folder
// can be caught in any state a killed or still-running trainer leaves behind, so
// reading it never throws: whatever cannot be read becomes a status and a reason.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { RUN_RECORD, runPaths, type RunRecord } from '../../engine/train/runDir';
import { totalEpochs } from '../../engine/train/schedule';
import type { RunRow } from '../../shared/experimentsProtocol';
import { errorMessage } from '../logger';
import { readLabels } from './runLabels';

export interface RunEntry extends RunRow {
  dir: string;
}

/** Whether a folder holds anything a run writes: other folders under the runs folder are not runs. */
export function looksLikeRunFolder(dir: string): boolean {
  const p = runPaths(dir);
  return existsSync(p.record) || existsSync(p.checkpoint) || existsSync(p.metrics);
}

export function readRunEntry(dir: string): RunEntry {
  const id = basename(dir);
  const paths = runPaths(dir);
  const labels = readLabels(dir);
  const hasCheckpoint = existsSync(paths.checkpoint);
  const base: RunEntry = { id, dir, name: labels.name ?? id, tags: labels.tags ?? [], status: 'unknown', hasCheckpoint };
  if (!existsSync(paths.record)) {
    return { ...base, reason: `no ${RUN_RECORD}: the run was stopped before writing it, or is still starting` };
  }
  let record: RunRecord;
  try {
    record = parseRecord(readFileSync(paths.record, 'utf8'));
  } catch (err) {
    return { ...base, reason: `${RUN_RECORD} cannot be read: ${errorMessage(err)}` };
  }
  return { ...base, ...fromRecord(record, hasCheckpoint), name: labels.name ?? record.runId ?? id };
}

function parseRecord(text: string): RunRecord {
  const record = JSON.parse(text) as RunRecord;
  if (typeof record !== 'object' || record === null || record.format !== 'latent-lab-run-record') throw new Error('not a Latent Lab run record');
  if (typeof record.config !== 'object' || record.config === null) throw new Error('it has no run config');
  return record;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : undefined);

/** Every field is checked on its own: a record from an older or damaged writer keeps whatever it has right. */
function fromRecord(r: RunRecord, hasCheckpoint: boolean): Omit<RunEntry, 'id' | 'dir' | 'name' | 'tags'> {
  const o = r.config.objective;
  const objective = o && ['vae', 'iwae', 'miwae', 'piwae', 'ciwae'].includes(o.kind) && int(o.k) && int(o.m) && ['standard', 'stl', 'dreg'].includes(o.estimator)
    ? { kind: o.kind, k: o.k, m: o.m, estimator: o.estimator } : undefined;
  let planned: number | undefined;
  try {
    planned = totalEpochs(r.config.training.schedule);
  } catch {
    planned = undefined;
  }
  const { status, reason } = statusOf(r, hasCheckpoint);
  const final = r.final;
  return {
    status, hasCheckpoint,
    ...(reason ? { reason } : {}),
    ...(objective ? { objective } : {}),
    ...defined({
      epochs: int(r.epoch),
      totalEpochs: planned,
      step: int(r.step),
      bestBound: num(r.best?.testIwae),
      bestEpoch: int(r.best?.epoch),
      testNll: num(final?.testNll),
      evalK: final ? int(final.evalK) : undefined,
      activeUnits: Array.isArray(final?.activeUnits) && final.activeUnits.every((n) => int(n) !== undefined) ? final.activeUnits : undefined,
      imagesPerSec: num(r.imagesPerSec),
      wallSeconds: num(r.elapsedSeconds),
      updated: typeof r.updated === 'string' ? r.updated : undefined,
    }),
  };
}

function statusOf(r: RunRecord, hasCheckpoint: boolean): Pick<RunEntry, 'status' | 'reason'> {
  const known = ['running', 'finished', 'stopped', 'failed'] as const;
  const status = known.find((s) => s === r.status);
  if (!status) return { status: 'unknown', reason: `${RUN_RECORD} has an unknown status '${String(r.status)}'` };
  // A finished run is only as good as its weights: without them it cannot be inspected or resumed.
  if (status === 'finished' && !hasCheckpoint) return { status: 'failed', reason: 'finished, but checkpoint.safetensors is missing' };
  return { status, ...(typeof r.message === 'string' && r.message ? { reason: r.message } : {}) };
}

function defined<T extends Record<string, unknown>>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
