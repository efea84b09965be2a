// The training loop: epochs of shuffled mini-batches under a learning-rate
// schedule, held-out evaluation after each epoch, checkpoints that let a
// stopped run continue as if it had never stopped, and events for whoever watches.
import { existsSync } from 'node:fs';
import { tf, type Scalar, type Tensor } from '../tf';
import type { Dataset } from '../data/dataset';
import { fingerprint } from '../data/fingerprint';
import type { EpochEvent, RunEvent, RunStatus } from '../../shared/events';
import { LatentVariableModel } from '../models/latentModel';
import { Sampler, mix32 } from '../random/sampler';
import { epochPermutation } from '../random/permutation';
import { loadCheckpoint, saveCheckpoint, type TrainingState } from '../checkpoint/checkpoint';
import { exportTensors, restoreAdam, restoreModel } from '../checkpoint/modelState';
import { heldOutBounds } from '../evaluate/heldOut';
import { estimateLogLikelihoodFast } from '../graph/graphLikelihood';
import { activeUnits, ACTIVE_THRESHOLD, posteriorMeanVariances } from '../evaluate/activeUnits';
import { boundVsK, DEFAULT_KS } from '../evaluate/boundVsK';
import { evaluationData } from '../evaluate/testData';
import { priorSamples, reconstructions, toImageGrid, traversals } from '../evaluate/images';
import { Adam } from './adam';
import { TensorBoardLog } from './tensorboard';
import type { StepRunner } from './stepRunner';
import { createStepRunner } from '../graph/graphStepRunner';
import { learningRateAt, totalEpochs } from './schedule';
import type { RunConfig } from './runConfig';
import { appendEvent, createRunDir, rewindEvents, readRunRecord, runPaths, writeRunRecord, type FinalEvaluation, type RunRecord } from './runDir';

export interface TrainRequest {
  runDir: string;
  /** The run to start; ignored when resuming (the checkpoint holds it). */
  config: RunConfig;
  train: Dataset;
  test: Dataset;
  /** Continue from runDir's checkpoint. */
  resume?: boolean;
  /** Stop after this many optimizer steps in this call (for tests and benchmarks), as if asked to stop. */
  maxSteps?: number;
  /** How steps run: one TensorFlow graph call each, op by op, or the graph when it can record the step (default). */
  stepPath?: 'auto' | 'graph' | 'eager';
}

export interface TrainHooks {
  onEvent?: (event: RunEvent) => void;
  /** Polled between steps; true stops the run cleanly after the current step. */
  shouldStop?: () => boolean;
  /** Polled between steps: a request to draw images now, with the traversal to show. */
  takeImageRequest?: () => ImageRequest | undefined;
}

export interface ImageRequest {
  /** Top-layer units to traverse (default: the most active). */
  dims?: number[];
  /** Traversal range [-range, range] (default 3). */
  range?: number;
}

export interface TrainResult {
  status: RunStatus;
  step: number;
  message?: string;
  final?: FinalEvaluation;
  /** Which path ran the steps, and why not the graph when it could not. */
  stepPath?: StepRunner['path'];
  stepPathNote?: string;
}

export class TrainingDiverged extends Error {}

const IMAGE_EXAMPLES = 8;
const TRAVERSAL_DIMS = 5;
const MAX_TRAVERSAL_DIMS = 16;
const TRAVERSAL_STEPS = 9;
const ACTIVE_UNIT_EXAMPLES = 500;
const BOUND_VS_K_EXAMPLES = 10;

export async function runTraining(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const session = new Session(req, hooks);
  try {
    return await session.run();
  } finally {
    session.dispose();
  }
}

class Session {
  private readonly config: RunConfig;
  private readonly model: LatentVariableModel;
  private readonly adam: Adam;
  private readonly state: TrainingState;
  private readonly history: EpochEvent[];
  private readonly trainX: Tensor;
  private readonly testX: Tensor;
  private readonly sampler: Sampler;
  private readonly record: RunRecord;
  private pending: Scalar[] = [];
  private runner?: StepRunner;
  private stepPathNote?: string;
  private lastReport = performance.now();
  private stepsSinceReport = 0;
  private lastCheckpoint = performance.now();
  private lastTopVariances?: Float32Array;
  private sessionStart = performance.now();
  private elapsedAtStart: number;
  private readonly stepsAtStart: number;
  private readonly tensorBoard: TensorBoardLog;

  constructor(private readonly req: TrainRequest, private readonly hooks: TrainHooks) {
    const dir = req.runDir;
    const paths = runPaths(dir);
    this.tensorBoard = new TensorBoardLog(dir);
    if (req.resume) {
      const c = loadCheckpoint(paths.checkpoint);
      if (c.config.data.fingerprint !== fingerprint(req.train)) {
        throw new Error(`${req.train.source}: the training data differ from the data this run was trained on (fingerprint ${c.config.data.fingerprint})`);
      }
      this.config = c.config;
      this.model = restoreModel(c, paths.checkpoint);
      this.adam = restoreAdam(this.model, c, paths.checkpoint);
      this.state = c.state;
      this.history = c.history;
      this.sampler = Sampler.restore(c.state.sampler);
      rewindEvents(dir, c.state.step);
    } else {
      if (existsSync(paths.checkpoint)) throw new Error(`${dir} already holds a run; resume it or choose another folder`);
      this.config = req.config;
      this.sampler = new Sampler(this.config.training.seed);
      this.model = new LatentVariableModel(this.config.model, this.sampler);
      this.adam = new Adam(this.model.params);
      this.state = { epoch: 0, stepInEpoch: 0, step: 0, sampler: this.sampler.state, elapsedSeconds: 0, adamStep: 0, epochBoundSum: 0, epochBoundSteps: 0 };
      this.history = [];
    }
    this.elapsedAtStart = this.state.elapsedSeconds;
    this.stepsAtStart = this.state.step;
    const { train, test } = req;
    this.trainX = tf.tensor2d(train.x, [train.n, train.d]);
    this.testX = evaluationData(test, this.config.training);
    createRunDir(dir);
    const now = new Date().toISOString();
    const previous = req.resume ? readRunRecord(dir) : undefined;
    this.record = {
      format: 'latent-lab-run-record', runId: this.config.runId, status: 'running', config: this.config,
      created: previous?.created ?? now, updated: now, step: this.state.step, epoch: this.state.epoch, best: previous?.best,
    };
    writeRunRecord(dir, this.record);
  }

  private emit(event: RunEvent): void {
    appendEvent(this.req.runDir, event);
    this.tensorBoard.write(event);
    this.hooks.onEvent?.(event);
  }

  private get elapsed(): number {
    return this.elapsedAtStart + (performance.now() - this.sessionStart) / 1000;
  }

  private get stepsPerEpoch(): number {
    return Math.floor(this.req.train.n / this.config.training.batchSize);
  }

  async run(): Promise<TrainResult> {
    const { training, objective } = this.config;
    const epochs = totalEpochs(training.schedule);
    if (this.stepsPerEpoch < 1) throw new Error(`the training set has ${this.req.train.n} examples, fewer than one batch of ${training.batchSize}`);
    const binary = training.binarize && this.req.train.kind === 'unit';
    const chosen = await createStepRunner({
      model: this.model, adam: this.adam, objective, sampler: this.sampler, binarize: binary, batchSize: training.batchSize,
    }, this.req.stepPath);
    this.runner = chosen.runner;
    this.stepPathNote = chosen.note;
    this.emit({
      type: 'start', runId: this.config.runId, objective: { kind: objective.kind, k: objective.k, m: objective.m, estimator: objective.estimator },
      totalSteps: epochs * this.stepsPerEpoch, dataset: this.config.data.path, step: this.state.step, time: this.elapsed,
    });
    try {
      while (this.state.epoch < epochs) {
        const stopped = await this.runEpoch();
        if (stopped) return this.finish('stopped');
      }
      const final = await this.finalEvaluation();
      if (!final) return this.finish('stopped');
      this.record.final = final;
      this.checkpoint();
      return this.finish('finished', undefined, final);
    } catch (err) {
      // Nothing is saved after a failure: the last checkpoint holds the last good state.
      const message = err instanceof TrainingDiverged
        ? `${err.message}; the last checkpoint (step ${this.record.step}) is kept`
        : (err as Error).message;
      return this.finish('failed', message);
    }
  }

  /** Trains the rest of the current epoch; true when asked to stop. */
  private async runEpoch(): Promise<boolean> {
    const { training } = this.config;
    const { batchSize: b } = training;
    const learningRate = learningRateAt(training.schedule, this.state.epoch);
    const order = epochPermutation(this.req.train.n, training.seed, this.state.epoch);
    const runner = this.runner as StepRunner;
    while (this.state.stepInEpoch < this.stepsPerEpoch) {
      const s = this.state.stepInEpoch;
      const bound = tf.tidy(() => {
        const x = tf.gather(this.trainX, tf.tensor1d(order.subarray(s * b, (s + 1) * b), 'int32'));
        return runner.step(x, learningRate);
      });
      this.pending.push(bound);
      this.state.step += 1;
      this.state.stepInEpoch += 1;
      this.stepsSinceReport += 1;
      if (this.pending.length >= training.progressEvery) await this.report(learningRate);
      const stepLimit = this.req.maxSteps !== undefined && this.state.step - this.stepsAtStart >= this.req.maxSteps;
      if (this.hooks.shouldStop?.() || stepLimit) {
        await this.report(learningRate);
        this.checkpoint();
        return true;
      }
      const imageRequest = this.hooks.takeImageRequest?.();
      if (imageRequest) await this.emitImages(this.lastTopVariances, imageRequest);
      if ((performance.now() - this.lastCheckpoint) / 1000 > training.checkpointSeconds) {
        await this.report(learningRate);
        this.checkpoint();
      }
      // Let messages (a stop request, a webview's ready) in between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.report(learningRate);
    await this.endOfEpoch();
    this.state.epoch += 1;
    this.state.stepInEpoch = 0;
    this.checkpoint();
    return false;
  }

  /** Reads the bounds of the steps since the last report: the only sync with the device in the loop. */
  private async report(learningRate: number): Promise<void> {
    if (this.pending.length === 0) return;
    const stacked = tf.stack(this.pending);
    const values = (await stacked.data()) as Float32Array;
    tf.dispose([stacked, ...this.pending]);
    this.pending = [];
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingDiverged(`training diverged at step ${this.state.step - values.length + bad + 1}: the bound is ${values[bad]}`);
    }
    const sum = values.reduce((a, v) => a + v, 0);
    this.state.epochBoundSum += sum;
    this.state.epochBoundSteps += values.length;
    const now = performance.now();
    const imagesPerSec = (this.stepsSinceReport * this.config.training.batchSize) / Math.max(1e-9, (now - this.lastReport) / 1000);
    this.lastReport = now;
    this.stepsSinceReport = 0;
    this.record.imagesPerSec = imagesPerSec;
    this.emit({ type: 'progress', step: this.state.step, epoch: this.state.epoch, trainBound: sum / values.length, imagesPerSec, learningRate, time: this.elapsed });
  }

  private evalSampler(salt: number): Sampler {
    return new Sampler(mix32(mix32(this.config.training.seed, salt), this.state.epoch));
  }

  private heldOut(limit: number): Tensor {
    const n = this.req.test.n;
    return this.testX.slice([0, 0], [limit > 0 ? Math.min(limit, n) : n, -1]);
  }

  private async endOfEpoch(): Promise<void> {
    this.runner?.syncEager();
    const { training, objective } = this.config;
    const evalX = this.heldOut(training.evalExamples);
    const bounds = await heldOutBounds(this.model, evalX, objective.k * objective.m, this.evalSampler(1));
    evalX.dispose();
    let testNll: number | undefined;
    if (training.nllEvery > 0 && (this.state.epoch + 1) % training.nllEvery === 0) {
      const nllX = this.heldOut(training.nllExamples);
      testNll = (await estimateLogLikelihoodFast(this.model, nllX, training.evalK, this.evalSampler(2)))?.mean;
      nllX.dispose();
      if (testNll !== undefined) testNll = -testNll;
    }
    const trainBound = this.state.epochBoundSum / Math.max(1, this.state.epochBoundSteps);
    this.state.epochBoundSum = 0;
    this.state.epochBoundSteps = 0;
    const event: EpochEvent = {
      type: 'epoch', step: this.state.step, epoch: this.state.epoch, trainBound, testElbo: bounds.elbo, testIwae: bounds.iwae,
      ...(testNll !== undefined ? { testNll, evalK: training.evalK } : {}), time: this.elapsed,
    };
    this.history.push(event);
    this.emit(event);
    if (!this.record.best || bounds.iwae > this.record.best.testIwae) this.record.best = { testIwae: bounds.iwae, epoch: this.state.epoch };
    const variances = await this.emitActiveUnits(ACTIVE_UNIT_EXAMPLES);
    this.lastTopVariances = variances[variances.length - 1];
    await this.emitImages(this.lastTopVariances, {});
  }

  private async emitActiveUnits(examples: number): Promise<Float32Array[]> {
    const x = this.heldOut(examples);
    const variances = await posteriorMeanVariances(this.model, x, this.evalSampler(3));
    x.dispose();
    this.emit({
      type: 'activeUnits', step: this.state.step, variances: variances.map((v) => Array.from(v)),
      threshold: ACTIVE_THRESHOLD, active: variances.map((v) => activeUnits(v)),
    });
    return variances;
  }

  /** Reconstructions, samples and traversals (by default of the most active top-layer units). */
  private async emitImages(topVariances: Float32Array | undefined, request: ImageRequest): Promise<void> {
    this.runner?.syncEager();
    const shape = this.config.data.imageShape ?? squareShape(this.config.data.dim);
    if (!shape) return;
    const scale = this.config.data.kind === 'real';
    const n = Math.min(IMAGE_EXAMPLES, this.req.test.n);
    const top = this.model.latentSizes[this.model.latentSizes.length - 1];
    const byActivity = Array.from({ length: top }, (_, u) => u).sort((a, b) => (topVariances?.[b] ?? 0) - (topVariances?.[a] ?? 0));
    const requested = request.dims?.filter((d) => d < top) ?? [];
    const dims = requested.length ? requested.slice(0, MAX_TRAVERSAL_DIMS) : byActivity.slice(0, TRAVERSAL_DIMS);
    const x = this.heldOut(n);
    const [rec, samples, trav] = [reconstructions(this.model, x), priorSamples(this.model, n, this.evalSampler(4)), traversals(this.model, dims, TRAVERSAL_STEPS, request.range ?? 3)];
    x.dispose();
    const channels = this.config.data.channels;
    const event: RunEvent = {
      type: 'images', step: this.state.step,
      reconstructions: await toImageGrid(rec, 2, n, shape, scale, channels),
      samples: await toImageGrid(samples, 1, n, shape, scale, channels),
      traversals: await toImageGrid(trav, dims.length, TRAVERSAL_STEPS, shape, scale, channels),
      traversalDims: dims,
    };
    tf.dispose([rec, samples, trav]);
    this.emit(event);
  }

  private async finalEvaluation(): Promise<FinalEvaluation | undefined> {
    this.runner?.syncEager();
    const { training } = this.config;
    const x = this.heldOut(training.nllExamples);
    const estimate = await estimateLogLikelihoodFast(this.model, x, training.evalK, this.evalSampler(5), { shouldStop: this.hooks.shouldStop });
    x.dispose();
    if (!estimate) return undefined;
    const variances = await this.emitActiveUnits(0);
    const points = this.heldOut(BOUND_VS_K_EXAMPLES);
    const ks = DEFAULT_KS.filter((k) => k <= training.evalK);
    const bounds = await boundVsK(this.model, points, ks, this.evalSampler(6));
    points.dispose();
    this.emit({ type: 'boundVsK', step: this.state.step, ks, bounds });
    return {
      evalK: training.evalK, testNll: -estimate.mean, testNllStandardError: estimate.standardError,
      examples: estimate.perExample.length, activeUnits: variances.map((v) => activeUnits(v)),
    };
  }

  private checkpoint(): void {
    this.runner?.syncEager();
    this.state.sampler = this.sampler.state;
    this.state.elapsedSeconds = this.elapsed;
    this.state.adamStep = this.adam.step;
    const path = runPaths(this.req.runDir).checkpoint;
    saveCheckpoint(path, {
      config: this.config, state: { ...this.state }, history: this.history,
      params: exportTensors(this.model.params), adamM: exportTensors(this.adam.m), adamV: exportTensors(this.adam.v),
    });
    this.lastCheckpoint = performance.now();
    Object.assign(this.record, { step: this.state.step, epoch: this.state.epoch, updated: new Date().toISOString(), elapsedSeconds: this.state.elapsedSeconds });
    writeRunRecord(this.req.runDir, this.record);
    this.emit({ type: 'checkpoint', step: this.state.step, epoch: this.state.epoch, path });
  }

  private finish(status: RunStatus, message?: string, final?: FinalEvaluation): TrainResult {
    tf.dispose(this.pending);
    this.pending = [];
    Object.assign(this.record, { status, message, updated: new Date().toISOString() });
    writeRunRecord(this.req.runDir, this.record);
    this.emit({ type: 'end', status, step: this.state.step, ...(message ? { message } : {}), time: this.elapsed });
    return { status, step: this.state.step, message, final, stepPath: this.runner?.path, stepPathNote: this.stepPathNote };
  }

  dispose(): void {
    this.runner?.dispose();
    tf.dispose(this.pending);
    this.model.dispose();
    this.adam.dispose();
    this.trainX.dispose();
    this.testX.dispose();
  }
}

function squareShape(d: number): [number, number] | undefined {
  const side = Math.round(Math.sqrt(d));
  return side * side === d ? [side, side] : undefined;
}
