// The dashboard's view model: everything it shows, derived from run events
// alone. Pure (no DOM), so the reducer is tested without a browser. Updates are
// copy-on-write per batch, which lets the views redraw only what changed by
// comparing references.
import type { ActiveUnitsEvent, BoundVsKEvent, ImagesEvent, RunEvent, RunStatus, StartEvent, StepPathChoice } from '../../shared/events';
import type { RunSnapshot } from '../../shared/protocol';

export interface RunInfo {
  runId: string;
  status: RunStatus;
  objective: StartEvent['objective'] | null;
  dataset: string | null;
  totalSteps: number | null;
  step: number;
  /** The epoch in progress, counted from 0. */
  epoch: number;
  imagesPerSec: number | null;
  learningRate: number | null;
  /** ESS / K of the training batches at the last report, when the run reports it. */
  essFraction: number | null;
  /** Why the run ended, when it says. */
  message: string | null;
  lastCheckpointStep: number | null;
  /** Which path the run's current session trains on, once its start event says. */
  stepPath: StepPathChoice | null;
}

export interface TrainPoint {
  step: number;
  /** The epoch in progress when the point was reported, from 0. */
  epoch: number;
  bound: number;
  /** ESS / K of the same steps' log weights (absent in runs logged before it was). */
  essFraction?: number;
}

export interface HeldOutPoint {
  step: number;
  /** Epochs completed when evaluated (the event's 0-based epoch + 1). */
  epochs: number;
  elbo: number;
  iwae: number;
  /** -L_evalK, when estimated that epoch. */
  nll?: number;
  evalK?: number;
}

export interface DashboardState {
  run: RunInfo | null;
  train: readonly TrainPoint[];
  heldOut: readonly HeldOutPoint[];
  /** Known once an epoch has ended: what turns steps into fractional epochs. */
  stepsPerEpoch: number | null;
  images: ImagesEvent | null;
  activeUnits: ActiveUnitsEvent | null;
  boundVsK: BoundVsKEvent | null;
}

export const emptyState: DashboardState = Object.freeze({
  run: null, train: [], heldOut: [], stepsPerEpoch: null, images: null, activeUnits: null, boundVsK: null,
});

function newRun(runId: string): RunInfo {
  return {
    runId, status: 'running', objective: null, dataset: null, totalSteps: null, step: 0, epoch: 0,
    imagesPerSec: null, learningRate: null, essFraction: null, message: null, lastCheckpointStep: null, stepPath: null,
  };
}

/** Applies events in order to copies of the affected parts of `state`. */
function reduce(state: DashboardState, run: RunInfo, events: readonly RunEvent[]): DashboardState & { run: RunInfo } {
  const next = { ...state, run: { ...run } };
  let train = state.train;
  let heldOut = state.heldOut;
  const ownTrain = (): TrainPoint[] => (train === state.train ? (train = [...train]) : train) as TrainPoint[];
  const ownHeldOut = (): HeldOutPoint[] => (heldOut === state.heldOut ? (heldOut = [...heldOut]) : heldOut) as HeldOutPoint[];
  const r = next.run;
  for (const e of events) {
    switch (e.type) {
      case 'start':
        // A resumed run restarts from its checkpoint: what was reported after it is redone, so it goes.
        if (train.some((p) => p.step > e.step)) train = train.filter((p) => p.step <= e.step);
        if (heldOut.some((p) => p.step > e.step)) heldOut = heldOut.filter((p) => p.step <= e.step);
        r.status = 'running';
        r.objective = e.objective;
        r.dataset = e.dataset;
        r.totalSteps = e.totalSteps;
        r.step = e.step;
        r.message = null;
        r.stepPath = e.stepPath ?? null;
        break;
      case 'progress':
        ownTrain().push({ step: e.step, epoch: e.epoch, bound: e.trainBound, ...(e.essFraction !== undefined ? { essFraction: e.essFraction } : {}) });
        r.step = e.step;
        r.epoch = e.epoch;
        r.imagesPerSec = e.imagesPerSec;
        r.learningRate = e.learningRate;
        r.essFraction = e.essFraction ?? null;
        break;
      case 'epoch':
        ownHeldOut().push({
          step: e.step, epochs: e.epoch + 1, elbo: e.testElbo, iwae: e.testIwae,
          ...(e.testNll !== undefined ? { nll: e.testNll } : {}), ...(e.evalK !== undefined ? { evalK: e.evalK } : {}),
        });
        if (e.step > 0) next.stepsPerEpoch = e.step / (e.epoch + 1);
        r.step = Math.max(r.step, e.step);
        break;
      case 'images':
        next.images = e;
        break;
      case 'activeUnits':
        next.activeUnits = e;
        break;
      case 'boundVsK':
        next.boundVsK = e;
        break;
      case 'checkpoint':
        r.lastCheckpointStep = e.step;
        break;
      case 'end':
        r.status = e.status;
        r.step = Math.max(r.step, e.step);
        r.message = e.message ?? null;
        break;
    }
  }
  next.train = train;
  next.heldOut = heldOut;
  return next;
}

/** The whole picture of one run, or nothing to show. */
export function fromSnapshot(snapshot: RunSnapshot | null): DashboardState {
  if (!snapshot) return emptyState;
  const state = reduce(emptyState, newRun(snapshot.runId), snapshot.events);
  // The host knows best how the run stands (e.g. a process that died without an end event).
  return { ...state, run: { ...state.run, status: snapshot.status } };
}

/**
 * New events of `runId`. Events of another run replace the current one only
 * when they begin it (a start event); otherwise they are stale and ignored.
 */
export function applyEvents(state: DashboardState, runId: string, events: readonly RunEvent[]): DashboardState {
  if (events.length === 0) return state;
  if (state.run?.runId === runId) return reduce(state, state.run, events);
  if (state.run === null || events.some((e) => e.type === 'start')) return reduce(emptyState, newRun(runId), events);
  return state;
}
