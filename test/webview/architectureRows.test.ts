// The inspector's architecture table for the new families and networks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckpointSummary } from '../../src/shared/inspectorProtocol';
import { architectureRows } from '../../src/webview/inspector/tables';

function summary(architecture: Partial<CheckpointSummary['architecture']>): CheckpointSummary {
  return {
    file: 'checkpoint.safetensors', runId: 'r',
    architecture: {
      inputDim: 108, layers: [{ hidden: [8], latent: 3 }], posterior: 'normal', prior: 'normal', likelihood: 'bernoulli', parameterCount: 1, tensors: [],
      ...architecture,
    },
    objective: { kind: 'iwae', k: 5, m: 1, estimator: 'standard', analyticKl: false }, training: {},
    data: { path: 'd', fingerprint: 'f', trainSize: 1, testSize: 1, dim: 108, kind: 'unit' },
    state: { epoch: 0, step: 0, elapsedSeconds: 0 }, history: [],
  };
}

const rows = (a: Partial<CheckpointSummary['architecture']>) => new Map(architectureRows(summary(a)).map(([k, v]) => [k, v]));

test('an IAF posterior on convolutional networks over colour images', () => {
  const r = rows({
    imageShape: [6, 6], imageChannels: 3, network: { kind: 'conv', channels: [4, 6], kernel: 3 },
    posterior: 'iaf', flow: { steps: 2, hidden: 5, context: 4 },
  });
  assert.equal(r.get('Encoder'), '6×6×3 → conv 4 → conv 6 → 8 → [3]');
  assert.equal(r.get('Networks'), 'convolutional next to the data (3×3 kernels, stride 2), MLPs between latent layers');
  assert.equal(r.get('Posterior'), 'iaf (2 flow steps, MADE of 5 hidden units, context 4)');
  assert.equal(r.get('Input'), '108 values (6×6×3 images)');
});

test('a Student-t posterior with a VampPrior on MLPs; the mixture keeps its components', () => {
  const r = rows({ posterior: 'student-t', degreesOfFreedom: 3.5, prior: 'vamp', priorComponents: 7 });
  assert.equal(r.get('Posterior'), 'student-t (ν = 3.5)');
  assert.equal(r.get('Prior'), 'vamp (7 pseudo-inputs)');
  assert.equal(r.get('Networks'), 'MLPs');
  assert.equal(r.get('Encoder'), '108 → 8 → [3]');
  assert.equal(rows({ prior: 'mixture', priorComponents: 10 }).get('Prior'), 'mixture (10 components)');
});
