// The kernel-by-kernel graph's normals, made from Philox uniforms by the
// Box-Muller transform in tensor ops: standard normal in distribution, of the
// shape asked for (odd sizes too), bounded as TensorFlow's own transform
// bounds them, and reproducible from the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf';
import { GraphBuilder } from '../../src/engine/graph/graphBuilder';
import { GraphDraws } from '../../src/engine/graph/graphDraws';
import { OpRecorder } from '../../src/engine/graph/opRecorder';
import { DataType } from '../../src/engine/graph/protos';
import { writeSavedModel } from '../../src/engine/graph/savedModel';
import { Sampler } from '../../src/engine/random/sampler';

/** A session whose signature `draw` returns the recorded graph's normals of `shape` for a seed input. */
async function normalGraph(shape: number[]) {
  const graph = new GraphBuilder();
  const seed = graph.placeholder('seed', DataType.INT32, []);
  const recorder = new OpRecorder(graph, 'draw');
  const draws = new GraphDraws(graph, recorder, { kind: 'random', seed, generator: 'philox' }, 'draw');
  const z = recorder.record(() => new Sampler(0, 0, draws).normal(shape));
  const out = recorder.graphTensor(z);
  z.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'latent-lab-draws-'));
  try {
    writeSavedModel(dir, graph, graph.noOp('init', []), { draw: { inputs: { seed }, outputs: { z: graph.identity('z', out) } } });
    const model = await tf.node.loadSavedModel(dir, ['serve'], 'draw');
    const draw = (s: number) => {
      const input = tf.scalar(s, 'int32');
      const t = model.predict({ seed: input }) as Record<string, tf.Tensor>;
      const result = { shape: t.z.shape, values: Float64Array.from(t.z.dataSync()) };
      tf.dispose([input, t.z]);
      return result;
    };
    return { draw, dispose: () => model.dispose() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The standard normal CDF, by the Abramowitz-Stegun erf (error below 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x / 2);
  return 0.5 * (1 + Math.sign(x) * erf);
}

test('the graph draws standard normals: moments within four standard errors, Kolmogorov-Smirnov below its 1% critical value', async () => {
  const shape = [7, 28571]; // 199,997 draws: an odd count, so the last pair is cut
  const g = await normalGraph(shape);
  try {
    const { shape: got, values } = g.draw(11);
    assert.deepEqual(got, shape);
    const n = values.length;
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const moment = (p: number) => values.reduce((a, b) => a + (b - mean) ** p, 0) / n;
    const [variance, skew, kurtosis] = [moment(2), moment(3) / moment(2) ** 1.5, moment(4) / moment(2) ** 2];
    // Standard errors of the sample mean, variance, skewness and kurtosis of n standard normals.
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
    assert.ok(Math.abs(skew) < 4 * Math.sqrt(6 / n), `skewness ${skew}`);
    assert.ok(Math.abs(kurtosis - 3) < 4 * Math.sqrt(24 / n), `kurtosis ${kurtosis}`);
    const sorted = Float64Array.from(values).sort();
    let ks = 0;
    sorted.forEach((v, i) => { const c = normalCdf(v); ks = Math.max(ks, Math.abs(c - i / n), Math.abs((i + 1) / n - c)); });
    assert.ok(ks < 1.63 / Math.sqrt(n), `Kolmogorov-Smirnov statistic ${ks}`);
    // TensorFlow's transform floors the radius' uniform at 1e-7: no draw beyond sqrt(-2 ln 1e-7).
    const bound = Math.sqrt(-2 * Math.log(1e-7));
    assert.ok(values.every((v) => Math.abs(v) <= bound + 1e-5), 'a draw beyond the transform\'s bound');
  } finally {
    g.dispose();
  }
});

test('the graph\'s normals are reproducible from the seed and differ between seeds; the two halves of a call are independent', async () => {
  const g = await normalGraph([2, 50000]);
  try {
    const [a, b, c] = [g.draw(5).values, g.draw(5).values, g.draw(6).values];
    assert.deepEqual(a, b);
    const correlation = (p: Float64Array, q: Float64Array) => p.reduce((s, v, i) => s + v * q[i], 0) / p.length;
    // Draws from one seed and from another, and the sine half against the cosine half of one call:
    // uncorrelated, within four standard errors (1 / sqrt(n)) of zero.
    const n = a.length / 2;
    assert.ok(Math.abs(correlation(a, c)) < 4 / Math.sqrt(a.length), 'seeds 5 and 6 draw correlated numbers');
    assert.ok(Math.abs(correlation(a.subarray(0, n), a.subarray(n))) < 4 / Math.sqrt(n), 'the sine and cosine halves are correlated');
  } finally {
    g.dispose();
  }
});
