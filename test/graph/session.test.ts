// The SavedModel as a training session: it trains across calls, its state
// round-trips exactly, its seeded draws are reproducible, and it leaks nothing,
// whether it runs kernel by kernel or compiled whole by XLA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf';
import { objectiveConfig } from '../../src/engine/objectives/objective';
import { Sampler } from '../../src/engine/random/sampler';
import { logLikelihoodBound } from '../../src/engine/evaluate/logLikelihood';
import { logMeanExp } from '../../src/engine/math/logMeanExp';
import { binarize, boundAndGradients } from '../../src/engine/train/step';
import { GraphSession } from '../../src/engine/graph/graphSession';
import { stateVariables, writeTrainingGraph, type Execution, type GraphSpec, type WrittenGraph } from '../../src/engine/graph/trainingGraph';
import { binaryBatch, newModel, smallConfig, snapshot } from './helpers';

const BATCH = 8;
const objective = objectiveConfig({ kind: 'iwae', k: 5 });
const EXECUTIONS = ['graph', 'xla'] as const;

async function sessionWithModel(execution: Execution, evaluation?: { batchSize: number; k: number }, config = smallConfig()) {
  const { model, adam } = newModel(config);
  const session = await GraphSession.create({ model: config, objective, batchSize: BATCH, binarize: false, evaluation, execution });
  session.setState(stateVariables(model.params, adam));
  return { session, model, adam, config, dispose: () => { session.dispose(); model.dispose(); adam.dispose(); } };
}

function boundOf(session: GraphSession, x: tf.Tensor, step: number, seed: number): number {
  const b = session.trainStep({ x, learningRate: 0.01, step, seed });
  const v = b.bound.dataSync()[0];
  tf.dispose(b);
  return v;
}

for (const execution of EXECUTIONS) {
  test(`the graph trains across calls (${execution}): the bound on a fixed batch improves`, async () => {
    const s = await sessionWithModel(execution);
    const x = binaryBatch(BATCH, s.config.inputDim);
    try {
      const bounds = Array.from({ length: 150 }, (_, i) => boundOf(s.session, x, i + 1, i));
      const mean = (a: number[]) => a.reduce((p, v) => p + v, 0) / a.length;
      assert.ok(mean(bounds.slice(-10)) > mean(bounds.slice(0, 10)) + 1, `first ${mean(bounds.slice(0, 10))}, last ${mean(bounds.slice(-10))}`);
    } finally {
      x.dispose();
      s.dispose();
    }
  });

  test(`a seed fixes the draws (${execution}): same state and seed, same bound; another seed, another bound`, async () => {
    const s = await sessionWithModel(execution);
    const x = binaryBatch(BATCH, s.config.inputDim);
    try {
      const start = s.session.getState();
      const first = boundOf(s.session, x, 1, 42);
      s.session.setState(start);
      const again = boundOf(s.session, x, 1, 42);
      s.session.setState(start);
      const other = boundOf(s.session, x, 1, 43);
      assert.equal(again, first);
      assert.notEqual(other, first);
      tf.dispose([...start.values()]);
    } finally {
      x.dispose();
      s.dispose();
    }
  });

  for (const posterior of ['normal', 'laplace'] as const) {
    test(`the step's in-graph draws are the sampler's (${execution}, ${posterior} posterior, binarized batch): its bound over seeds matches the eager step's`, async () => {
      const config = smallConfig({ posterior });
      const { model, adam } = newModel(config);
      const session = await GraphSession.create({ model: config, objective, batchSize: BATCH, binarize: true, execution });
      const x = tf.fill([BATCH, config.inputDim], 0.4);
      try {
        session.setState(stateVariables(model.params, adam));
        // A learning rate of 0 leaves the weights as they are: every call draws the same estimator afresh.
        const seeds = Array.from({ length: 200 }, (_, i) => i + 1);
        const graph = seeds.map((seed) => {
          const b = session.trainStep({ x, learningRate: 0, step: 1, seed });
          const v = b.bound.dataSync()[0];
          tf.dispose(b);
          return v;
        });
        const eager = seeds.map((seed) => tf.tidy(() => {
          const sampler = new Sampler(seed);
          const { bound, grads } = boundAndGradients(model, objective, binarize(x, sampler), sampler);
          tf.dispose(Object.values(grads));
          return bound.dataSync()[0];
        }));
        const stats = (v: number[]) => {
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) };
        };
        const [g, e] = [stats(graph), stats(eager)];
        const se = Math.sqrt((g.variance + e.variance) / seeds.length);
        assert.ok(se > 0 && Math.abs(g.mean - e.mean) < 4 * se, `eager ${e.mean}, ${execution} ${g.mean}, standard error ${se}`);
      } finally {
        x.dispose();
        session.dispose();
        model.dispose();
        adam.dispose();
      }
    });
  }

  test(`the tensor count stays flat across graph steps (${execution})`, async () => {
    const s = await sessionWithModel(execution);
    const x = binaryBatch(BATCH, s.config.inputDim);
    try {
      boundOf(s.session, x, 1, 0);
      const before = tf.memory().numTensors;
      for (let i = 2; i < 50; i++) boundOf(s.session, x, i, i);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      x.dispose();
      s.dispose();
    }
  });

  test(`n steps in one call give what n calls give, bit for bit (${execution})`, async () => {
    const n = 4;
    const { model, adam } = newModel(smallConfig());
    const session = await GraphSession.create({ model: smallConfig(), objective, batchSize: BATCH, binarize: true, execution, blockSizes: [n] });
    const xs = tf.randomUniform([n, BATCH, smallConfig().inputDim], 0, 1, 'float32', 3);
    const start = stateVariables(model.params, adam);
    try {
      session.setState(start);
      const seeds = [11, 12, 13, 14];
      const single = tf.unstack(xs).map((x, i) => {
        const b = session.trainStep({ x, learningRate: 0.01, step: i + 1, seed: seeds[i] });
        const v = [b.bound.dataSync()[0], b.essFraction.dataSync()[0]];
        tf.dispose([b.bound, b.essFraction, x]);
        return v;
      });
      const afterSingle = session.getState();
      session.setState(start);
      const block = session.trainSteps({ x: xs, learningRate: 0.01, step: 1, seeds });
      const afterBlock = session.getState();
      assert.deepEqual(Array.from(block.bound.dataSync()), single.map(([bound]) => bound));
      assert.deepEqual(Array.from(block.essFraction.dataSync()), single.map(([, ess]) => ess), 'and the same ESS / n');
      assert.deepEqual(snapshot(afterBlock), snapshot(afterSingle));
      tf.dispose([block.bound, block.essFraction, ...afterSingle.values(), ...afterBlock.values()]);
    } finally {
      tf.dispose(xs);
      session.dispose();
      model.dispose();
      adam.dispose();
    }
  });
}

// The Student-t draws gamma variates: TensorFlow's StatelessRandomGammaV2 in the graph.
for (const family of [{ posterior: 'normal' }, { posterior: 'laplace' }, { posterior: 'student-t', degreesOfFreedom: 2.5 }] as const) {
  test(`in-graph random ops draw what the sampler would (${family.posterior} posterior): graph L_K matches the eager estimate`, async () => {
    const k = 2000;
    const s = await sessionWithModel('graph', { batchSize: 4, k }, smallConfig(family));
    const x = binaryBatch(4, s.config.inputDim);
    try {
      // L_K is random: compare the two paths' means over independent seeds, within four standard errors.
      const seeds = Array.from({ length: 8 }, (_, i) => i + 1);
      const draws = (f: (seed: number) => tf.Tensor) => seeds.map((seed) => { const t = f(seed); const v = Array.from(t.dataSync()); t.dispose(); return v; });
      const graph = draws((seed) => tf.tidy(() => logMeanExp(s.session.logWeights(x, seed), 0)));
      const eager = draws((seed) => logLikelihoodBound(s.model, x, k, new Sampler(seed)));
      const stats = (runs: number[][], i: number) => {
        const v = runs.map((r) => r[i]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) };
      };
      for (let i = 0; i < 4; i++) {
        const [g, e] = [stats(graph, i), stats(eager, i)];
        const se = Math.sqrt((g.variance + e.variance) / seeds.length);
        assert.ok(se > 0 && Math.abs(g.mean - e.mean) < 4 * se, `example ${i}: eager ${e.mean}, graph ${g.mean}, standard error ${se}`);
      }
    } finally {
      x.dispose();
      s.dispose();
    }
  });
}

test('get_state after set_state returns the values bit for bit', async () => {
  const s = await sessionWithModel('graph');
  try {
    const expected = snapshot(stateVariables(s.model.params, s.adam));
    const got = s.session.getState();
    assert.deepEqual(snapshot(got), expected);
    tf.dispose([...got.values()]);
  } finally {
    s.dispose();
  }
});

// tfjs-node lends TensorFlow the typed array a tensor is made from. A variable
// that kept such a buffer would read JavaScript's memory after the call, and
// would free it on a TensorFlow thread later (a crash at random, seen in CI).
test('the session keeps its own copy of what set_state is fed: the arrays it came from may change after the call', async () => {
  const s = await sessionWithModel('graph');
  try {
    const arrays = new Map<string, Float32Array>();
    const fed = new Map([...stateVariables(s.model.params, s.adam)].map(([key, v]) => {
      const values = new Float32Array(v.size).fill(0.5);
      arrays.set(key, values);
      return [key, tf.tensor(values, v.shape)];
    }));
    s.session.setState(fed);
    tf.dispose([...fed.values()]);
    for (const values of arrays.values()) values.fill(7);
    const got = s.session.getState();
    const changed = [...got].filter(([, v]) => v.dataSync().some((x) => x !== 0.5)).map(([key]) => key);
    tf.dispose([...got.values()]);
    assert.deepEqual(changed, []);
  } finally {
    s.dispose();
  }
});

test('a new compiled session has compiled its step and starts from zeros', async () => {
  const { model, adam } = newModel(smallConfig());
  const session = await GraphSession.create({ model: smallConfig(), objective, batchSize: BATCH, binarize: false, execution: 'xla', evaluation: { batchSize: 2, k: 10 } });
  try {
    const state = session.getState();
    for (const [key, value] of state) assert.ok(value.dataSync().every((v) => v === 0), `${key} is zero`);
    tf.dispose([...state.values()]);
  } finally {
    session.dispose();
    model.dispose();
    adam.dispose();
  }
});

/** Writes the SavedModel of `spec` into a temporary folder for `check`, then removes it. */
async function withWrittenGraph(spec: GraphSpec, check: (dir: string, written: WrittenGraph) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'graph-test-'));
  try {
    await check(dir, writeTrainingGraph(dir, spec));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the compiled step is a library function marked for XLA, called through StatefulPartitionedCall, drawing with ThreeFry; the log weights stay inline', () =>
  withWrittenGraph({ model: smallConfig(), objective, batchSize: BATCH, binarize: false, execution: 'xla', evaluation: { batchSize: 2, k: 10 } }, (dir) => {
    const graph = readFileSync(join(dir, 'saved_model.pb'));
    for (const marker of ['_XlaMustCompile', 'StatefulPartitionedCall', 'train_step_fn', 'ResourceApplyAdam', 'StatelessRandomNormalV2', 'log_weights/run/']) {
      assert.ok(graph.includes(marker), marker);
    }
    assert.ok(!graph.includes('log_weights_fn'), 'no compiled function for the log weights');
  }));

test('the written SavedModel decodes with tfjs-node\'s own protos and names its signatures', () =>
  withWrittenGraph({ model: smallConfig(), objective, batchSize: BATCH, binarize: false, evaluation: { batchSize: 2, k: 10 }, execution: 'graph' }, async (dir) => {
    const metaGraphs = await tf.node.getMetaGraphsFromSavedModel(dir);
    assert.deepEqual(metaGraphs[0].tags, ['serve']);
    assert.deepEqual(Object.keys(metaGraphs[0].signatureDefs).sort(), ['get_state', 'log_weights', 'set_state', 'train_step']);
    assert.deepEqual(Object.keys(metaGraphs[0].signatureDefs.train_step.inputs).sort(), ['counters', 'learning_rate', 'x']);
    // The MLPs' products are rank 2: written as MatMul, which Grappler fuses, not as tfjs-node's BatchMatMulV2.
    const graph = readFileSync(join(dir, 'saved_model.pb'));
    assert.ok(graph.includes('MatMul') && !graph.includes('BatchMatMulV2'));
    assert.ok(!graph.includes('_XlaMustCompile'), 'kernel by kernel: no compiled function');
  }));
