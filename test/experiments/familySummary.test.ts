// The inspector's summary of checkpoints with the new families and networks:
// what it carries for the architecture view (test/webview/architectureRows.test.ts draws it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Dataset } from '../../src/engine/data/dataset';
import { encodeCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { exportTensors } from '../../src/engine/checkpoint/modelState';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { Sampler } from '../../src/engine/random/sampler';
import { Adam } from '../../src/engine/train/adam';
import { createRunConfig, type RunChoices } from '../../src/engine/train/newRun';
import { summarizeCheckpointFile } from '../../src/extension/inspector/checkpointSummary';
import { tempDir } from './runFolders';

/** A checkpoint of a fresh model for `choices` on 30 random 6x6 colour images. */
function checkpointOf(choices: Partial<RunChoices>): string {
  const n = 30, d = 6 * 6 * 3;
  const x = Float32Array.from({ length: n * d }, (_, i) => ((i * 7919) % 101) / 100);
  const data = (rows: number): Dataset => ({ x: x.subarray(0, rows * d), n: rows, d, kind: 'unit', source: 'colour', imageShape: [6, 6], channels: 3 });
  const config = createRunConfig({
    objective: 'iwae', schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 }, hidden: [8], latent: 3, runId: 'summary', ...choices,
  }, data(n), data(5), 'colour');
  const model = new LatentVariableModel(config.model, new Sampler(1));
  const adam = new Adam(model.params);
  const file = join(tempDir('ll-summary-'), 'checkpoint.safetensors');
  writeFileSync(file, encodeCheckpoint({
    config, history: [], params: exportTensors(model.params), adamM: exportTensors(adam.m), adamV: exportTensors(adam.v),
    state: { epoch: 0, stepInEpoch: 0, step: 0, sampler: { seed: 1, counter: 0 }, elapsedSeconds: 0, adamStep: 0, epochBoundSum: 0, epochBoundSteps: 0 },
  }));
  model.dispose();
  adam.dispose();
  return file;
}

const summaryOf = (file: string) => {
  const report = summarizeCheckpointFile(file);
  assert.ok(report.ok, JSON.stringify(report));
  return report.summary;
};

test('inspector: an IAF posterior with convolutional networks on colour images', () => {
  const summary = summaryOf(checkpointOf({ posterior: 'iaf', flowSteps: 2, flowHidden: 5, flowContext: 4, network: 'conv', convChannels: [4, 6], convKernel: 3 }));
  assert.deepEqual(summary.architecture.flow, { steps: 2, hidden: 5, context: 4 });
  assert.deepEqual(summary.architecture.network, { kind: 'conv', channels: [4, 6], kernel: 3 });
  assert.equal(summary.architecture.imageChannels, 3);
  assert.ok(summary.architecture.tensors.some((t) => t.name === 'q.0.iaf.1.gate.kernel' && t.shape.join() === '5,3'));
  assert.ok(summary.architecture.tensors.some((t) => t.name === 'p.0.deconv.0.kernel' && t.shape.join() === '3,3,3,4'));
});

test('inspector: a Student-t posterior with a VampPrior', () => {
  const summary = summaryOf(checkpointOf({ posterior: 'student-t', degreesOfFreedom: 3.5, prior: 'vamp', components: 7 }));
  assert.equal(summary.architecture.degreesOfFreedom, 3.5);
  assert.ok(summary.architecture.tensors.some((t) => t.name === 'p.prior.pseudoInputs' && t.shape.join() === '7,108'));
  assert.equal(summary.architecture.priorComponents, 7);
  assert.equal(summary.architecture.network, undefined);
});
