// Convolutional networks next to image data. The encoder runs stride-2
// convolutions (padding "same", tanh) from the image [H, W, C] down to feature
// maps of ceil(H/2^n) x ceil(W/2^n), flattens them and ends in the stochastic
// layer's MLP; the decoder runs that MLP in reverse up to the smallest feature
// map (tanh), then stride-2 transposed convolutions back to each larger size,
// the last one linear with C channels: the likelihood's parameters per value.
// Sizes follow from the image shape alone, odd ones included (7 -> 4 -> 7):
// architecture.ts computes them.
import { tf } from '../tf';
import type { Sampler } from '../random/sampler';
import { CONV, DECONV, denseNames, size, type ConvArchitecture } from './architecture';
import { applyMlp, createMlp } from './mlp';
import { asIs, type Network } from './network';
import { addParam, glorotUniform, type Params } from './params';

interface ConvLayer {
  kernel: tf.Variable; // [k, k, in, out]; transposed: [k, k, out, in]
  bias: tf.Variable;
}

function convLayer(params: Params, names: [string, string], k: number, inChannels: number, outChannels: number, kernelShape: number[], sampler: Sampler): ConvLayer {
  return {
    kernel: addParam(params, names[0], glorotUniform(sampler, k * k * inChannels, k * k * outChannels, kernelShape)),
    bias: addParam(params, names[1], tf.zeros([outChannels])),
  };
}

/** q's network: image x [..., H*W*C] -> [..., out]; `mlpSizes` are the dense widths after the convolutions, the flattened smallest map first. */
export function createConvEncoder(params: Params, name: string, conv: ConvArchitecture, mlpSizes: number[], sampler: Sampler): Network {
  const { shapes, kernel: k } = conv;
  const layers = shapes.slice(1).map((out, i) => convLayer(params, denseNames(CONV, i), k, shapes[i][2], out[2], [k, k, shapes[i][2], out[2]], sampler));
  const mlp = createMlp(params, name, mlpSizes, sampler);
  return (x, weight = asIs) => {
    const lead = x.shape.slice(0, -1);
    let h = x.reshape([-1, ...shapes[0]]) as tf.Tensor4D;
    for (const layer of layers) h = tf.tanh(tf.conv2d(h, weight(layer.kernel) as tf.Tensor4D, 2, 'same').add(weight(layer.bias))) as tf.Tensor4D;
    return applyMlp(mlp, h.reshape([...lead, -1]), weight);
  };
}

/** p's network: z [..., Z] -> [..., H*W*C]; `mlpSizes` are the dense widths before the transposed convolutions, the flattened smallest map last. */
export function createConvDecoder(params: Params, name: string, conv: ConvArchitecture, mlpSizes: number[], sampler: Sampler): Network {
  const { shapes, kernel: k } = conv;
  const smallest = shapes[shapes.length - 1];
  const mlp = createMlp(params, name, mlpSizes, sampler);
  // Layer i maps shapes[i + 1] up to shapes[i]; they run from the smallest map up.
  const layers = shapes.slice(1).map((from, i) => convLayer(params, denseNames(DECONV, i), k, from[2], shapes[i][2], [k, k, shapes[i][2], from[2]], sampler));
  return (z, weight = asIs) => {
    const lead = z.shape.slice(0, -1);
    let h = tf.tanh(applyMlp(mlp, z, weight)).reshape([-1, ...smallest]) as tf.Tensor4D;
    const n = h.shape[0];
    for (let i = layers.length - 1; i >= 0; i--) {
      const up = tf.conv2dTranspose(h, weight(layers[i].kernel) as tf.Tensor4D, [n, ...shapes[i]], 2, 'same').add(weight(layers[i].bias)) as tf.Tensor4D;
      h = i > 0 ? tf.tanh(up) : up;
    }
    return h.reshape([...lead, size(shapes[0])]);
  };
}
