// The VampPrior: a normalized density equal to the mean of its components'
// densities, drawn from with every component equally likely, and in a model
// a prior whose parameters (pseudo-inputs and encoder) get gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { Normal } from '../../src/engine/distributions/normal';
import { StudentT } from '../../src/engine/distributions/studentT';
import { VampPrior } from '../../src/engine/distributions/vampPrior';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { boundAndGradients } from '../../src/engine/train/step';
import { decodeMeans, traversals } from '../../src/engine/evaluate/images';
import { objectiveConfig } from '../../src/engine/objectives/objective';
import { integrate } from '../helpers/monteCarlo';
import { meanWithStandardError } from '../../src/engine/math/statistics';
import { binaryBatch, smallConfig } from '../graph/helpers';

const LOCS = [[-2, 0.5], [1, 1], [0.5, -1.5]];
const LOG_SCALES = [[0, -0.5], [-1, 0.3], [0.2, 0.2]];

function prior(family: 'normal' | 'student-t' = 'normal'): VampPrior {
  const [loc, logScale] = [tf.tensor2d(LOCS), tf.tensor2d(LOG_SCALES)];
  return new VampPrior(family === 'normal' ? new Normal(loc, logScale) : new StudentT(loc, logScale, 3), LOCS.length);
}

for (const family of ['normal', 'student-t'] as const) {
  test(`VampPrior of ${family} components integrates to 1 over R^2`, () => {
    const p = prior(family);
    const { mean, standardError: se } = integrate((z) => p.logProb(z), 2, 200_000, 3, 21);
    assert.ok(Math.abs(mean - 1) < 4 * se && se < 0.02, `integral ${mean} ± ${se}`);
  });
}

test('VampPrior logProb of its own draws = log of the mean of the component densities (float64)', () => {
  const p = prior();
  const draws = p.sample(new Sampler(3), 500);
  const logProb = p.logProb(draws).dataSync();
  (draws.arraySync() as number[][]).forEach((z, i) => {
    const density = LOCS.reduce((s, loc, c) => s + z.reduce((prod, v, d) => {
      const sd = Math.exp(LOG_SCALES[c][d]);
      return prod * Math.exp(-0.5 * ((v - loc[d]) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    }, 1), 0) / LOCS.length;
    assert.ok(Math.abs(logProb[i] - Math.log(density)) < 1e-4 * Math.max(1, Math.abs(Math.log(density))), `draw ${i}: ${logProb[i]} vs ${Math.log(density)}`);
  });
  draws.dispose();
});

test('VampPrior draws pick every component equally often: their mean is the mean of the component means', () => {
  const p = prior();
  const draws = p.sample(new Sampler(4), 40_000).arraySync() as number[][];
  const expected = p.mean().dataSync();
  for (let d = 0; d < 2; d++) {
    const { mean, standardError: se } = meanWithStandardError(draws.map((z) => z[d]));
    assert.ok(Math.abs(mean - expected[d]) < 4 * se, `dimension ${d}: ${mean} ± ${se}, expected ${expected[d]}`);
  }
});

for (const layers of [[{ hidden: [6], latent: 3 }], [{ hidden: [6], latent: 4 }, { hidden: [5], latent: 2 }]]) {
  test(`a VampPrior model (${layers.length} stochastic layer${layers.length > 1 ? 's' : ''}): the pseudo-inputs and the encoders they pass through get gradients`, () => {
    const model = new LatentVariableModel(smallConfig({ layers, prior: 'vamp', priorComponents: 4 }), new Sampler(1));
    assert.deepEqual(model.params.get('p.prior.pseudoInputs')?.shape, [4, 12]);
    const x = binaryBatch(5, 12);
    const { bound, grads } = boundAndGradients(model, objectiveConfig({ kind: 'iwae', k: 3 }), x, new Sampler(2));
    const norm = (name: string) => tf.tidy(() => grads[name].abs().sum().dataSync()[0]);
    assert.ok(norm('p.prior.pseudoInputs') > 0);
    assert.ok(norm(`q.${layers.length - 1}.0.kernel`) > 0);
    assert.ok(Number.isFinite(bound.dataSync()[0]));
    tf.dispose([bound, x, ...Object.values(grads)]);
    model.dispose();
  });
}

test('traversals sweep around the prior\'s mean: a VampPrior is not centred at 0', () => {
  const model = new LatentVariableModel(smallConfig({ prior: 'vamp', priorComponents: 3 }), new Sampler(5));
  tf.tidy(() => {
    const centre = model.prior().mean();
    assert.ok(centre.abs().max().dataSync()[0] > 1e-3, 'the test needs a prior mean away from 0');
    // 5 steps over [-2, 2]: the middle one is the centre itself, for every swept unit.
    const rows = traversals(model, [0, 2], 5, 2);
    const atCentre = decodeMeans(model, centre.expandDims(0));
    for (const row of [2, 7]) assert.ok(rows.slice([row, 0], [1, -1]).sub(atCentre).abs().max().dataSync()[0] < 1e-6, `row ${row}`);
  });
  model.dispose();
});
