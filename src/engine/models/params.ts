// The model's trainable parameters by name. Names say which network owns them
// (`q.` inference, `p.` generative) and are the tensor names in checkpoints.
import { tf, type Tensor, type Variable } from '../tf';
import type { Sampler } from '../random/sampler';

export type Params = Map<string, Variable>;

export function addParam(params: Params, name: string, init: Tensor): Variable {
  if (params.has(name)) throw new Error(`duplicate parameter ${name}`);
  // tfjs variable names are global to the process; ours are per model, so they live in the map.
  const v = tf.variable(init, true);
  init.dispose();
  params.set(name, v);
  return v;
}

/** Glorot-uniform, [fanIn, fanOut] unless a `shape` (a convolution's kernel) is given. */
export function glorotUniform(sampler: Sampler, fanIn: number, fanOut: number, shape = [fanIn, fanOut]): Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return sampler.uniform(shape, -limit, limit);
}
