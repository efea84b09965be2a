// A run's starting point: a new run from its config, or a stopped one from its
// checkpoint (which holds the config, the weights, Adam's moments, the sampler's
// position and the history), checked against the data it is given.
import { existsSync } from 'node:fs';
import type { EpochEvent } from '../../shared/events';
import { loadCheckpoint, type TrainingState } from '../checkpoint/checkpoint';
import { restoreAdam, restoreModel } from '../checkpoint/modelState';
import type { Dataset } from '../data/dataset';
import { fingerprint } from '../data/fingerprint';
import { LatentVariableModel } from '../models/latentModel';
import { Sampler } from '../random/sampler';
import { Adam } from './adam';
import type { RunConfig } from './runConfig';
import { rewindEvents, runPaths, runRecordState, type RunRecord } from './runDir';

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
}

export interface RunStart {
  runDir: string;
  /** The run to start; ignored when resuming (the checkpoint holds it). */
  config: RunConfig;
  train: Dataset;
  /** Continue from runDir's checkpoint. */
  resume?: boolean;
}

export function openRun(req: RunStart): OpenedRun {
  return req.resume ? resumeRun(req) : newRun(req);
}

function newRun({ runDir, config }: RunStart): OpenedRun {
  if (existsSync(runPaths(runDir).checkpoint)) throw new Error(`${runDir} already holds a run; resume it or choose another folder`);
  const sampler = new Sampler(config.training.seed);
  const model = new LatentVariableModel(config.model, sampler);
  return {
    config, model, adam: new Adam(model.params), sampler, history: [],
    state: { epoch: 0, stepInEpoch: 0, step: 0, sampler: sampler.state, elapsedSeconds: 0, adamStep: 0, epochBoundSum: 0, epochBoundSteps: 0 },
  };
}

function resumeRun({ runDir, train }: RunStart): OpenedRun {
  const file = runPaths(runDir).checkpoint;
  const c = loadCheckpoint(file);
  if (c.config.data.fingerprint !== fingerprint(train)) {
    throw new Error(`${train.source}: the training data differ from the data this run was trained on (fingerprint ${c.config.data.fingerprint})`);
  }
  const model = restoreModel(c, file);
  const adam = restoreAdam(model, c, file);
  // Only its creation time and best bound carry over; a damaged record is rewritten whole.
  const state = runRecordState(runDir);
  const previous = 'record' in state ? state.record : undefined;
  // What a killed run logged after its checkpoint describes steps it takes again.
  rewindEvents(runDir, c.state.step);
  return { config: c.config, model, adam, state: c.state, history: c.history, sampler: Sampler.restore(c.state.sampler), ...(previous ? { previous } : {}) };
}
