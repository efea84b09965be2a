// The IAF posterior knows its density only at its own draws: the bounds read
// log q from the draw (PosteriorSample.logQs), so every objective trains it with
// the standard estimator, while STL and DReG, which evaluate log q at a z with
// the inference network held fixed, are refused for every objective wherever
// they would run: a step, a new run, a checkpoint, a gradient study.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import type { ModelConfig } from '../../src/engine/models/config';
import { surrogate } from '../../src/engine/objectives/estimators';
import { objectiveConfig, type ObjectiveConfig, type ObjectiveKind } from '../../src/engine/objectives/objective';
import { ciwaeBound, iwaeBound } from '../../src/engine/objectives/bounds';
import { logProposal, logWeights } from '../../src/engine/objectives/logWeights';
import { boundAndGradients } from '../../src/engine/train/step';
import { gradientSnrStudy } from '../../src/engine/diagnostics/gradientSnr';
import { createRunConfig } from '../../src/engine/train/newRun';
import { CheckpointError, encodeCheckpoint, loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { binaryBatch, smallConfig } from '../graph/helpers';
import { smallCheckpoint, smallModel } from '../helpers/checkpoint';

const iaf = (overrides: Partial<ModelConfig> = {}) => smallConfig({ posterior: 'iaf', flow: { steps: 2, hidden: 6, context: 2 }, ...overrides });
const KINDS: ObjectiveKind[] = ['vae', 'iwae', 'miwae', 'piwae', 'ciwae'];
const objective = (kind: ObjectiveKind, estimator: ObjectiveConfig['estimator'] = 'standard') =>
  objectiveConfig({ kind, k: 3, ...(kind === 'miwae' || kind === 'piwae' ? { m: 2 } : {}), estimator });

test('with the standard estimator every objective trains the IAF posterior: a finite bound, and gradients reach every flow step', () => {
  const model = new LatentVariableModel(iaf(), new Sampler(1));
  const x = binaryBatch(4, 12);
  try {
    for (const kind of KINDS) {
      tf.tidy(() => {
        const { bound, grads } = boundAndGradients(model, objective(kind), x, new Sampler(2));
        assert.ok(Number.isFinite(bound.dataSync()[0]), `${kind}: bound ${bound.dataSync()[0]}`);
        for (const name of ['q.0.iaf.0.hidden.kernel', 'q.0.iaf.1.gate.bias', 'q.0.iaf.1.context.kernel', 'q.0.0.kernel', 'p.0.0.kernel']) {
          const g = grads[name].dataSync();
          assert.ok(g.every(Number.isFinite) && g.some((v) => v !== 0), `${kind}: gradient of ${name}`);
        }
      });
    }
  } finally {
    tf.dispose(x);
    model.dispose();
  }
});

test('PIWAE and CIWAE read the flow\'s log q at its draws: their bounds are L_MK and the CIWAE mix of that draw\'s log weights', () => {
  const model = new LatentVariableModel(iaf({ layers: [{ hidden: [8], latent: 3 }, { hidden: [5], latent: 2 }] }), new Sampler(3));
  const x = binaryBatch(4, 12);
  try {
    tf.tidy(() => {
      // surrogate's first draw is the posterior's: the same seed gives the same samples.
      const lw = logWeights(model, x, model.posterior(x, 6, new Sampler(4)));
      const piwae = surrogate(model, objectiveConfig({ kind: 'piwae', k: 3, m: 2 }), x, new Sampler(4)).bound;
      const ciwae = surrogate(model, objectiveConfig({ kind: 'ciwae', k: 6, beta: 0.3 }), x, new Sampler(4)).bound;
      const close = (a: tf.Tensor, b: tf.Tensor, what: string) =>
        assert.ok(a.sub(b).abs().max().dataSync()[0] <= 1e-4 * b.abs().max().dataSync()[0], `${what}: ${a.dataSync()} vs ${b.dataSync()}`);
      close(piwae, iwaeBound(lw), 'PIWAE reports L_MK');
      close(ciwae, ciwaeBound(lw, 0.3), 'CIWAE');
    });
  } finally {
    tf.dispose(x);
    model.dispose();
  }
});

test('for families with a density at any z, the log q a draw carries is log q at the drawn z', () => {
  const twoLayers = { layers: [{ hidden: [8], latent: 3 }, { hidden: [5], latent: 2 }] };
  for (const family of [{ posterior: 'normal' }, { posterior: 'laplace' }, { posterior: 'student-t', degreesOfFreedom: 2.5 }] as const) {
    const model = new LatentVariableModel(smallConfig({ ...twoLayers, ...family }), new Sampler(5));
    const x = binaryBatch(4, 12);
    tf.tidy(() => {
      const sample = model.posterior(x, 5, new Sampler(6));
      const carried = logProposal(sample);
      const atZ = model.logPosterior(x, sample.zs);
      const gap = carried.sub(atZ).abs().max().dataSync()[0];
      assert.ok(gap <= 1e-4 * atZ.abs().max().dataSync()[0], `${family.posterior}: differ by ${gap}`);
    });
    tf.dispose(x);
    model.dispose();
  }
});

test('STL and DReG are refused for the IAF posterior by every objective, before anything is computed', () => {
  const model = new LatentVariableModel(iaf(), new Sampler(7));
  const x = binaryBatch(4, 12);
  try {
    for (const kind of KINDS) {
      for (const estimator of ['stl', 'dreg'] as const) {
        const before = tf.memory().numTensors;
        assert.throws(() => surrogate(model, objective(kind, estimator), x, new Sampler(8)), new RegExp(`the ${estimator} estimator needs log q at any z`), `${kind} ${estimator}`);
        assert.equal(tf.memory().numTensors, before, `${kind} ${estimator}: nothing was drawn`);
      }
    }
  } finally {
    tf.dispose(x);
    model.dispose();
  }
});

test('a gradient study, a new run and a checkpoint refuse STL and DReG for the IAF posterior', async () => {
  const model = new LatentVariableModel(iaf(), new Sampler(9));
  const x = binaryBatch(4, 12);
  try {
    await assert.rejects(gradientSnrStudy(model, x, { ks: [2], estimators: ['dreg'], draws: 3, replicates: 2, seed: 1 }), /the dreg estimator needs log q at any z/);
  } finally {
    tf.dispose(x);
    model.dispose();
  }

  const images = { x: new Float32Array(40 * 12).fill(0.5), n: 40, d: 12, kind: 'unit' as const, source: 'images' };
  assert.throws(() => createRunConfig({ objective: 'piwae', m: 2, estimator: 'dreg', posterior: 'iaf', schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 } },
    images, { ...images, n: 4 }, 'images'), /the dreg estimator needs log q at any z/);

  const good = smallCheckpoint(smallModel({ posterior: 'iaf', flow: { steps: 1, hidden: 3, context: 0 } }));
  const file = join(mkdtempSync(join(tmpdir(), 'll-flow-objectives-')), 'stl.safetensors');
  writeFileSync(file, encodeCheckpoint({ ...good, config: { ...good.config, objective: { ...good.config.objective, estimator: 'stl' } } }));
  assert.throws(() => loadCheckpoint(file), (e: unknown) => e instanceof CheckpointError && e.message.startsWith(`${file}: `) && /the stl estimator needs log q at any z/.test(e.message));
});
