// The step path of a process: one decision (XLA, else the kernel-by-kernel
// graph, else eager), the evaluation session recorded once and kept, the
// graph's estimates agreeing with the eager ones, and one sampler contract for
// the steps of every path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/engine/tf';
import { estimateBounds } from '../../src/engine/evaluate/logLikelihood';
import { logWeightBounds } from '../../src/engine/diagnostics/logWeightAnalysis';
import { XlaRefused } from '../../src/engine/graph/graphFunction';
import { GraphSession } from '../../src/engine/graph/graphSession';
import { GraphStepPath } from '../../src/engine/graph/graphStepPath';
import { GraphUnsupported } from '../../src/engine/graph/opRecorder';
import type { GraphSpec } from '../../src/engine/graph/trainingGraph';
import { objectiveConfig } from '../../src/engine/objectives/objective';
import { Sampler } from '../../src/engine/random/sampler';
import { eagerStepPath, type RunShape, type StepPath } from '../../src/engine/train/stepPath';
import type { StepSetup } from '../../src/engine/train/stepRunner';
import { binaryBatch, newModel, smallConfig } from './helpers';

const shape: RunShape = { objective: objectiveConfig({ kind: 'iwae', k: 3 }), batchSize: 4, binarize: false };

const refuse = async (): Promise<GraphSession> => {
  throw new GraphUnsupported('a test refuses to record');
};

/** A graph path that counts its recordings, or refuses them with GraphUnsupported, or has XLA refuse them. */
function countingPath(refusing: 'no' | 'graph' | 'xla' = 'no') {
  const recorded: GraphSpec[] = [];
  const path = new GraphStepPath({
    record: async (spec) => {
      recorded.push(spec);
      if (refusing === 'xla' && spec.execution === 'xla') throw new XlaRefused('train_step: a test has no XLA');
      return refusing === 'graph' ? refuse() : GraphSession.create(spec);
    },
  });
  return { path, recorded };
}

async function lN(path: StepPath, model: ReturnType<typeof newModel>['model'], x: Tensor, n: number, seed: number): Promise<Float32Array> {
  const estimator = await path.logWeightEstimator(model, shape, n, new Sampler(seed));
  return Float32Array.from((await estimateBounds(estimator, x, logWeightBounds))!);
}

test('graph L_N per example agrees with the eager L_N within Monte Carlo error, is reproducible from the seed, and leaks nothing', async () => {
  const { model, adam } = newModel(smallConfig());
  const x = binaryBatch(60, 12);
  const { path } = countingPath();
  try {
    const first = await lN(path, model, x, 200, 4);
    const before = tf.memory().numTensors;
    const graph = await lN(path, model, x, 200, 4);
    assert.equal(tf.memory().numTensors, before, 'an estimate on the kept session leaves no tensor behind');
    assert.deepEqual(Array.from(graph), Array.from(first), 'the same seed, the same numbers');
    assert.deepEqual(path.choice, { path: 'graph' }, 'a process that only evaluates never compiles');
    const eager = await lN(eagerStepPath(), model, x, 200, 5);
    const d = graph.map((g, i) => g - eager[i]);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    assert.ok(sd > 0, 'the two paths draw different noise');
    assert.ok(Math.abs(mean) < 4 * sd / Math.sqrt(d.length), `mean paired difference ${mean}, standard error ${sd / Math.sqrt(d.length)}`);
  } finally {
    path.dispose();
    x.dispose();
    model.dispose();
    adam.dispose();
  }
});

test('an evaluation session is recorded once per model and N, and each estimate takes the current weights', async () => {
  const { model, adam } = newModel(smallConfig());
  const x = binaryBatch(8, 12);
  const { path, recorded } = countingPath();
  try {
    const before = await lN(path, model, x, 50, 1);
    const weights = model.params.get('p.0.1.bias')!;
    tf.tidy(() => weights.assign(weights.add(1)));
    const after = await lN(path, model, x, 50, 1);
    assert.equal(recorded.length, 1, 'no SavedModel rebuilt per estimate');
    assert.notDeepEqual(Array.from(after), Array.from(before), 'the second estimate saw the new weights');
    await lN(path, model, x, 20, 1);
    assert.equal(recorded.length, 2, 'another N is another recording');
  } finally {
    path.dispose();
    x.dispose();
    model.dispose();
    adam.dispose();
  }
});

function setup(sampler = new Sampler(9)): StepSetup & { dispose(): void } {
  const { model, adam } = newModel(smallConfig());
  return { model, adam, sampler, evalK: 30, ...shape, dispose: () => { model.dispose(); adam.dispose(); } };
}

test('a training run\'s session records its evaluation too: one recording decides and serves both', async () => {
  const s = setup();
  const { path, recorded } = countingPath();
  const x = binaryBatch(4, 12);
  try {
    const runner = await path.stepRunner(s);
    tf.dispose(runner.step(x, 1e-2));
    await lN(path, s.model, x, s.evalK, 2);
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0].evaluation, { batchSize: 1, k: s.evalK });
    assert.deepEqual([path.choice, path.evaluationChoice], [{ path: 'xla' }, { path: 'graph' }], 'the step compiled, the estimates kernel by kernel');
    runner.dispose();
  } finally {
    path.dispose();
    x.dispose();
    s.dispose();
  }
});

/** A training run's step path whose recordings are refused as `refusing` says, its runner, a batch; all disposed after `check`. */
async function withRefusals(refusing: 'graph' | 'xla', check: (c: ReturnType<typeof countingPath> & { s: StepSetup; x: Tensor }) => Promise<void>): Promise<void> {
  const s = setup();
  const counting = countingPath(refusing);
  const x = binaryBatch(4, 12);
  try {
    await check({ ...counting, s, x });
  } finally {
    counting.path.dispose();
    x.dispose();
    s.dispose();
  }
}

test('when the run cannot be recorded, the process decides once for the eager path and says why', () => withRefusals('graph', async ({ path, recorded, s, x }) => {
  const runner = await path.stepRunner(s);
  assert.deepEqual(path.choice, { path: 'eager', fallbackReason: "the graph cannot record this run's step: a test refuses to record" });
  tf.dispose(runner.step(x, 1e-2));
  const bounds = await lN(path, s.model, x, 20, 2);
  assert.ok(bounds.every(Number.isFinite), 'the evaluation runs eagerly');
  assert.equal(recorded.length, 1, 'no second attempt in the same process');
  await assert.rejects(new GraphStepPath({ prefer: 'graph', record: refuse }).stepRunner(s), GraphUnsupported, 'unless told to insist on the graph');
}));

test('when XLA refuses the step, the process decides once for the kernel-by-kernel graph and says why', () => withRefusals('xla', async ({ path, recorded, s, x }) => {
  const runner = await path.stepRunner(s);
  assert.deepEqual(path.choice, { path: 'graph', fallbackReason: "XLA cannot compile this run's step: train_step: a test has no XLA" });
  tf.dispose(runner.step(x, 1e-2));
  await lN(path, s.model, x, 20, 2);
  assert.deepEqual(recorded.map((r) => r.execution), ['xla', 'graph', 'graph'], 'XLA tried once; the evaluation session follows the decision');
  runner.dispose();
}));

const paths = {
  eager: () => eagerStepPath(),
  graph: () => new GraphStepPath({ prefer: 'graph', execution: 'graph' }),
  xla: () => new GraphStepPath({ prefer: 'graph' }),
};

for (const which of ['eager', 'graph', 'xla'] as const) {
  test(`${which === 'graph' ? 'a' : 'an'} ${which} step takes exactly one key of the run's sampler, and the same state gives the same step`, async () => {
    const path = paths[which]();
    const x = binaryBatch(4, 12);
    const boundFrom = async (counter: number): Promise<number> => {
      const s = setup(new Sampler(9, counter));
      const runner = await path.stepRunner(s);
      try {
        const result = runner.step(x, 1e-2);
        const value = (await result.bound.data())[0];
        tf.dispose(result);
        assert.deepEqual(s.sampler.state, { seed: 9, counter: counter + 1 });
        return value;
      } finally {
        runner.dispose();
        s.dispose();
      }
    };
    try {
      const [a, again, next] = [await boundFrom(3), await boundFrom(3), await boundFrom(4)];
      assert.equal(again, a);
      assert.notEqual(next, a, 'the next key draws other noise');
    } finally {
      path.dispose();
      x.dispose();
    }
  });
}
