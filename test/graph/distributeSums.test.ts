// Sums of sums and differences of equal-shaped terms become sums and
// differences of sums, in kernel-by-kernel graphs: the same values, one
// elementwise pass fewer per distributed op, and nothing rewritten where the
// rewrite would be wrong (a broadcast operand) or would cost (a term read twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, type Tensor } from '../../src/engine/tf';
import { distributeSums } from '../../src/engine/graph/distributeSums';
import { GraphBuilder } from '../../src/engine/graph/graphBuilder';
import { OpRecorder } from '../../src/engine/graph/opRecorder';
import { DataType } from '../../src/engine/graph/protos';
import { writeSavedModel } from '../../src/engine/graph/savedModel';
import { softplus } from '../../src/engine/math/softplus';

const [K, D] = [6, 10];

/** Records `fn` of x [K, D] and y [1, D] into a graph, distributes its sums, and returns the graph's value for the inputs and its ops. */
async function recorded(fn: (x: Tensor, y: Tensor) => Tensor, x: Tensor, y: Tensor) {
  const graph = new GraphBuilder();
  const recorder = new OpRecorder(graph, 'f');
  const inputs = { x: graph.placeholder('x', DataType.FLOAT, x.shape), y: graph.placeholder('y', DataType.FLOAT, y.shape) };
  recorder.bind(x, inputs.x);
  recorder.bind(y, inputs.y);
  const result = recorder.record(() => fn(x, y));
  const out = recorder.graphTensor(result);
  result.dispose();
  distributeSums(graph, [out.ref]);
  const ops = graph.nodes.map((n) => n.op);
  const sumInputs = graph.nodes.filter((n) => n.op === 'Sum').map((n) => graph.nodes.find((m) => m.name === n.input[0])?.op);
  const dir = mkdtempSync(join(tmpdir(), 'latent-lab-sums-'));
  try {
    writeSavedModel(dir, graph, graph.noOp('init', []), { f: { inputs, outputs: { out: graph.identity('out', out) } } });
    const model = await tf.node.loadSavedModel(dir, ['serve'], 'f');
    const t = model.predict({ x, y }) as Record<string, Tensor>;
    const value = Array.from(t.out.dataSync());
    t.out.dispose();
    model.dispose();
    return { value, ops, sumInputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function close(got: number[], want: number[]): void {
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * Math.max(1, Math.abs(want[i])), `entry ${i}: ${v}, eager ${want[i]}`));
}

test('the Bernoulli log-likelihood\'s sum becomes three sums: x*l, relu(l) and log(sigmoid(|l|)) reduced apart, the same values', async () => {
  const l = tf.randomNormal([K, D], 0, 4, 'float32', 1);
  const xs = tf.randomUniform([1, D], 0, 1, 'float32', 2).less(0.5).toFloat();
  const likelihood = (logits: Tensor, x: Tensor) => x.mul(logits).sub(softplus(logits)).sum(-1);
  const eager = likelihood(l, xs);
  const g = await recorded(likelihood, l, xs);
  close(g.value, Array.from(eager.dataSync()));
  assert.equal(g.ops.filter((op) => op === 'Sum').length, 3, g.ops.join(' '));
  assert.ok(g.sumInputs.every((op) => !['Add', 'AddV2', 'Sub'].includes(op as string)), `a sum still reads ${g.sumInputs.join(', ')}`);
  tf.dispose([l, xs, eager]);
});

test('a broadcast operand keeps its sum whole: Sum(l - y) for y [1, D] is not Sum(l) - Sum(y)', async () => {
  const l = tf.randomNormal([K, D], 0, 1, 'float32', 3);
  const y = tf.randomNormal([1, D], 0, 1, 'float32', 4);
  const f = (a: Tensor, b: Tensor) => a.sub(b).sum(-1);
  const eager = f(l, y);
  const g = await recorded(f, l, y);
  close(g.value, Array.from(eager.dataSync()));
  assert.deepEqual(g.sumInputs, ['Sub']);
  tf.dispose([l, y, eager]);
});

test('a difference that is also read elsewhere is left as it is: distributing it would add a pass, not remove one', async () => {
  const l = tf.randomNormal([K, D], 0, 1, 'float32', 5);
  const y = tf.randomNormal([1, D], 0, 1, 'float32', 6);
  const f = (a: Tensor, b: Tensor) => { const d = a.sub(a.mul(b)); return d.sum(-1).add(d.max(-1)); };
  const eager = f(l, y);
  const g = await recorded(f, l, y);
  close(g.value, Array.from(eager.dataSync()));
  assert.deepEqual(g.sumInputs, ['Sub']);
  tf.dispose([l, y, eager]);
});
