// The step path of a process: one decision, the evaluation session recorded
// once and kept, the graph's estimates agreeing with the eager ones, and one
// sampler contract for the steps of both paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../src/engine/tf';
import { estimateBounds } from '../../src/engine/evaluate/logLikelihood';
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

/** A graph path that counts its recordings, or refuses them with GraphUnsupported. */
function countingPath(refusing = false) {
  const recorded: GraphSpec[] = [];
  const path = new GraphStepPath({
    record: async (spec) => {
      recorded.push(spec);
      return refusing ? refuse() : GraphSession.create(spec);
    },
  });
  return { path, recorded };
}

async function lN(path: StepPath, model: ReturnType<typeof newModel>['model'], x: Tensor, n: number, seed: number): Promise<Float32Array> {
  const estimator = await path.logWeightEstimator(model, shape, n, new Sampler(seed));
  return Float32Array.from((await estimateBounds(estimator, x, { ks: [n] }))!, (e) => e.ladder[0]);
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
    assert.deepEqual(path.choice, { path: 'graph' });
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
    runner.dispose();
  } finally {
    path.dispose();
    x.dispose();
    s.dispose();
  }
});

test('when the run cannot be recorded, the process decides once for the eager path and says why', async () => {
  const s = setup();
  const { path, recorded } = countingPath(true);
  const x = binaryBatch(4, 12);
  try {
    const runner = await path.stepRunner(s);
    assert.deepEqual(path.choice, { path: 'eager', fallbackReason: "the graph cannot record this run's step: a test refuses to record" });
    tf.dispose(runner.step(x, 1e-2));
    const bounds = await lN(path, s.model, x, 20, 2);
    assert.ok(bounds.every(Number.isFinite), 'the evaluation runs eagerly');
    assert.equal(recorded.length, 1, 'no second attempt in the same process');
    await assert.rejects(new GraphStepPath({ prefer: 'graph', record: refuse }).stepRunner(s), GraphUnsupported, 'unless told to insist on the graph');
  } finally {
    path.dispose();
    x.dispose();
    s.dispose();
  }
});

for (const which of ['eager', 'graph'] as const) {
  test(`${which === 'eager' ? 'an' : 'a'} ${which} step takes exactly one key of the run's sampler, and the same state gives the same step`, async () => {
    const path = which === 'graph' ? new GraphStepPath({ prefer: 'graph' }) : eagerStepPath();
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
