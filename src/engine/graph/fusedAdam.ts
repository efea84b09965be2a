// Adam in the graph as TensorFlow's fused kernel, ResourceApplyAdam: one pass
// over each weight and its moments instead of the fourteen elementwise ops the
// eager update records, which at batch 20 cost as much as the whole forward
// and backward pass. The eager Adam (train/adam.ts) stays the definition; the
// graph = eager tests hold this to it.
//
// The kernel computes p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps').
// The eager update, p -= lr (m / c1) / (sqrt(v / c2) + eps) with c = 1 - b^t,
// is the same with eps' = eps sqrt(c2).
import { tf, type Scalar, type Tensor } from '../tf';
import type { Adam } from '../train/adam';
import type { GraphBuilder } from './graphBuilder';
import type { OpRecorder } from './opRecorder';
import { DataType } from './protos';

/** Resource handles of one parameter and its moments. */
export interface AdamSlots {
  name: string;
  param: string;
  m: string;
  v: string;
}

/** Adds one ResourceApplyAdam per parameter; returns the update nodes. */
export function fusedAdamUpdates(graph: GraphBuilder, recorder: OpRecorder, adam: Adam, slots: AdamSlots[],
  grads: Record<string, Tensor>, learningRate: Scalar, t: Scalar, scope: string): string[] {
  const { beta1, beta2, epsilon } = adam.hyper;
  const scalars = recorder.record(() => tf.tidy(() => {
    const c2 = tf.expm1(t.mul(Math.log(beta2))).neg();
    return {
      beta1Power: tf.exp(t.mul(Math.log(beta1))),
      beta2Power: tf.exp(t.mul(Math.log(beta2))),
      epsilon: c2.sqrt().mul(epsilon),
    };
  }));
  const ref = (x: Tensor) => recorder.graphTensor(x).ref;
  const constant = (stem: string, value: number) => graph.floatScalar(`${scope}/adam/${stem}`, value).ref;
  const shared = [ref(scalars.beta1Power), ref(scalars.beta2Power), ref(learningRate), constant('beta1', beta1), constant('beta2', beta2), ref(scalars.epsilon)];
  const updates = slots.filter((s) => grads[s.name]).map((s) => graph.add('ResourceApplyAdam', `${scope}/adam/${s.name}`,
    [s.param, s.m, s.v, ...shared, ref(grads[s.name])],
    { T: { type: DataType.FLOAT }, use_locking: { b: false }, use_nesterov: { b: false } }));
  tf.dispose(Object.values(scalars));
  return updates;
}
