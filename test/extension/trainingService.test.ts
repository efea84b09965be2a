// The extension's training service against the real engine in a real training
// process: a run streamed to its end, a run stopped and resumed, and a
// training process killed with SIGKILL mid-run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/shared/events';
import { ToWebview } from '../../src/shared/protocol';
import type { RunChoices } from '../../src/shared/trainingProtocol';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { readEvents, readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { TrainingBusyError, TrainingService, type RunEnded, type RunProgress } from '../../src/extension/training/trainingService';
import { buildBundles, type Bundles } from './helpers/bundles';
import { MemoryLog } from './helpers/memoryLog';
import { writeTinyDataset } from './helpers/tinyDataset';

let bundles: Bundles;
let dataPath: string;
const scratch = mkdtempSync(join(tmpdir(), 'll-service-'));

before(async () => {
  // The training processes inherit it: what a killed one leaves in its temporary folder goes too.
  process.env.TMPDIR = scratch;
  bundles = await buildBundles();
  dataPath = writeTinyDataset(mkdtempSync(join(tmpdir(), 'll-data-')), 1000);
});
after(() => {
  bundles.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** 900 training images in batches of 20: 45 steps an epoch, a progress event every 25. */
const choices = (epochs: number, runId: string): RunChoices => ({
  objective: 'iwae', k: 3, schedule: { kind: 'fixed', epochs, learningRate: 1e-3 }, hidden: [16], latent: 4,
  batchSize: 20, evalK: 10, evalExamples: 50, nllExamples: 20, seed: 1, runId,
});

function service(log = new MemoryLog()) {
  const training = new TrainingService({ workerPath: bundles.worker, log, postIntervalMs: 50 });
  const posted: RunEvent[][] = [];
  const progress: (RunProgress | undefined)[] = [];
  training.onDidPostEvents(({ events }) => posted.push(events));
  training.onDidChangeProgress((p) => progress.push(p));
  const ended = () => new Promise<RunEnded>((resolve) => {
    const subscription = training.onDidEnd((e) => {
      subscription.dispose();
      resolve(e);
    });
  });
  const firstEvent = (type: RunEvent['type']) => new Promise<RunEvent>((resolve) => {
    const subscription = training.onDidPostEvents(({ events }) => {
      const found = events.find((e) => e.type === type);
      if (!found) return;
      subscription.dispose();
      resolve(found);
    });
  });
  return { training, log, posted, progress, ended, firstEvent };
}

const types = (events: RunEvent[]) => new Set(events.map((e) => e.type));

test('a run streams its events to its end and leaves a finished run folder', async () => {
  const runsFolder = mkdtempSync(join(tmpdir(), 'll-runs-'));
  const s = service();
  const ended = s.ended();
  const started = s.training.start({ runsFolder, dataPath, choices: choices(2, 'whole') });
  assert.equal(started.phase, 'starting');
  assert.ok(started.pid, 'the training process has started');
  assert.throws(() => s.training.start({ runsFolder, dataPath, choices: choices(2, 'second') }),
    (err: Error) => err instanceof TrainingBusyError && /a run is already training \(whole\); stop it before starting another/.test(err.message));
  const { runDir, outcome } = await ended;
  assert.deepEqual(outcome, { status: 'finished', step: 90 });
  assert.equal(runDir, join(runsFolder, 'whole'));

  const streamed = s.posted.flat();
  for (const type of ['start', 'progress', 'epoch', 'images', 'activeUnits', 'checkpoint', 'boundVsK', 'end'] as const) {
    assert.ok(types(streamed).has(type), `a ${type} event reached the dashboard`);
  }
  assert.equal(streamed.filter((e) => e.type === 'epoch').length, 2);
  const startEvent = streamed.find((e) => e.type === 'start');
  assert.deepEqual(startEvent?.type === 'start' && startEvent.stepPath, { path: 'xla' }, 'the dashboard hears which path the run trains on');
  assert.equal(streamed.at(-1)?.type, 'end');
  for (const events of s.posted) assert.ok(ToWebview.safeParse({ type: 'events', runId: 'whole', events }).success);
  const snapshot = s.training.snapshot();
  assert.equal(snapshot?.status, 'finished');
  assert.ok(ToWebview.safeParse({ type: 'snapshot', run: snapshot }).success);

  assert.ok(s.progress.some((p) => p?.phase === 'training' && p.totalEpochs === 2 && p.totalSteps === 90 && p.trainBound !== undefined));
  assert.equal(s.progress.at(-1), undefined, 'idle again');
  assert.equal(s.training.progress, undefined);

  const record = readRunRecord(runDir);
  assert.equal(record?.status, 'finished');
  assert.ok(record?.final && record.final.testNll > 0);
  const checkpoint = loadCheckpoint(runPaths(runDir).checkpoint);
  assert.equal(checkpoint.state.step, 90);
  assert.equal(checkpoint.config.data.path, dataPath);
  const stored = readEvents(runDir);
  assert.deepEqual(stored.filter((e) => e.type === 'epoch'), streamed.filter((e) => e.type === 'epoch'), 'the dashboard saw what metrics.jsonl holds');
  assert.ok(s.log.messages('info').some((m) => /whole: epoch 2: train bound -\d/.test(m)), 'the output channel logs each epoch');
});

test('a run stopped part-way keeps a loadable checkpoint and resumes to the end in the same folder', async () => {
  const runsFolder = mkdtempSync(join(tmpdir(), 'll-runs-'));
  const s = service();
  let ended = s.ended();
  // Stopped at a step limit, as if asked to: the stop cannot race the end of so short a run.
  s.training.start({ runsFolder, dataPath, choices: choices(2, 'stopped'), maxSteps: 30 });
  const { runDir, outcome } = await ended;
  assert.deepEqual(outcome, { status: 'stopped', step: 30 });
  assert.equal(readRunRecord(runDir)?.status, 'stopped');
  assert.equal(loadCheckpoint(runPaths(runDir).checkpoint).state.step, 30);

  ended = s.ended();
  const resumed = s.training.resume({ runDir });
  assert.equal(resumed.step, 30, 'progress picks up where the run stopped');
  const second = await ended;
  assert.deepEqual(second.outcome, { status: 'finished', step: 90 });
  assert.equal(readRunRecord(runDir)?.status, 'finished');
  const restarted = s.posted.flat().filter((e) => e.type === 'start');
  assert.deepEqual(restarted.map((e) => e.step), [0, 30]);
  const snapshot = s.training.snapshot();
  assert.deepEqual(snapshot?.events.filter((e) => e.type === 'end').map((e) => e.type === 'end' && e.status), ['stopped', 'finished'],
    'the dashboard shows the whole run, before and after the stop');
});

test('a training process killed with SIGKILL is reported as failed, and its run folder stays valid', async () => {
  const runsFolder = mkdtempSync(join(tmpdir(), 'll-runs-'));
  const s = service();
  const ended = s.ended();
  const { pid } = s.training.start({ runsFolder, dataPath, choices: choices(50, 'killed') });
  const checkpointed = await s.firstEvent('checkpoint');
  process.kill(pid!, 'SIGKILL');
  const { runDir, outcome } = await ended;

  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.exit?.signal, 'SIGKILL');
  assert.match(outcome.message ?? '', /^the training process was killed by SIGKILL; the last checkpoint \(step \d+\) is kept$/);
  assert.ok(s.log.messages('error').some((m) => m.includes('killed failed: the training process was killed by SIGKILL')), 'the output channel says why');

  const record = readRunRecord(runDir);
  assert.equal(record?.status, 'failed');
  assert.equal(record?.message, outcome.message);
  assert.equal(record?.runId, 'killed', 'the rest of run.json is kept');
  const checkpoint = loadCheckpoint(runPaths(runDir).checkpoint);
  assert.ok(checkpoint.state.step >= checkpointed.step, 'the checkpoint written before the kill loads');
  assert.equal(checkpoint.state.step, record?.step);
  const events = readEvents(runDir);
  assert.equal(events[0].type, 'start');
  assert.ok(events.some((e) => e.type === 'checkpoint'));
  assert.ok(!events.some((e) => e.type === 'end'), 'metrics.jsonl is left as the process wrote it');
  assert.deepEqual(readdirSync(scratch).filter((n) => n.startsWith('latent-lab-graph-')), [], 'the killed process left no graph folder behind');

  const shown = s.training.snapshot();
  assert.equal(shown?.status, 'failed');
  const last = shown?.events.at(-1);
  assert.ok(last?.type === 'end' && last.status === 'failed' && last.message === outcome.message, 'the dashboard is told how the run ended');
  assert.equal(s.posted.flat().at(-1)?.type, 'end');

  const resumed = s.training.resume({ runDir });
  assert.equal(resumed.step, checkpoint.state.step, 'a crashed run can continue from its checkpoint');
  await s.firstEvent('progress');
  assert.equal(s.training.progress?.phase, 'training');
  const stopping = s.training.stop();
  assert.equal(s.training.progress?.phase, 'stopping');
  const stopped = await stopping;
  assert.equal(stopped?.status, 'stopped', 'Stop Training ends a long run after its current step');
  assert.ok(stopped?.step !== undefined && stopped.step < 50 * 45);
  assert.equal(readRunRecord(runDir)?.status, 'stopped');
});
