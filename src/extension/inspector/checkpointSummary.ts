// What the inspector shows of a checkpoint before any TensorFlow is loaded:
// architecture, config, data fingerprint, metrics and curves, all read from the
// safetensors header and metadata. No vscode import. A file that is not a
// readable Latent Lab checkpoint becomes a problem report, never an exception.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CheckpointError, decodeCheckpoint, type Checkpoint } from '../../engine/checkpoint/checkpoint';
import { CHECKPOINT_FILE, runRecordState, type RunRecord } from '../../engine/train/runDir';
import { totalEpochs } from '../../engine/train/schedule';
import type { CheckpointProblem, CheckpointSummary } from '../../shared/inspectorProtocol';
import { errorMessage } from '../logger';

export type CheckpointReport = { ok: true; summary: CheckpointSummary } | { ok: false; problem: CheckpointProblem };

export function summarizeCheckpointFile(file: string): CheckpointReport {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return problem(file, 'unreadable', `${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}`);
  }
  return summarizeCheckpointBytes(bytes, file, runRecordBeside(file));
}

export function summarizeCheckpointBytes(bytes: Uint8Array, file: string, record?: RunRecord): CheckpointReport {
  let c: Checkpoint;
  try {
    c = decodeCheckpoint(bytes, file);
  } catch (err) {
    const message = errorMessage(err);
    if (!(err instanceof CheckpointError)) return problem(file, 'corrupt', `${file}: ${message}`);
    return problem(file, /not a Latent Lab checkpoint/.test(message) ? 'foreign' : 'corrupt', message);
  }
  try {
    return { ok: true, summary: summarize(c, file, record) };
  } catch (err) {
    // decodeCheckpoint checks the parts training needs; a damaged history or state can still surprise.
    return problem(file, 'corrupt', `${file}: the checkpoint's metadata is inconsistent: ${errorMessage(err)}`);
  }
}

function problem(file: string, kind: CheckpointProblem['kind'], message: string): CheckpointReport {
  return { ok: false, problem: { file, kind, message } };
}

/** A checkpoint in a run folder has the run's record beside it, with the final evaluation the checkpoint lacks. */
function runRecordBeside(file: string): RunRecord | undefined {
  if (basename(file) !== CHECKPOINT_FILE) return undefined;
  const state = runRecordState(dirname(file));
  return 'record' in state ? state.record : undefined;
}

function summarize(c: Checkpoint, file: string, record?: RunRecord): CheckpointSummary {
  const { model, objective, training, data } = c.config;
  const tensors = [...c.params].map(([name, t]) => ({ name, shape: [...t.shape], size: t.data.length }));
  const history = c.history.filter((e) => e && e.type === 'epoch' && [e.trainBound, e.testIwae, e.testElbo].every(Number.isFinite));
  let best: CheckpointSummary['best'];
  for (const e of history) if (!best || e.testIwae > best.testIwae) best = { testIwae: e.testIwae, epoch: e.epoch };
  let planned: number | undefined;
  try {
    planned = totalEpochs(training.schedule);
  } catch {
    planned = undefined;
  }
  const { schedule, ...rest } = training;
  return {
    file,
    runId: String(c.config.runId),
    architecture: {
      inputDim: model.inputDim,
      ...(model.imageShape ? { imageShape: [model.imageShape[0], model.imageShape[1]] as [number, number] } : {}),
      ...(model.imageChannels ? { imageChannels: model.imageChannels } : {}),
      ...(model.network?.kind === 'conv' ? { network: { kind: 'conv' as const, channels: [...model.network.channels], kernel: model.network.kernel } } : {}),
      layers: model.layers.map((l) => ({ hidden: [...l.hidden], latent: l.latent })),
      posterior: model.posterior,
      ...(model.degreesOfFreedom !== undefined ? { degreesOfFreedom: model.degreesOfFreedom } : {}),
      ...(model.flow ? { flow: { ...model.flow } } : {}),
      prior: model.prior,
      ...(model.prior === 'mixture' || model.prior === 'vamp' ? { priorComponents: model.priorComponents } : {}),
      likelihood: model.likelihood,
      parameterCount: tensors.reduce((n, t) => n + t.size, 0),
      tensors,
    },
    objective: { kind: objective.kind, k: objective.k, m: objective.m, estimator: objective.estimator, analyticKl: objective.analyticKl, ...(objective.beta !== undefined ? { beta: objective.beta } : {}) },
    training: { schedule: describeSchedule(schedule), ...rest },
    data: { path: data.path, fingerprint: data.fingerprint, trainSize: data.trainSize, testSize: data.testSize, dim: data.dim, kind: data.kind },
    state: { epoch: c.state.epoch, step: c.state.step, elapsedSeconds: Number.isFinite(c.state.elapsedSeconds) ? c.state.elapsedSeconds : 0, ...(planned !== undefined ? { totalEpochs: planned } : {}) },
    history,
    ...(history.length ? { last: history[history.length - 1] } : {}),
    ...(best ? { best } : {}),
    ...(record ? { run: runPart(record, dirname(file)) } : {}),
  };
}

function runPart(r: RunRecord, dir: string): NonNullable<CheckpointSummary['run']> {
  const f = r.final;
  return {
    dir,
    status: r.status,
    ...(r.message ? { message: r.message } : {}),
    ...(f ? { final: f } : {}),
  };
}

/** The schedule as one readable line for the config table. */
function describeSchedule(s: Checkpoint['config']['training']['schedule']): string {
  if (s.kind === 'fixed') return `${s.epochs} epochs at learning rate ${s.learningRate}`;
  if (s.kind === 'burda') return 'Burda et al. (3,280 epochs, learning rate 1e-3 decaying by 10^(-1/7) per stage)';
  return JSON.stringify(s);
}
