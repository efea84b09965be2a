// Model configs are checked before anything is built: every new option is
// validated, and families that cannot work together are refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateModelConfig, type ConvNetworkConfig, type ModelConfig } from '../../src/engine/models/config';
import { objectiveConfig, validateObjectiveForModel } from '../../src/engine/objectives/objective';
import { smallConfig } from '../graph/helpers';

const rejects = (overrides: Partial<ModelConfig>, message: RegExp) =>
  assert.throws(() => validateModelConfig(smallConfig(overrides)), message);

test('valid configs of every new family and network pass', () => {
  for (const overrides of [
    { posterior: 'student-t', degreesOfFreedom: 0.5 },
    { posterior: 'iaf', flow: { steps: 1, hidden: 1, context: 0 } },
    { prior: 'vamp', priorComponents: 1 },
    { inputDim: 12, imageShape: [2, 2], imageChannels: 3, network: { kind: 'conv', channels: [2], kernel: 1 } },
  ] as Partial<ModelConfig>[]) validateModelConfig(smallConfig(overrides));
});

test('the Student-t posterior needs positive degrees of freedom, and only it takes them', () => {
  rejects({ posterior: 'student-t' }, /degreesOfFreedom is given with, and only with, the student-t posterior/);
  rejects({ posterior: 'normal', degreesOfFreedom: 3 }, /only with, the student-t/);
  for (const nu of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) rejects({ posterior: 'student-t', degreesOfFreedom: nu }, /degreesOfFreedom .* \(a positive number\)/);
});

test('the IAF posterior needs a flow of whole positive sizes, and only it takes one', () => {
  rejects({ posterior: 'iaf' }, /flow is given with, and only with, the iaf posterior/);
  rejects({ flow: { steps: 1, hidden: 4, context: 0 } }, /only with, the iaf/);
  rejects({ posterior: 'iaf', flow: { steps: 0, hidden: 4, context: 0 } }, /flow steps 0/);
  rejects({ posterior: 'iaf', flow: { steps: 2, hidden: 2.5, context: 0 } }, /flow hidden width 2.5/);
  rejects({ posterior: 'iaf', flow: { steps: 2, hidden: 4, context: -1 } }, /flow context size -1/);
});

test('the VampPrior needs a pseudo-input and a posterior whose density is known at any z', () => {
  rejects({ prior: 'vamp', priorComponents: 0 }, /at least 1 pseudo-input/);
  rejects({ prior: 'vamp', priorComponents: 3, posterior: 'iaf', flow: { steps: 1, hidden: 4, context: 0 } }, /VampPrior needs q\(z\|u\) at any z/);
});

test('convolutional networks need images whose shape and channels hold the input', () => {
  const conv: ConvNetworkConfig = { kind: 'conv', channels: [4], kernel: 3 };
  rejects({ network: conv }, /a convolutional network needs image examples/);
  rejects({ imageShape: [3, 4], imageChannels: 3, network: conv }, /imageShape 3,4 with 3 channel\(s\) does not hold 12 values/);
  rejects({ imageShape: [3, 4], imageChannels: 0 }, /imageChannels 0/);
  rejects({ imageShape: [3, 4], network: { ...conv, channels: [] } }, /convolution channels/);
  rejects({ imageShape: [3, 4], network: { ...conv, kernel: 0 } }, /convolution kernel 0/);
  rejects({ imageShape: [3, 4], network: { kind: 'transformer' } as unknown as ModelConfig['network'] }, /network transformer \(mlp or conv\)/);
});

test('STL and DReG are refused for the IAF posterior, whose density is known only at its draws', () => {
  const iaf = { posterior: 'iaf' as const };
  for (const estimator of ['stl', 'dreg'] as const) {
    assert.throws(() => validateObjectiveForModel(objectiveConfig({ kind: 'iwae', k: 5, estimator }), iaf), new RegExp(`the ${estimator} estimator needs log q at any z`));
  }
  validateObjectiveForModel(objectiveConfig({ kind: 'iwae', k: 5 }), iaf);
  validateObjectiveForModel(objectiveConfig({ kind: 'iwae', k: 5, estimator: 'dreg' }), { posterior: 'student-t' });
});
