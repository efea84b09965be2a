// One epoch with each new family and network, on the graph path: on the
// bundled digits, and for the convolutional networks also on a small folder of
// 32x32 colour PNGs. Each run finishes, reports finite bounds, active units and
// images, leaks no tensor, and leaves a checkpoint that restores the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf';
import type { Dataset } from '../../src/engine/data/dataset';
import type { RunEvent } from '../../src/shared/events';
import { loadSplit } from '../../src/engine/data/load';
import { runTraining } from '../../src/engine/train/trainer';
import { GraphStepPath } from '../../src/engine/graph/graphStepPath';
import { createRunConfig, type RunChoices } from '../../src/engine/train/newRun';
import { runPaths } from '../../src/engine/train/runDir';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { restoreModel } from '../../src/engine/checkpoint/modelState';
import { openSummaryWriter } from '../../src/engine/train/tensorboard';
import { mnistSubset } from '../helpers/mnist';
import { SIDE, writeColourFolder } from '../helpers/colourImages';

const tmp = () => mkdtempSync(join(tmpdir(), 'll-families-'));
const conv: Partial<RunChoices> = { network: 'conv', convChannels: [8, 16], convKernel: 4 };

async function oneEpoch(data: { train: Dataset; test: Dataset }, extra: Partial<RunChoices>, expectParam: string) {
  const dir = tmp();
  openSummaryWriter(dir);
  const config = createRunConfig({
    objective: 'iwae', k: 3, schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 }, seed: 2, hidden: [40], latent: 6,
    evalK: 20, nllExamples: 10, evalExamples: 20, runId: 'families', ...extra,
  }, data.train, data.test, 'test data');
  const events: RunEvent[] = [];
  const steps = new GraphStepPath();
  const before = tf.memory().numTensors;
  try {
    const result = await runTraining({ runDir: dir, config, ...data, steps }, { onEvent: (e) => events.push(e) });
    assert.equal(result.status, 'finished', result.message);
    assert.deepEqual(result.stepPath, { path: 'graph' }, result.stepPath?.fallbackReason);
    assert.equal(tf.memory().numTensors, before, 'every tensor of the run is disposed');
    assert.ok(result.final && Number.isFinite(result.final.testNll));
  } finally {
    steps.dispose();
  }
  const epoch = events.find((e) => e.type === 'epoch');
  assert.ok(epoch && Number.isFinite(epoch.testIwae) && epoch.testIwae >= epoch.testElbo, 'a finite held-out L_K above the ELBO');
  const units = events.find((e) => e.type === 'activeUnits');
  assert.ok(units && units.variances.every((v, l) => v.length === config.model.layers[l].latent && v.every(Number.isFinite)));
  const images = events.find((e) => e.type === 'images');
  assert.ok(images && images.reconstructions.pixels.length === 2 * images.reconstructions.cols * config.model.inputDim);
  const checkpoint = loadCheckpoint(runPaths(dir).checkpoint);
  assert.ok(checkpoint.params.has(expectParam), `the checkpoint holds ${expectParam}`);
  restoreModel(checkpoint, runPaths(dir).checkpoint).dispose();
  return { images, checkpoint };
}

const runs: [string, Partial<RunChoices>, string][] = [
  ['Student-t posterior', { posterior: 'student-t', degreesOfFreedom: 4 }, 'q.0.0.kernel'],
  ['IAF posterior', { posterior: 'iaf', flowSteps: 2, flowHidden: 20, flowContext: 4 }, 'q.0.iaf.1.gate.kernel'],
  ['VampPrior', { prior: 'vamp', components: 5 }, 'p.prior.pseudoInputs'],
  ['VampPrior, two stochastic layers', { prior: 'vamp', components: 5, hidden: undefined, latent: undefined, layers: 2 }, 'p.prior.pseudoInputs'],
  ['convolutional networks', conv, 'q.0.conv.1.kernel'],
  ['convolutional networks, two stochastic layers', { ...conv, hidden: undefined, latent: undefined, layers: 2 }, 'p.0.deconv.0.kernel'],
];

for (const [name, extra, param] of runs) {
  test(`one epoch on the digits on the graph path: ${name}`, async () => {
    await oneEpoch(await mnistSubset(200, 20), extra, param);
  });
}

test('the IAF\'s kernels are stored masked: what MADE masks out is exactly 0 after training', async () => {
  const { checkpoint } = await oneEpoch(await mnistSubset(200, 20), { posterior: 'iaf', flowSteps: 2, flowHidden: 9, flowContext: 0 }, 'q.0.iaf.1.hidden.kernel');
  const z = 6;
  for (const t of [0, 1]) {
    const degree = (i: number) => (t === 1 ? z - i : i + 1);
    const hidden = checkpoint.params.get(`q.0.iaf.${t}.hidden.kernel`)!; // [Z, H]
    const gate = checkpoint.params.get(`q.0.iaf.${t}.gate.kernel`)!; // [H, Z]
    let kept = 0;
    for (let i = 0; i < z; i++) {
      for (let k = 0; k < 9; k++) {
        const [into, out] = [hidden.data[i * 9 + k], gate.data[k * z + i]];
        if (degree(i) > k % z) assert.ok(into === 0, `step ${t}: input ${i} -> hidden ${k} is ${into}`);
        else kept += into !== 0 ? 1 : 0;
        if (k % z >= degree(i)) assert.ok(out === 0, `step ${t}: hidden ${k} -> output ${i} is ${out}`);
      }
    }
    assert.ok(kept > 0, 'the unmasked weights are not all zero');
  }
});

test('one epoch of the convolutional networks on 32x32 colour PNGs, with colour pictures', async () => {
  const data = await loadSplit(writeColourFolder(join(tmp(), 'colour'), 110), { colour: true });
  const { images } = await oneEpoch(data, { ...conv, likelihood: 'gaussian-learned' }, 'p.0.deconv.0.kernel');
  assert.equal(images.samples.channels, 3);
  assert.equal(images.samples.pixels.length, images.samples.cols * SIDE * SIDE * 3);
});
