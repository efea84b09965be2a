// The graph path computes what the eager path computes: same weights, same
// batch and the very same noise (fed to the graph as inputs) give the same
// bound, the same ESS / n of the step's log weights and the same Adam update,
// for every objective and estimator, whether the graph runs kernel by kernel
// or as one XLA-compiled function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/models/config';
import { objectiveConfig, type ObjectiveConfig } from '../../src/engine/objectives/objective';
import { Sampler } from '../../src/engine/random/sampler';
import { binarize, trainStep } from '../../src/engine/train/step';
import { BURDA_ADAM } from '../../src/engine/train/adam';
import { chunkedLogWeights } from '../../src/engine/evaluate/logLikelihood';
import { GraphSession } from '../../src/engine/graph/graphSession';
import { stateVariables, type Execution } from '../../src/engine/graph/trainingGraph';
import { binaryBatch, difference, NoiseCapture, newModel, smallConfig, snapshot, worstRelativeError } from './helpers';

const LR = 0.01;
const BATCH = 6;
// The graph updates with TensorFlow's fused Adam kernel, which takes beta2 as a
// float32: its 1 - beta2 is off by float32's rounding of 0.999, and v with it.
const BETA2_ROUNDING = Math.abs((1 - Math.fround(BURDA_ADAM.beta2)) / (1 - BURDA_ADAM.beta2) - 1);
const STATE_TOLERANCE = 1e-5 + BETA2_ROUNDING;

async function compareOneStep(execution: Execution, config: ModelConfig, objective: ObjectiveConfig, binarizeBatch = false): Promise<void> {
  const { model, adam } = newModel(config);
  const x = binarizeBatch ? tf.fill([BATCH, config.inputDim], 0.4) : binaryBatch(BATCH, config.inputDim);
  // One eager step first, so the moments are not zero and the step number is 2.
  tf.dispose(trainStep(model, adam, objective, x, new Sampler(1), LR));
  const state = stateVariables(model.params, adam);
  const before = snapshot(state);
  const capture = new NoiseCapture();
  const sampler = new Sampler(2, 0, capture);
  const eagerStep = tf.tidy(() => trainStep(model, adam, objective, binarizeBatch ? binarize(x, sampler) : x, sampler, LR));
  const eagerAfter = snapshot(state);

  const session = await GraphSession.create({ model: config, objective, batchSize: BATCH, binarize: binarizeBatch, noiseAsInputs: true, execution });
  try {
    const initial = new Map([...before].map(([k, v]) => [k, tf.tensor(v, state.get(k)?.shape)]));
    session.setState(initial);
    const graphStep = session.trainStep({ x, learningRate: LR, step: adam.step, noise: capture.noise });
    const graphState = session.getState();
    const graphAfter = snapshot(graphState);

    const [e, g] = [eagerStep.bound.dataSync()[0], graphStep.bound.dataSync()[0]];
    assert.ok(Math.abs(e - g) <= 1e-5 * Math.abs(e), `bound: eager ${e}, graph ${g}`);
    const [eEss, gEss] = [eagerStep.essFraction.dataSync()[0], graphStep.essFraction.dataSync()[0]];
    const n = objective.k * objective.m;
    assert.ok(eEss >= 1 / n - 1e-6 && eEss <= 1 + 1e-6, `ESS / n = ${eEss} lies in [1/n, 1]`);
    assert.ok(Math.abs(eEss - gEss) <= 1e-5, `ESS / n: eager ${eEss}, graph ${gEss}`);
    const update = worstRelativeError(difference(graphAfter, before), difference(eagerAfter, before));
    assert.ok(update.error < 1e-3, `update of ${update.key} differs by ${update.error} of its size`);
    const values = worstRelativeError(graphAfter, eagerAfter);
    assert.ok(values.error < STATE_TOLERANCE, `${values.key} differs by ${values.error}`);
    tf.dispose([...initial.values(), ...graphState.values(), graphStep]);
  } finally {
    session.dispose();
    tf.dispose([eagerStep, x, ...capture.noise]);
    model.dispose();
    adam.dispose();
  }
}

const cases: [string, ObjectiveConfig][] = [
  ['VAE', objectiveConfig({ kind: 'vae', k: 3 })],
  ['VAE analytic KL', objectiveConfig({ kind: 'vae', k: 2, analyticKl: true })],
  ['IWAE', objectiveConfig({ kind: 'iwae', k: 5 })],
  ['IWAE STL', objectiveConfig({ kind: 'iwae', k: 5, estimator: 'stl' })],
  ['IWAE DReG', objectiveConfig({ kind: 'iwae', k: 5, estimator: 'dreg' })],
  ['MIWAE', objectiveConfig({ kind: 'miwae', k: 3, m: 2 })],
  ['MIWAE STL', objectiveConfig({ kind: 'miwae', k: 3, m: 2, estimator: 'stl' })],
  ['MIWAE DReG', objectiveConfig({ kind: 'miwae', k: 3, m: 2, estimator: 'dreg' })],
  ['PIWAE', objectiveConfig({ kind: 'piwae', k: 3, m: 2 })],
  ['PIWAE DReG', objectiveConfig({ kind: 'piwae', k: 3, m: 2, estimator: 'dreg' })],
  ['CIWAE', objectiveConfig({ kind: 'ciwae', k: 5, beta: 0.3 })],
  ['CIWAE STL', objectiveConfig({ kind: 'ciwae', k: 5, beta: 0.3, estimator: 'stl' })],
  ['CIWAE DReG', objectiveConfig({ kind: 'ciwae', k: 5, beta: 0.3, estimator: 'dreg' })],
];

for (const execution of ['graph', 'xla'] as const) {
  for (const [name, objective] of cases) {
    test(`one step, ${execution} = eager: ${name}`, () => compareOneStep(execution, smallConfig(), objective));
  }

  test(`one step, ${execution} = eager: two stochastic layers, Laplace posterior, mixture prior, learned Gaussian likelihood`, () =>
    compareOneStep(execution, smallConfig({
      layers: [{ hidden: [10], latent: 4 }, { hidden: [6], latent: 2 }], posterior: 'laplace', prior: 'mixture', priorComponents: 3,
      likelihood: 'gaussian-learned', likelihoodScale: 0.5,
    }), objectiveConfig({ kind: 'iwae', k: 4, estimator: 'dreg' })));

  test(`one step, ${execution} = eager: dynamic binarization inside the step`, () =>
    compareOneStep(execution, smallConfig(), objectiveConfig({ kind: 'iwae', k: 5 }), true));
}

test('the log weights of the evaluation, graph = eager on the same noise', () => compareLogWeights());

async function compareLogWeights(): Promise<void> {
  const config = smallConfig();
  const { model, adam } = newModel(config);
  const x = binaryBatch(4, config.inputDim);
  const capture = new NoiseCapture();
  const eager = chunkedLogWeights(model, x, 50, new Sampler(3, 0, capture));
  const session = await GraphSession.create({
    model: config, objective: objectiveConfig({ kind: 'iwae', k: 5 }), batchSize: BATCH, binarize: false, noiseAsInputs: true,
    evaluation: { batchSize: 4, k: 50 }, execution: 'graph',
  });
  try {
    const state = stateVariables(model.params, adam);
    session.setState(state);
    const graph = session.logWeights(x, undefined, capture.noise);
    assert.deepEqual(graph.shape, [50, 4]);
    const [e, g] = [eager.dataSync(), graph.dataSync()];
    e.forEach((v, i) => assert.ok(Math.abs(v - g[i]) <= 1e-5 * Math.abs(v), `log weight ${i}: eager ${v}, graph ${g[i]}`));
    graph.dispose();
  } finally {
    session.dispose();
    tf.dispose([eager, x, ...capture.noise]);
    model.dispose();
    adam.dispose();
  }
}

const conv = (channels: number[]) => ({ network: { kind: 'conv' as const, channels, kernel: 3 } });
const familyCases: [string, Partial<ModelConfig>, ObjectiveConfig][] = [
  ['Student-t posterior', { posterior: 'student-t', degreesOfFreedom: 3 }, objectiveConfig({ kind: 'iwae', k: 4, estimator: 'dreg' })],
  ['IAF posterior with context', { posterior: 'iaf', flow: { steps: 3, hidden: 7, context: 2 } }, objectiveConfig({ kind: 'iwae', k: 4 })],
  ['IAF posterior, two stochastic layers, no context', {
    layers: [{ hidden: [8], latent: 4 }, { hidden: [6], latent: 2 }], posterior: 'iaf', flow: { steps: 2, hidden: 5, context: 0 },
  }, objectiveConfig({ kind: 'miwae', k: 2, m: 2 })],
  ['IAF posterior, PIWAE', { posterior: 'iaf', flow: { steps: 2, hidden: 5, context: 2 } }, objectiveConfig({ kind: 'piwae', k: 2, m: 2 })],
  ['IAF posterior, CIWAE', { posterior: 'iaf', flow: { steps: 2, hidden: 5, context: 2 } }, objectiveConfig({ kind: 'ciwae', k: 4, beta: 0.3 })],
  ['VampPrior', { prior: 'vamp', priorComponents: 3 }, objectiveConfig({ kind: 'iwae', k: 4, estimator: 'stl' })],
  ['VampPrior, Student-t posterior, PIWAE DReG', {
    prior: 'vamp', priorComponents: 3, posterior: 'student-t', degreesOfFreedom: 4,
  }, objectiveConfig({ kind: 'piwae', k: 2, m: 2, estimator: 'dreg' })],
  ['VampPrior, two stochastic layers, Student-t posterior', {
    layers: [{ hidden: [8], latent: 4 }, { hidden: [6], latent: 2 }], prior: 'vamp', priorComponents: 2, posterior: 'student-t', degreesOfFreedom: 5,
  }, objectiveConfig({ kind: 'iwae', k: 3 })],
  ['convolutional networks on 7x5 grey images', { inputDim: 35, imageShape: [7, 5], ...conv([4, 3]) }, objectiveConfig({ kind: 'iwae', k: 3 })],
  ['convolutional networks, two stochastic layers, 6x6 colour images, VampPrior, learned Gaussian likelihood', {
    inputDim: 108, imageShape: [6, 6], imageChannels: 3, ...conv([5]), layers: [{ hidden: [], latent: 4 }, { hidden: [6], latent: 2 }],
    prior: 'vamp', priorComponents: 2, likelihood: 'gaussian-learned', likelihoodScale: 0.5,
  }, objectiveConfig({ kind: 'iwae', k: 3, estimator: 'dreg' })],
];

for (const [name, overrides, objective] of familyCases) {
  for (const execution of ['graph', 'xla'] as const) {
    test(`one step, ${execution} = eager: ${name}`, () => compareOneStep(execution, smallConfig(overrides), objective));
  }
}
