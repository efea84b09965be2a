// The training loop: epochs of shuffled mini-batches under a learning-rate
// schedule, held-out evaluation after each epoch, checkpoints that let a
// stopped run continue as if it had never stopped, the final evaluation, and
// events for whoever watches. The parts live beside it: runSetup.ts (new or
// resumed), progressReport.ts (the bounds read back, divergence),
// epochEvaluation.ts, evaluate/evaluation.ts (the final evaluation),
// runRecorder.ts (checkpoint and run.json) and runEvents.ts (where events go).
import { tf, type Tensor } from '../tf';
import type { Dataset } from '../data/dataset';
import type { EpochEvent, RunEvent, RunStatus, StepPathChoice } from '../../shared/events';
import type { EvaluationResult } from '../../shared/evaluation';
import { epochPermutation } from '../random/permutation';
import { EVALUATION_SEED, streamSampler } from '../random/streams';
import { activeUnitsSummary } from '../evaluate/activeUnits';
import { evaluateModel } from '../evaluate/evaluation';
import { drawFigures, type FigureRequest } from '../evaluate/figures';
import { evaluationData, firstRows } from '../evaluate/testData';
import { epochActiveUnits, epochBounds } from './epochEvaluation';
import { ProgressReport, TrainingDiverged } from './progressReport';
import { RunEvents } from './runEvents';
import { keptCheckpoint } from './runDir';
import { RunRecorder } from './runRecorder';
import { openRun, type OpenedRun, type RunStart } from './runSetup';
import { learningRateAt, totalEpochs } from './schedule';
import { runShape, type StepPath } from './stepPath';
import { stepsPerCallFor, type StepRunner } from './stepRunner';

export { TrainingDiverged };

export interface TrainRequest extends RunStart {
  test: Dataset;
  /** How this process runs steps and evaluations (graph/graphStepPath.ts, or eagerStepPath); the caller disposes it. */
  steps: StepPath;
  /** Stop after this many optimizer steps in this call (for tests and benchmarks), as if asked to stop. */
  maxSteps?: number;
}

/** What the trainer is doing; a stop is heard in each within one step, batch or estimator call. */
export type TrainingPhase = 'training' | 'epochEvaluation' | 'images' | 'finalEvaluation';

export interface TrainHooks {
  onEvent?: (event: RunEvent) => void;
  /** Polled between steps and between the batches of every evaluation; true stops the run cleanly, keeping the last checkpoint. */
  shouldStop?: () => boolean;
  /** Why a stop was asked for ("stopped by Ctrl-C"), for run.json. */
  stopReason?: () => string | undefined;
  /** Told when the trainer enters a phase. */
  onPhase?: (phase: TrainingPhase) => void;
  /** Polled between steps: a request to draw images now, with the traversal to show. */
  takeImageRequest?: () => FigureRequest | undefined;
  /** Milliseconds: training time, images/s and the time between checkpoints (default performance.now). */
  now?: () => number;
}

export interface TrainResult {
  status: RunStatus;
  step: number;
  message?: string;
  final?: EvaluationResult;
  /** Which path ran the steps, and why not the graph when it could not. */
  stepPath?: StepPathChoice;
}

export async function runTraining(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const trainer = new Trainer(req, hooks);
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
  }
}

class Trainer {
  private readonly opened: OpenedRun;
  private readonly trainX: Tensor;
  /** The whole held-out set as evaluated. */
  private readonly heldOut: Tensor;
  private readonly recorder: RunRecorder;
  private readonly events: RunEvents;
  private readonly progress: ProgressReport;
  private readonly now: () => number;
  private readonly sessionStart: number;
  /** Training time before this session, and steps. */
  private readonly elapsedAtStart: number;
  private readonly stepsAtStart: number;
  private lastCheckpoint: number;
  private runner?: StepRunner;
  private lastTopVariances?: Float32Array;

  constructor(private readonly req: TrainRequest, private readonly hooks: TrainHooks) {
    this.now = hooks.now ?? (() => performance.now());
    this.opened = openRun(req);
    const { config, state, lock } = this.opened;
    this.sessionStart = this.now();
    this.lastCheckpoint = this.sessionStart;
    this.elapsedAtStart = state.elapsedSeconds;
    this.stepsAtStart = state.step;
    this.trainX = tf.tensor2d(req.train.x, [req.train.n, req.train.d]);
    this.heldOut = evaluationData(req.test, config, EVALUATION_SEED);
    this.events = new RunEvents(req.runDir, hooks.onEvent);
    this.progress = new ProgressReport(config.training.batchSize, this.now);
    try {
      this.recorder = new RunRecorder(req.runDir, lock, config, state, this.opened.previous, this.opened.changes);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  private get config() {
    return this.opened.config;
  }

  private get state() {
    return this.opened.state;
  }

  private get elapsed(): number {
    return this.elapsedAtStart + (this.now() - this.sessionStart) / 1000;
  }

  private get stepsPerEpoch(): number {
    return Math.floor(this.req.train.n / this.config.training.batchSize);
  }

  async run(): Promise<TrainResult> {
    const { training, objective } = this.config;
    const epochs = totalEpochs(training.schedule);
    if (this.stepsPerEpoch < 1) throw new Error(`the training set has ${this.req.train.n} examples, fewer than one batch of ${training.batchSize}`);
    const { model, adam, sampler } = this.opened;
    this.runner = await this.req.steps.stepRunner({
      model, adam, sampler, evalK: training.evalK, stepsPerCall: stepsPerCallFor(training.progressEvery), ...runShape(this.config),
    });
    const stepPath = this.req.steps.choice!;
    this.recorder.update({ stepPath });
    try {
      this.events.emit({
        type: 'start', runId: this.config.runId, objective: { kind: objective.kind, k: objective.k, m: objective.m, estimator: objective.estimator, ...(objective.beta !== undefined ? { beta: objective.beta } : {}) },
        totalSteps: epochs * this.stepsPerEpoch, dataset: this.config.data.path, step: this.state.step, stepPath, time: this.elapsed,
      });
      while (this.state.epoch < epochs) {
        const stopped = await this.runEpoch();
        if (stopped || this.hooks.shouldStop?.()) return this.finish('stopped', this.hooks.stopReason?.());
      }
      this.hooks.onPhase?.('finalEvaluation');
      const final = await this.finalEvaluation();
      if (!final) return this.finish('stopped', this.hooks.stopReason?.());
      this.recorder.update({ final });
      this.checkpoint();
      return this.finish('finished', undefined, final);
    } catch (err) {
      // Nothing is saved after a failure: the last checkpoint, if any, holds the last good state.
      const kept = keptCheckpoint(this.recorder.hasCheckpoint ? this.recorder.step : undefined);
      return this.finish('failed', `${(err as Error).message}; ${kept}`);
    }
  }

  /** Trains the rest of the current epoch; true when asked to stop. */
  private async runEpoch(): Promise<boolean> {
    const { training } = this.config;
    const { batchSize: b } = training;
    const learningRate = learningRateAt(training.schedule, this.state.epoch);
    const order = epochPermutation(this.req.train.n, training.seed, this.state.epoch);
    const runner = this.runner!;
    this.hooks.onPhase?.('training');
    while (this.state.stepInEpoch < this.stepsPerEpoch) {
      const s = this.state.stepInEpoch;
      const n = this.stepsInNextCall(runner);
      this.progress.add(tf.tidy(() => {
        const x = tf.gather(this.trainX, tf.tensor1d(order.subarray(s * b, (s + n) * b), 'int32'));
        return n > 1 ? runner.steps(x.reshape([n, b, -1]), learningRate) : runner.step(x, learningRate);
      }));
      this.state.step += n;
      this.state.stepInEpoch += n;
      if (this.progress.size >= training.progressEvery) await this.report(learningRate);
      const stepLimit = this.req.maxSteps !== undefined && this.state.step - this.stepsAtStart >= this.req.maxSteps;
      if (this.hooks.shouldStop?.() || stepLimit) {
        await this.report(learningRate);
        this.checkpoint();
        return true;
      }
      const imageRequest = this.hooks.takeImageRequest?.();
      if (imageRequest) await this.emitImages(imageRequest);
      if ((this.now() - this.lastCheckpoint) / 1000 > training.checkpointSeconds) {
        await this.report(learningRate);
        this.checkpoint();
      }
      // Let messages (a stop request, a webview's ready) in between calls.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.report(learningRate);
    if (!(await this.endOfEpoch())) {
      // Every step of the epoch is done and checkpointed; a resume evaluates it again, on the same draws.
      this.checkpoint();
      return true;
    }
    this.state.epoch += 1;
    this.state.stepInEpoch = 0;
    this.checkpoint();
    return false;
  }

  /**
   * The largest of the runner's block sizes that ends before the epoch, the
   * next progress report and the step limit do, else one: progress reports and
   * step limits fall on the steps they fall on with one step per call; a stop,
   * an image request or a checkpoint due by time waits for the call (at most 25
   * steps, under a second) to end.
   */
  private stepsInNextCall(runner: StepRunner): number {
    const fits = (n: number) => this.state.stepInEpoch + n <= this.stepsPerEpoch && this.progress.size + n <= this.config.training.progressEvery
      && (this.req.maxSteps === undefined || this.state.step + n - this.stepsAtStart <= this.req.maxSteps);
    return runner.blockSizes.find(fits) ?? 1;
  }

  private async report(learningRate: number): Promise<void> {
    const reading = await this.progress.read(this.state.step);
    if (!reading) return;
    this.state.epochBoundSum += reading.sum;
    this.state.epochBoundSteps += reading.steps;
    this.recorder.note({ imagesPerSec: reading.imagesPerSec });
    this.events.emit({
      type: 'progress', step: this.state.step, epoch: this.state.epoch, trainBound: reading.meanBound,
      ...(Number.isFinite(reading.essFraction) ? { essFraction: reading.essFraction } : {}),
      imagesPerSec: reading.imagesPerSec, learningRate, time: this.elapsed,
    });
  }

  /** False when stopped before the epoch's bounds were known. */
  private async endOfEpoch(): Promise<boolean> {
    this.runner?.syncEager();
    this.hooks.onPhase?.('epochEvaluation');
    const { model, history } = this.opened;
    const bounds = await epochBounds(model, this.heldOut, this.config, this.req.steps, this.state.epoch, { shouldStop: this.hooks.shouldStop });
    if (!bounds) return false;
    const trainBound = this.state.epochBoundSum / Math.max(1, this.state.epochBoundSteps);
    this.state.epochBoundSum = 0;
    this.state.epochBoundSteps = 0;
    const event: EpochEvent = { type: 'epoch', step: this.state.step, epoch: this.state.epoch, trainBound, ...bounds, time: this.elapsed };
    history.push(event);
    this.events.emit(event);
    const best = this.recorder.best;
    if (Number.isFinite(bounds.testIwae) && (!best || bounds.testIwae > best.testIwae)) {
      this.recorder.note({ best: { testIwae: bounds.testIwae, epoch: this.state.epoch } });
    }
    const activity = await epochActiveUnits(model, this.heldOut, this.state.step, this.state.epoch);
    this.events.emit(activity.event);
    this.lastTopVariances = activity.variances.at(-1);
    this.hooks.onPhase?.('images');
    await this.emitImages({});
    return true;
  }

  /** Reconstructions, samples and traversals (by default of the most active top-layer units). */
  private async emitImages(request: FigureRequest): Promise<void> {
    this.runner?.syncEager();
    const figures = await drawFigures(this.opened.model, this.config.data, this.heldOut, this.lastTopVariances, request,
      streamSampler(EVALUATION_SEED, 'figures'));
    if (!figures?.reconstructions) return;
    const { reconstructions, samples, traversals, traversalDims } = figures;
    this.events.emit({ type: 'images', step: this.state.step, reconstructions, samples, traversals, traversalDims });
  }

  /** The evaluation `latent-lab eval` makes of the final checkpoint, with the run's N and examples. */
  private async finalEvaluation(): Promise<EvaluationResult | undefined> {
    this.runner?.syncEager();
    const { training } = this.config;
    const x = firstRows(this.heldOut, training.nllExamples);
    try {
      const evaluation = await evaluateModel(this.opened.model, x, this.req.steps, runShape(this.config), {
        k: training.evalK, seed: EVALUATION_SEED, control: { shouldStop: this.hooks.shouldStop }, now: this.now,
      });
      if (!evaluation) return undefined;
      const { result, variances } = evaluation;
      this.events.emit({ type: 'activeUnits', step: this.state.step, ...activeUnitsSummary(variances) });
      const { fit, jackknife, weights } = result;
      this.events.emit({
        type: 'boundVsK', step: this.state.step, ks: result.boundVsK.map((b) => b.k),
        bounds: result.boundVsK.map((b) => b.bound), standardErrors: result.boundVsK.map((b) => b.standardError),
        ...(weights ? { analysis: { ...(fit ? { fit } : {}), ...(jackknife ? { jackknife } : {}), weights } } : {}),
      });
      return result;
    } finally {
      x.dispose();
    }
  }

  private checkpoint(): void {
    this.runner?.syncEager();
    const { model, adam, sampler, history } = this.opened;
    Object.assign(this.state, { sampler: sampler.state, elapsedSeconds: this.elapsed, adamStep: adam.step });
    this.recorder.checkpoint(this.config, model, adam, this.state, history);
    this.lastCheckpoint = this.now();
    this.events.emit({ type: 'checkpoint', step: this.state.step, epoch: this.state.epoch, path: this.recorder.checkpointPath });
  }

  /** A failed run stands at its last checkpoint, and says so: run.json, the end event and the result name the same step. */
  private finish(status: RunStatus, message?: string, final?: EvaluationResult): TrainResult {
    this.progress.dispose();
    const step = status === 'failed' ? this.recorder.step : this.state.step;
    try {
      this.recorder.finish(status, message);
    } catch (err) {
      if (status !== 'failed') throw err;
      message = `${message}; run.json could not record it: ${(err as Error).message}`;
    }
    this.events.emit({ type: 'end', status, step, ...(message ? { message } : {}), time: this.elapsed });
    return { status, step, message, final, stepPath: this.req.steps.choice };
  }

  dispose(): void {
    this.runner?.dispose();
    this.progress.dispose();
    this.opened.model.dispose();
    this.opened.adam.dispose();
    this.trainX.dispose();
    this.heldOut.dispose();
    this.opened.lock.release();
  }
}
