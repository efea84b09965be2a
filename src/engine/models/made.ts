// MADE (Germain et al. 2015): a one-hidden-layer network whose weights are
// masked so that output i sees only the inputs before i in a chosen order, the
// autoregressive network inside each IAF step. Inputs have degrees 1..D in
// that order, hidden units degrees k mod D in 0..D-1; hidden unit k sees the
// inputs of degree <= its own, output i the hidden units of degree below
// deg(i). Degree-0 hidden units see no input, only the context.
import { tf, type Tensor, type Variable } from '../tf';
import type { Sampler } from '../random/sampler';
import type { AutoregressiveStep } from '../distributions/inverseAutoregressiveFlow';
import { madeNames, type MadeSizes } from './architecture';
import { addParam, glorotUniform, type Params } from './params';
import type { WeightUse } from './network';

/** sigmoid(2) = 0.88: each step starts close to the identity (Kingma et al. 2016, section 4). */
const GATE_BIAS_START = 2;

export interface Made {
  step(weight: WeightUse): AutoregressiveStep;
  /** The masks, constants the model owns. */
  readonly masks: Tensor[];
}

/** Input degrees 1..D, reversed when `reversed`: consecutive IAF steps alternate, so every z_i is transformed by what follows it too. */
export function createMade(params: Params, name: string, sizes: MadeSizes, reversed: boolean, sampler: Sampler): Made {
  const { latent, hidden, context } = sizes;
  const inputDegree = (i: number) => (reversed ? latent - i : i + 1);
  const hiddenDegree = (k: number) => k % latent;
  const inMask = tf.keep(mask(latent, hidden, (i, k) => inputDegree(i) <= hiddenDegree(k)));
  const outMask = tf.keep(mask(hidden, latent, (k, i) => hiddenDegree(k) < inputDegree(i)));
  const masked = (init: () => Tensor, m: Tensor) => tf.tidy(() => init().mul(m));
  const n = madeNames(name);
  const w = {
    hiddenKernel: addParam(params, n.hiddenKernel, masked(() => glorotUniform(sampler, latent, hidden), inMask)),
    hiddenBias: addParam(params, n.hiddenBias, tf.zeros([hidden])),
    contextKernel: context > 0 ? addParam(params, n.contextKernel, glorotUniform(sampler, context, hidden)) : undefined,
    shiftKernel: addParam(params, n.shiftKernel, masked(() => glorotUniform(sampler, hidden, latent), outMask)),
    shiftBias: addParam(params, n.shiftBias, tf.zeros([latent])),
    gateKernel: addParam(params, n.gateKernel, masked(() => glorotUniform(sampler, hidden, latent), outMask)),
    gateBias: addParam(params, n.gateBias, tf.fill([latent], GATE_BIAS_START)),
  };
  const product = (x: Tensor, kernel: Tensor) => {
    const lead = x.shape.slice(0, -1);
    return tf.matMul(x.reshape([-1, x.shape[x.rank - 1] as number]), kernel).reshape([...lead, kernel.shape[1] as number]);
  };
  return {
    masks: [inMask, outMask],
    step: (weight) => (z, h) => {
      let pre = product(z, weight(w.hiddenKernel).mul(inMask)).add(weight(w.hiddenBias));
      if (w.contextKernel && h) pre = pre.add(product(h, weight(w.contextKernel as Variable)));
      const act = tf.tanh(pre);
      return {
        shift: product(act, weight(w.shiftKernel).mul(outMask)).add(weight(w.shiftBias)),
        gate: product(act, weight(w.gateKernel).mul(outMask)).add(weight(w.gateBias)),
      };
    },
  };
}

function mask(rows: number, cols: number, connected: (r: number, c: number) => boolean): Tensor {
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = connected(r, c) ? 1 : 0;
  return tf.tensor2d(values, [rows, cols]);
}
