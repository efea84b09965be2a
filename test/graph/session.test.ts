// The SavedModel as a training session: it trains across calls, its state
// round-trips exactly, its seeded draws are reproducible, and it leaks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { objectiveConfig } from '../../src/engine/objectives/objective';
import { Sampler } from '../../src/engine/random/sampler';
import { logLikelihoodBound } from '../../src/engine/evaluate/logLikelihood';
import { logMeanExp } from '../../src/engine/math/logMeanExp';
import { GraphSession } from '../../src/engine/graph/graphSession';
import { stateVariables, writeTrainingGraph } from '../../src/engine/graph/trainingGraph';
import { binaryBatch, newModel, smallConfig, snapshot } from './helpers';

const BATCH = 8;
const objective = objectiveConfig({ kind: 'iwae', k: 5 });

async function sessionWithModel(evaluation?: { batchSize: number; k: number }, config = smallConfig()) {
  const { model, adam } = newModel(config);
  const session = await GraphSession.create({ model: config, objective, batchSize: BATCH, binarize: false, evaluation });
  session.setState(stateVariables(model.params, adam));
  return { session, model, adam, config, dispose: () => { session.dispose(); model.dispose(); adam.dispose(); } };
}

function boundOf(session: GraphSession, x: tf.Tensor, step: number, seed: number): number {
  const b = session.trainStep({ x, learningRate: 0.01, step, seed });
  const v = b.bound.dataSync()[0];
  tf.dispose(b);
  return v;
}

test('the graph trains across calls: the bound on a fixed batch improves', async () => {
  const s = await sessionWithModel();
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

test('get_state after set_state returns the values bit for bit', async () => {
  const s = await sessionWithModel();
  try {
    const expected = snapshot(stateVariables(s.model.params, s.adam));
    const got = s.session.getState();
    assert.deepEqual(snapshot(got), expected);
    tf.dispose([...got.values()]);
  } finally {
    s.dispose();
  }
});

test('a seed fixes the draws: same state and seed, same bound; another seed, another bound', async () => {
  const s = await sessionWithModel();
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

// The Student-t draws gamma variates: TensorFlow's StatelessRandomGammaV2 in the graph.
for (const family of [{ posterior: 'normal' }, { posterior: 'laplace' }, { posterior: 'student-t', degreesOfFreedom: 2.5 }] as const) {
  test(`in-graph random ops draw what the sampler would (${family.posterior} posterior): graph L_K matches the eager estimate`, async () => {
    const k = 2000;
    const s = await sessionWithModel({ batchSize: 4, k }, smallConfig(family));
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

test('the tensor count stays flat across graph steps', async () => {
  const s = await sessionWithModel();
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

test('the written SavedModel decodes with tfjs-node\'s own protos and names its signatures', async () => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'graph-test-'));
  try {
    writeTrainingGraph(dir, { model: smallConfig(), objective, batchSize: BATCH, binarize: false, evaluation: { batchSize: 2, k: 10 } });
    const metaGraphs = await tf.node.getMetaGraphsFromSavedModel(dir);
    assert.deepEqual(metaGraphs[0].tags, ['serve']);
    assert.deepEqual(Object.keys(metaGraphs[0].signatureDefs).sort(), ['get_state', 'log_weights', 'set_state', 'train_step']);
    assert.deepEqual(Object.keys(metaGraphs[0].signatureDefs.train_step.inputs).sort(), ['learning_rate', 'seed', 'step', 'x']);
    // The MLPs' products are rank 2: written as MatMul, which Grappler fuses, not as tfjs-node's BatchMatMulV2.
    const graph = readFileSync(join(dir, 'saved_model.pb'));
    assert.ok(graph.includes('MatMul') && !graph.includes('BatchMatMulV2'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
