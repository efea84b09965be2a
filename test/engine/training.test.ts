// Training end to end on MNIST digits: it learns, it is deterministic, it does
// not leak tensors, and a stopped run resumes exactly where it stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf';
import type { EpochEvent, ProgressEvent, RunEvent } from '../../src/shared/events';
import { runTraining } from '../../src/engine/train/trainer';
import { createRunConfig, type RunChoices } from '../../src/engine/train/newRun';
import { appendEvent, readEvents, readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { openSummaryWriter } from '../../src/engine/train/tensorboard';
import { GraphStepPath, type GraphStepPathOptions } from '../../src/engine/graph/graphStepPath';
import { GraphSession } from '../../src/engine/graph/graphSession';
import type { GraphSpec } from '../../src/engine/graph/trainingGraph';
import { mnistSubset } from '../helpers/mnist';

const tmp = () => mkdtempSync(join(tmpdir(), 'll-train-'));

const choices = (epochs: number, extra: Partial<RunChoices> = {}): RunChoices => ({
  objective: 'iwae', k: 5, schedule: { kind: 'fixed', epochs, learningRate: 1e-3 }, seed: 3,
  evalK: 100, nllExamples: 50, evalExamples: 200, runId: 'test', ...extra,
});

async function train(dir: string, epochs: number, data: Awaited<ReturnType<typeof mnistSubset>>,
  opts: { resume?: boolean; maxSteps?: number; extra?: Partial<RunChoices>; now?: () => number; path?: GraphStepPathOptions } = {}) {
  const events: RunEvent[] = [];
  const tensorCounts: number[] = [];
  const config = createRunConfig(choices(epochs, opts.extra), data.train, data.test, 'examples/mnist');
  const steps = new GraphStepPath(opts.path);
  try {
    const result = await runTraining({ runDir: dir, config, ...data, steps, resume: opts.resume, maxSteps: opts.maxSteps }, {
      now: opts.now,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'progress') tensorCounts.push(tf.memory().numTensors);
      },
    });
    return { result, events, tensorCounts };
  } finally {
    steps.dispose();
  }
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e) => e.type === type) as Extract<RunEvent, { type: T }>[];

test('IWAE training on MNIST improves the held-out bound, reproducibly, with a flat tensor count', async () => {
  const data = await mnistSubset(1000, 200);
  const dir = tmp();
  // The TensorBoard writer of a folder lives as long as the process (tfjs-node's cache): it is not the run's to dispose.
  openSummaryWriter(dir);
  const before = tf.memory().numTensors;
  const a = await train(dir, 6, data); // 300 steps of 20 digits
  assert.equal(tf.memory().numTensors, before, 'every tensor of the run is disposed');
  assert.equal(a.result.status, 'finished');
  assert.ok(a.tensorCounts.length >= 10 && a.tensorCounts.every((n) => n === a.tensorCounts[0]), `tensor counts across steps: ${a.tensorCounts}`);
  const epochs = ofType(a.events, 'epoch');
  assert.equal(epochs.length, 6);
  const [first, last] = [epochs[0], epochs[epochs.length - 1]];
  assert.ok(last.testIwae > first.testIwae + 10, `held-out L_5 ${first.testIwae} -> ${last.testIwae}`);
  assert.ok(last.testIwae >= last.testElbo, 'L_K >= ELBO on the same samples');
  assert.ok(a.result.final && a.result.final.testNll > 0 && a.result.final.activeUnits[0] > 0);
  // The run trained and evaluated compiled by XLA, and every record of it says so.
  assert.deepEqual(a.result.stepPath, { path: 'xla' });
  assert.deepEqual(ofType(a.events, 'start')[0].stepPath, { path: 'xla' });
  assert.deepEqual(readRunRecord(dir)?.stepPath, { path: 'xla' });
  assert.deepEqual(a.result.final.stepPath, { path: 'graph' }, 'its log weights ran kernel by kernel');
  assert.deepEqual(readRunRecord(dir)?.final, a.result.final);
  // The bound-vs-K ladder comes from the final -L_100's own log weights: its last rung is the test NLL.
  const ladder = a.result.final.boundVsK;
  assert.deepEqual(ladder.map((b) => b.k), [1, 2, 5, 10, 20, 50, 100]);
  assert.equal(-ladder.at(-1)!.bound, a.result.final.testNll);
  assert.deepEqual(ofType(a.events, 'boundVsK')[0].bounds, ladder.map((b) => b.bound));
  // The same log weights' fit, JVI and weight diagnostics travel with the ladder to the dashboard.
  const { fit, jackknife, weights } = a.result.final;
  assert.deepEqual(ofType(a.events, 'boundVsK')[0].analysis, { ...(fit ? { fit } : {}), jackknife, weights });
  assert.equal(weights.essFraction.histogram.counts.reduce((x, y) => x + y, 0), 50);
  // ESS / K of the training batches, beside the training bound: at K = 5 a share of the 5 samples, at least one of them.
  const ess = ofType(a.events, 'progress').map((e) => e.essFraction);
  assert.ok(ess.every((f) => f !== undefined && f >= 0.2 - 1e-6 && f <= 1 + 1e-6), `ESS / K ${ess}`);
  const b = await train(tmp(), 6, data);
  assert.deepEqual(ofType(b.events, 'epoch').map((e) => [e.trainBound, e.testIwae]), epochs.map((e) => [e.trainBound, e.testIwae]), 'same seed, same run');
  const { seconds: _a, ...finalA } = a.result.final;
  const { seconds: _b, ...finalB } = b.result.final!;
  assert.deepEqual(finalB, finalA);
});

test('a run stopped mid-epoch and resumed continues exactly as the uninterrupted run', async () => {
  const data = await mnistSubset(400, 100); // 20 steps per epoch
  const whole = await train(tmp(), 3, data);
  const dir = tmp();
  const first = await train(dir, 3, data, { maxSteps: 27 });
  assert.equal(first.result.status, 'stopped');
  assert.equal(readRunRecord(dir)?.status, 'stopped');
  assert.equal(loadCheckpoint(runPaths(dir).checkpoint).state.step, 27);
  // What a process killed after its last checkpoint may have logged: steps the resumed run takes again.
  appendEvent(dir, { type: 'progress', step: 33, epoch: 1, trainBound: -1, imagesPerSec: 1, learningRate: 1e-3, time: 1 });
  const second = await train(dir, 3, data, { resume: true });
  assert.equal(second.result.status, 'finished');
  const epochsOf = (events: RunEvent[]) => ofType(events, 'epoch').map(({ time: _t, ...e }: EpochEvent) => e);
  assert.deepEqual([...epochsOf(first.events), ...epochsOf(second.events)], epochsOf(whole.events));
  assert.deepEqual({ ...second.result.final, seconds: 0 }, { ...whole.result.final, seconds: 0 });
  const a = loadCheckpoint(runPaths(dir).checkpoint), b = loadCheckpoint(ofType(whole.events, 'checkpoint').at(-1)!.path);
  for (const [name, t] of b.params) assert.deepEqual(Array.from(a.params.get(name)!.data), Array.from(t.data), name);
  // The metrics file holds both sessions' events, in order, and nothing logged past the checkpoint.
  assert.ok(!readEvents(dir).some((e) => e.type === 'progress' && e.trainBound === -1));
  const steps = readEvents(dir).filter((e): e is ProgressEvent => e.type === 'progress').map((e) => e.step);
  assert.deepEqual(steps, [...steps].sort((x, y) => x - y));
});

test('on the trainer\'s clock, a checkpoint is also written mid-epoch once checkpointSeconds have passed', async () => {
  const data = await mnistSubset(400, 50); // 20 steps per epoch
  let ms = 0;
  // Twenty seconds pass at every look at the clock: the 60 s between checkpoints run out within an epoch.
  const run = await train(tmp(), 1, data, { now: () => (ms += 20_000), extra: { evalK: 10 } });
  const steps = ofType(run.events, 'checkpoint').map((e) => e.step);
  assert.ok(steps.some((s) => s % 20 !== 0), `checkpoints at steps ${steps}`);
  assert.ok(steps.includes(20), 'and at the end of the epoch');
  const times = run.events.filter((e): e is Extract<RunEvent, { time: number }> => 'time' in e).map((e) => e.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'training time comes from the same clock');
});

test('a run taking blocks of 25 and 5 steps per call trains exactly as one taking one step per call', async () => {
  // 90 steps per epoch, progress every 25: 25, 25, 25, 5, 5, 5; the second epoch 5, 5, 25, 25, 25, 5.
  const data = await mnistSubset(1800, 100);
  const single = await train(tmp(), 2, data, { path: { maxStepsPerCall: 1 } });
  const recorded: GraphSpec[] = [];
  const blocks = await train(tmp(), 2, data, { path: { record: (spec) => { recorded.push(spec); return GraphSession.create(spec); } } });
  assert.deepEqual(recorded[0].blockSizes, [25, 5], 'the run asked for blocks of 25 and of 5 steps');
  const epochsOf = (events: RunEvent[]) => ofType(events, 'epoch').map(({ time: _t, ...e }: EpochEvent) => e);
  assert.deepEqual(epochsOf(blocks.events), epochsOf(single.events));
  assert.deepEqual({ ...blocks.result.final, seconds: 0 }, { ...single.result.final, seconds: 0 });
  const progress = (events: RunEvent[]) => ofType(events, 'progress').map((e) => [e.step, e.trainBound]);
  assert.deepEqual(progress(blocks.events), progress(single.events), 'progress on the same steps, with the same bounds');
});

/**
 * Real values a learning rate of 1e4 sends to NaN within a few steps. One step per call, so that a
 * checkpoint can fall between the first step and the divergence (a block of five would hold both).
 */
function divergingRun(dir: string, now?: () => number) {
  const n = 200, d = 16;
  const x = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 12.9898) * 40);
  const real = { x, n, d, kind: 'real' as const, source: 'synthetic' };
  return train(dir, 50, { train: real, test: { ...real, n: 50, x: x.subarray(0, 50 * d) } },
    { now, extra: { schedule: { kind: 'fixed', epochs: 50, learningRate: 1e4 }, hidden: [8], latent: 2 }, path: { maxStepsPerCall: 1 } });
}

test('a run diverging before its first checkpoint says there is nothing to resume', async () => {
  const dir = tmp();
  const run = await divergingRun(dir);
  assert.equal(run.result.status, 'failed');
  // It diverges within the first progress reading, long before the first checkpoint, and says so.
  assert.ok(!existsSync(runPaths(dir).checkpoint));
  assert.match(run.result.message ?? '', /^training diverged at step \d+: the bound is (NaN|-?Infinity); no checkpoint had been written yet, so there is nothing to resume$/);
  const record = readRunRecord(dir);
  assert.equal(record?.status, 'failed');
  assert.equal(record?.message, run.result.message);
  const end = ofType(run.events, 'end')[0];
  assert.equal(end.status, 'failed');
  assert.deepEqual([run.result.step, end.step], [record?.step, record?.step], 'the result, the end event and run.json name one step');
});

test('a run diverging after a checkpoint keeps that checkpoint, which holds no NaN, and names its step', async () => {
  const dir = tmp();
  let ms = 0;
  // A minute passes at every look at the clock: every step is checkpointed, each after its bound is read.
  const run = await divergingRun(dir, () => (ms += 61_000));
  assert.equal(run.result.status, 'failed');
  const c = loadCheckpoint(runPaths(dir).checkpoint);
  assert.ok(c.state.step >= 1);
  for (const [name, t] of c.params) assert.ok(t.data.every(Number.isFinite), name);
  assert.match(run.result.message ?? '', new RegExp(`^training diverged at step ${c.state.step + 1}: the bound is (NaN|-?Infinity); the last checkpoint \\(step ${c.state.step}\\) is kept$`));
  assert.deepEqual([run.result.step, readRunRecord(dir)?.step], [c.state.step, c.state.step]);
});
