// What a K, M, N and batch need, from below, and the refusal that names it,
// made before an evaluation builds its estimator (which, for a huge N, would
// record or loop for ever).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { burdaOneLayer, burdaTwoLayers, type ModelConfig } from '../../src/engine/models/config';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { Sampler } from '../../src/engine/random/sampler';
import { evaluateModel } from '../../src/engine/evaluate/evaluation';
import { assertFits, floatsPerSampleRow, formatBytes, logLikelihoodNeed, trainingNeeds } from '../../src/engine/train/memoryBudget';
import { eagerStepPath, type StepPath } from '../../src/engine/train/stepPath';
import { objectiveConfig } from '../../src/engine/objectives/objective';

const model = (layers = burdaOneLayer()): ModelConfig => ({
  inputDim: 784, layers, posterior: 'normal', prior: 'normal', priorComponents: 10, likelihood: 'bernoulli', likelihoodScale: 1,
});

test('a row of samples holds every layer\'s activations: 2018 floats for 784-200-200-50', () => {
  // p(x|z1)'s logits and per-pixel log densities (2 x 784), z1 (50), the decoder's hidden layers (400).
  assert.equal(floatsPerSampleRow(model()), 2 * 784 + 50 + 400);
  // Two layers: and z2 (50), the decoders of both layers (400 + 200), q(z2|z1)'s hidden layers (200) and parameters (100), p(z1|z2)'s (200).
  assert.equal(floatsPerSampleRow(model(burdaTwoLayers())), 2 * 784 + 100 + 400 + 50 + 200 + 200 + 100 + 200);
});

test('what a run needs is checked against the memory there is, naming the largest need that does not fit', () => {
  const config = (k: number, batchSize = 20) => ({
    model: model(), objective: objectiveConfig({ kind: 'iwae', k }),
    training: { schedule: { kind: 'fixed' as const, epochs: 1, learningRate: 1e-3 }, batchSize, seed: 0, binarize: true, progressEvery: 25, evalExamples: 500, evalK: 5000, nllEvery: 0, nllExamples: 0, checkpointSeconds: 60 },
  });
  const gib = 2 ** 30;
  assertFits(trainingNeeds(config(5000)), 8 * gib);
  const [largest] = trainingNeeds(config(50_000));
  assert.equal(largest.bytes, 50_000 * 100 * 2018 * 4);
  assert.throws(() => assertFits(trainingNeeds(config(50_000)), 8 * gib),
    /^Error: the per-epoch held-out bounds \(50000 samples for each of 100 examples\) would hold at least 37\.6 GiB at once, and this machine has 8\.0 GiB of memory/);
  assert.throws(() => assertFits(trainingNeeds(config(1e20)), 8 * gib), /1e\+20 samples for each of 100 examples\) would hold at least 8\.1e\+25 bytes/);
  assert.throws(() => assertFits([logLikelihoodNeed(Number.NaN)], 8 * gib), /would hold at least NaN bytes/, 'a need that is not a number never fits');
  assert.deepEqual([formatBytes(512), formatBytes(1536), formatBytes(3 * gib)], ['512 bytes', '1.5 KiB', '3.0 GiB']);
});

test('an evaluation with an N the machine cannot hold is refused before its estimator is built', async () => {
  const m = new LatentVariableModel({ ...model([{ hidden: [8], latent: 2 }]), inputDim: 4 }, new Sampler(0));
  const x = tf.zeros([3, 4]);
  let estimators = 0;
  const steps: StepPath = { ...eagerStepPath(), logWeightEstimator: async (...args) => (estimators++, eagerStepPath().logWeightEstimator(...args)) };
  try {
    await assert.rejects(evaluateModel(m, x, steps, { objective: objectiveConfig({ kind: 'iwae' }), batchSize: 20, binarize: false }, { k: 1e20, seed: 0 }),
      /^Error: -L_N with N = 1e\+20 \(N log weights for each of 100 examples\) would hold at least 4\.0e\+22 bytes at once/);
    assert.equal(estimators, 0);
  } finally {
    x.dispose();
    m.dispose();
  }
});
