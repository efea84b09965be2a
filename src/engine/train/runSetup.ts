// A run's starting point: a new run from its config, or a stopped one from its
// checkpoint (which holds the config, the weights, Adam's moments, the sampler's
// position and the history), checked against the data it is given. Either way
// the run folder is this process's alone first (runLock.ts), and what the run
// will need in memory is checked before anything is allocated (memoryBudget.ts).
import type { EpochEvent } from '../../shared/events';
import { loadCheckpoint, type TrainingState } from '../checkpoint/checkpoint';
import { restoreAdam, restoreModel } from '../checkpoint/modelState';
import type { Dataset } from '../data/dataset';
import { fingerprint } from '../data/fingerprint';
import { LatentVariableModel } from '../models/latentModel';
import { Sampler } from '../random/sampler';
import { Adam } from './adam';
import { assertFits, trainingNeeds } from './memoryBudget';
import type { RunConfig } from './runConfig';
import { createRunDir, prepareNewRunDir, resumableCheckpoint, rewindEvents, runRecordState, type RunRecord } from './runDir';
import { acquireRunLock, type RunLock } from './runLock';
import type { SettingChanges } from './runRecorder';

/** What a resume may change: how long a run of the fixed schedule trains, and its -L_N estimates. The checkpoint fixes the rest. */
export const RESUMABLE_SETTINGS = ['epochs', 'evalK', 'nllEvery', 'nllExamples'] as const;
export type ResumeSettings = Partial<Record<(typeof RESUMABLE_SETTINGS)[number], number>>;

export interface OpenedRun {
  config: RunConfig;
  model: LatentVariableModel;
  adam: Adam;
  state: TrainingState;
  history: EpochEvent[];
  /** The run's training randomness: initial weights, batches' draws and binarization. */
  sampler: Sampler;
  /** run.json of the run being resumed. */
  previous?: RunRecord;
  /** What this resume changed, for run.json. */
  changes: SettingChanges;
  /** The run folder's lock: released when the run is disposed. */
  lock: RunLock;
}

export interface RunStart {
  runDir: string;
  /** The run to start; ignored when resuming (the checkpoint holds it). */
  config: RunConfig;
  train: Dataset;
  /** Continue from runDir's checkpoint. */
  resume?: boolean;
  /** Resuming: settings to change from here on (RESUMABLE_SETTINGS). */
  changes?: ResumeSettings;
}

export function openRun(req: RunStart): OpenedRun {
  if (req.resume) {
    resumableCheckpoint(req.runDir);
  } else {
    assertFits(trainingNeeds(req.config));
    createRunDir(req.runDir);
  }
  const lock = acquireRunLock(req.runDir);
  try {
    return { ...(req.resume ? resumeRun(req) : newRun(req)), lock };
  } catch (err) {
    lock.release();
    throw err;
  }
}

function newRun({ runDir, config }: RunStart): Omit<OpenedRun, 'lock'> {
  prepareNewRunDir(runDir);
  const sampler = new Sampler(config.training.seed);
  const model = new LatentVariableModel(config.model, sampler);
  return {
    config, model, adam: new Adam(model.params), sampler, history: [], changes: {},
    state: { epoch: 0, stepInEpoch: 0, step: 0, sampler: sampler.state, elapsedSeconds: 0, adamStep: 0, epochBoundSum: 0, epochBoundSteps: 0 },
  };
}

function resumeRun({ runDir, train, changes: requested = {} }: RunStart): Omit<OpenedRun, 'lock'> {
  const file = resumableCheckpoint(runDir);
  const c = loadCheckpoint(file);
  // Only its creation time, best bound and earlier changes carry over; a missing record is written anew.
  const recorded = runRecordState(runDir);
  if (!('record' in recorded) && !recorded.missing) {
    throw new Error(`${runDir}: ${recorded.problem}; the checkpoint is intact: move run.json aside and resume again to write a new one`);
  }
  const previous = 'record' in recorded ? recorded.record : undefined;
  const { config, changes } = applyResumeSettings(c.config, c.state, requested);
  if (previous?.status === 'finished' && !Object.keys(changes).length) {
    throw new Error(`${runDir}: the run has finished (all its epochs and its final evaluation); to train it further, resume it with more epochs`);
  }
  if (c.config.data.fingerprint !== fingerprint(train)) {
    throw new Error(`${train.source}: the training data differ from the data this run was trained on (fingerprint ${c.config.data.fingerprint})`);
  }
  assertFits(trainingNeeds(config));
  const model = restoreModel(c, file);
  const adam = restoreAdam(model, c, file);
  // What a killed run logged after its checkpoint describes steps it takes again.
  rewindEvents(runDir, c.state.step);
  return {
    config, model, adam, state: c.state, history: c.history, sampler: Sampler.restore(c.state.sampler), changes,
    ...(previous ? { previous } : {}),
  };
}

/** `config` with the requested settings, and what actually changed; an error naming a setting that cannot take its value. */
export function applyResumeSettings(config: RunConfig, state: TrainingState, requested: ResumeSettings): { config: RunConfig; changes: SettingChanges } {
  const training = structuredClone(config.training);
  const changes: SettingChanges = {};
  const note = (name: string, from: number, to: number) => {
    if (from !== to) changes[name] = { from, to };
  };
  const { epochs, evalK, nllEvery, nllExamples } = requested;
  if (epochs !== undefined) {
    if (training.schedule.kind !== 'fixed') throw new Error("epochs cannot change: this run follows Burda et al.'s schedule, whose length is fixed");
    const least = Math.max(1, state.epoch + (state.stepInEpoch > 0 ? 1 : 0));
    if (!Number.isInteger(epochs) || epochs < least) {
      throw new Error(`epochs: the run is ${state.epoch} epochs${state.stepInEpoch > 0 ? ` and ${state.stepInEpoch} steps` : ''} in; resume it with at least ${least}`);
    }
    note('epochs', training.schedule.epochs, epochs);
    training.schedule.epochs = epochs;
  }
  const counts = { evalK: [evalK, 1], nllEvery: [nllEvery, 0], nllExamples: [nllExamples, 0] } as const;
  for (const [name, [value, least]] of Object.entries(counts)) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be an integer >= ${least}, got ${value}`);
    const key = name as keyof typeof counts;
    note(name, training[key], value);
    training[key] = value;
  }
  return { config: { ...config, training }, changes };
}

