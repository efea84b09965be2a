// Multi-layer perceptrons: tanh hidden layers, a linear output layer.
import { tf, type Tensor, type Variable } from '../tf';
import type { Sampler } from '../random/sampler';
import { denseNames } from './architecture';
import { asIs, type Network, type WeightUse } from './network';
import { addParam, glorotUniform, type Params } from './params';

export interface Dense {
  kernel: Variable; // [in, out]
  bias: Variable; // [out]
}

export type Mlp = Dense[];

export function createMlp(params: Params, name: string, sizes: number[], sampler: Sampler): Mlp {
  const layers: Mlp = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [kernel, bias] = denseNames(name, i);
    layers.push({
      kernel: addParam(params, kernel, glorotUniform(sampler, sizes[i], sizes[i + 1])),
      bias: addParam(params, bias, tf.zeros([sizes[i + 1]])),
    });
  }
  return layers;
}

/** Applies the MLP to the last axis of `x` [..., in] -> [..., out]. */
export function applyMlp(mlp: Mlp, x: Tensor, weight: WeightUse = asIs): Tensor {
  const lead = x.shape.slice(0, -1) as number[];
  let h = x.reshape([-1, x.shape[x.rank - 1] as number]);
  mlp.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, weight(layer.kernel)), weight(layer.bias));
    if (i < mlp.length - 1) h = tf.tanh(h);
  });
  return h.reshape([...lead, h.shape[1] as number]);
}

export function mlpNetwork(mlp: Mlp): Network {
  return (x, weight = asIs) => applyMlp(mlp, x, weight);
}
