// A stop is heard in every phase of a run (training, the per-epoch evaluation,
// the images, the final evaluation) at the trainer's first look after it, with
// the last checkpoint kept; and the run resumed from there ends exactly as the
// run that was never stopped. The stop arrives mid-phase: on the phase's second
// look at shouldStop (after one call of the training step, which takes a block
// of steps, or one batch or estimator call), or, in
// the images, which are drawn in one go, while they are drawn.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochEvent, RunEvent } from '../../src/shared/events';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { GraphStepPath } from '../../src/engine/graph/graphStepPath';
import { createRunConfig } from '../../src/engine/train/newRun';
import { readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { runTraining, type TrainHooks, type TrainingPhase, type TrainResult } from '../../src/engine/train/trainer';
import { DEFAULT_TRAINING } from '../../src/engine/train/runConfig';
import { blockSizes, stepsPerCallFor } from '../../src/engine/train/stepRunner';
import { mnistSubset } from '../helpers/mnist';

type Data = Awaited<ReturnType<typeof mnistSubset>>;
let data: Data;
before(async () => {
  data = await mnistSubset(400, 250); // 20 steps an epoch; the held-out bounds take 3 batches, -L_N 20 calls
});

const STEPS_PER_EPOCH = 20;
/** The steps of one call of the training step, a stop being heard between calls: 20-step epochs take the small blocks. */
const BLOCK = blockSizes(stepsPerCallFor(DEFAULT_TRAINING.progressEvery)).at(-1)!;

async function train(runDir: string, hooks: TrainHooks, resume = false): Promise<{ result: TrainResult; events: RunEvent[] }> {
  const config = createRunConfig({
    objective: 'iwae', k: 3, hidden: [16], latent: 4, schedule: { kind: 'fixed', epochs: 2, learningRate: 1e-3 }, seed: 5,
    evalK: 30, nllEvery: 1, nllExamples: 20, evalExamples: 0, runId: 'phases',
  }, data.train, data.test, 'examples/mnist');
  const steps = new GraphStepPath();
  const events: RunEvent[] = [];
  try {
    const result = await runTraining({ runDir, config, ...data, steps, resume }, { ...hooks, onEvent: (e) => events.push(e) });
    return { result, events };
  } finally {
    steps.dispose();
  }
}

const tmp = () => join(mkdtempSync(join(tmpdir(), 'll-phases-')), 'run');
const epochs = (events: RunEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch').map(({ time: _t, ...e }) => e);

let whole: Promise<{ result: TrainResult; events: RunEvent[] }> | undefined;
const uninterrupted = () => (whole ??= train(tmp(), {}));

/** Stops on the second look at shouldStop once `phase` has been entered `nth` times (or on entering it); counts the looks that saw the stop. */
function stopIn(phase: TrainingPhase, nth: number, onEntry: boolean) {
  let entered = 0;
  let looksInPhase = 0;
  let current: TrainingPhase | undefined;
  const seen = { looksAfterStop: 0, stoppedIn: undefined as TrainingPhase | undefined };
  const hooks: TrainHooks = {
    onPhase: (p) => {
      current = p;
      if (p === phase) entered += 1;
      if (p === phase && entered === nth && onEntry) seen.stoppedIn = p;
    },
    shouldStop: () => {
      if (seen.stoppedIn) {
        seen.looksAfterStop += 1;
        return true;
      }
      if (current === phase && entered === nth && ++looksInPhase === 2) {
        seen.stoppedIn = current;
        seen.looksAfterStop = 1;
        return true;
      }
      return false;
    },
    stopReason: () => (seen.stoppedIn ? `stopped by the test in ${seen.stoppedIn}` : undefined),
  };
  return { hooks, seen };
}

const cases: { phase: TrainingPhase; nth: number; onEntry: boolean; checkpointStep: number; epoch: number; stepInEpoch: number; epochEvents: number }[] = [
  { phase: 'training', nth: 2, onEntry: false, checkpointStep: STEPS_PER_EPOCH + 2 * BLOCK, epoch: 1, stepInEpoch: 2 * BLOCK, epochEvents: 1 },
  { phase: 'epochEvaluation', nth: 1, onEntry: false, checkpointStep: STEPS_PER_EPOCH, epoch: 0, stepInEpoch: STEPS_PER_EPOCH, epochEvents: 0 },
  { phase: 'images', nth: 1, onEntry: true, checkpointStep: STEPS_PER_EPOCH, epoch: 1, stepInEpoch: 0, epochEvents: 1 },
  { phase: 'finalEvaluation', nth: 1, onEntry: false, checkpointStep: 2 * STEPS_PER_EPOCH, epoch: 2, stepInEpoch: 0, epochEvents: 2 },
];

for (const c of cases) {
  test(`a stop during ${c.phase} ends the run at its next look, keeps the checkpoint, and the resumed run ends as if never stopped`, async () => {
    const runDir = tmp();
    const { hooks, seen } = stopIn(c.phase, c.nth, c.onEntry);
    const first = await train(runDir, hooks);
    assert.equal(first.result.status, 'stopped');
    assert.equal(seen.stoppedIn, c.phase);
    assert.equal(seen.looksAfterStop, 1, 'the first look after the stop ends the run: nothing more is computed');
    assert.equal(first.result.final, undefined);
    assert.ok(!first.events.some((e) => e.type === 'boundVsK'));
    assert.ok(!first.events.some((e) => e.type === 'progress' && e.step > c.checkpointStep), 'no step after the checkpoint');
    assert.equal(epochs(first.events).length, c.epochEvents);
    const { state } = loadCheckpoint(runPaths(runDir).checkpoint);
    assert.deepEqual([state.step, state.epoch, state.stepInEpoch], [c.checkpointStep, c.epoch, c.stepInEpoch]);
    const record = readRunRecord(runDir)!;
    assert.deepEqual([record.status, record.step, record.message], ['stopped', c.checkpointStep, `stopped by the test in ${c.phase}`]);

    const second = await train(runDir, {}, true);
    assert.equal(second.result.status, 'finished');
    const reference = await uninterrupted();
    assert.deepEqual([...epochs(first.events), ...epochs(second.events)], epochs(reference.events));
    assert.deepEqual({ ...second.result.final, seconds: 0 }, { ...reference.result.final, seconds: 0 });
  });
}
