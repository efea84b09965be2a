// The test NLL through the evaluation graph estimates what the eager path
// estimates: per example, the two L_K differ only by Monte Carlo noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { eagerBoundEstimator, estimateLogLikelihood } from '../../src/engine/evaluate/logLikelihood';
import { estimateLogLikelihoodFast } from '../../src/engine/graph/graphLikelihood';
import { binaryBatch, newModel, smallConfig } from './helpers';

test('graph L_K per example agrees with the eager L_K within Monte Carlo error, and leaks nothing', async () => {
  const { model, adam } = newModel(smallConfig());
  const x = binaryBatch(60, 12);
  const before = tf.memory().numTensors;
  const graph = (await estimateLogLikelihoodFast(model, x, 200, new Sampler(4)))!;
  assert.equal(tf.memory().numTensors, before, 'the evaluation session and its inputs are disposed');
  const eager = (await estimateLogLikelihood(eagerBoundEstimator(model, 200, new Sampler(5)), x))!;
  const d = graph.perExample.map((g, i) => g - eager.perExample[i]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
  assert.ok(sd > 0, 'the two paths draw different noise');
  assert.ok(Math.abs(mean) < 4 * sd / Math.sqrt(d.length), `mean paired difference ${mean}, standard error ${sd / Math.sqrt(d.length)}`);
  // Reproducible from the sampler's seed.
  const again = (await estimateLogLikelihoodFast(model, x, 200, new Sampler(4)))!;
  assert.deepEqual(Array.from(again.perExample), Array.from(graph.perExample));
  x.dispose();
  model.dispose();
  adam.dispose();
});
