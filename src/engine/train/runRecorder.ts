// A run's two files of state: checkpoint.safetensors (what resuming needs) and
// run.json (what the run is and how it stands, for every reader of run folders).
// Both are written atomically; run.json after every checkpoint and at the end;
// each only while this process still holds the run folder's lock.
import { existsSync } from 'node:fs';
import type { EpochEvent, RunStatus } from '../../shared/events';
import { saveCheckpoint, type TrainingState } from '../checkpoint/checkpoint';
import { exportTensors } from '../checkpoint/modelState';
import type { LatentVariableModel } from '../models/latentModel';
import type { Adam } from './adam';
import type { RunConfig } from './runConfig';
import { runPaths, writeRunRecord, type RunRecord } from './runDir';
import type { RunLock } from './runLock';

type RecordPart = Partial<Omit<RunRecord, 'format' | 'runId' | 'config' | 'created' | 'updated'>>;

/** Settings a resume changed (runSetup.ts), with their old and new values. */
export type SettingChanges = Record<string, { from: number; to: number }>;

export class RunRecorder {
  private readonly record: RunRecord;

  constructor(private readonly runDir: string, private readonly lock: RunLock, config: RunConfig, state: TrainingState,
    previous: RunRecord | undefined, changes: SettingChanges = {}, private readonly date: () => Date = () => new Date()) {
    const now = date().toISOString();
    const resumes = [...(previous?.resumes ?? []), ...(Object.keys(changes).length ? [{ step: state.step, time: now, changes }] : [])];
    this.record = {
      format: 'latent-lab-run-record', runId: config.runId, status: 'running', config,
      created: previous?.created ?? now, updated: now, step: state.step, epoch: state.epoch,
      ...(previous?.best ? { best: previous.best } : {}),
      ...(resumes.length ? { resumes } : {}),
    };
    this.write();
  }

  /** The step of the last checkpoint run.json records. */
  get step(): number {
    return this.record.step;
  }

  get best(): RunRecord['best'] {
    return this.record.best;
  }

  /** Whether the folder holds a checkpoint to resume from (a resumed run's, or one this session wrote). */
  get hasCheckpoint(): boolean {
    return existsSync(this.checkpointPath);
  }

  get checkpointPath(): string {
    return runPaths(this.runDir).checkpoint;
  }

  /** Saves the state (the caller has synced the eager model), then run.json to match. */
  checkpoint(config: RunConfig, model: LatentVariableModel, adam: Adam, state: TrainingState, history: EpochEvent[]): void {
    this.lock.assertHeld();
    saveCheckpoint(this.checkpointPath, {
      config, state: { ...state }, history,
      params: exportTensors(model.params), adamM: exportTensors(adam.m), adamV: exportTensors(adam.v),
    });
    this.update({ step: state.step, epoch: state.epoch, elapsedSeconds: state.elapsedSeconds });
  }

  /** Folds `part` into run.json and writes it. */
  update(part: RecordPart): void {
    this.note(part);
    this.record.updated = this.date().toISOString();
    this.write();
  }

  /** Folds `part` into run.json's next write (the next checkpoint): what changes every few steps. */
  note(part: RecordPart): void {
    Object.assign(this.record, part);
  }

  /** How the run ended, and why when it says (a message of an earlier session goes). */
  finish(status: RunStatus, message?: string): void {
    this.update({ status, message });
  }

  private write(): void {
    this.lock.assertHeld();
    writeRunRecord(this.runDir, this.record);
  }
}
