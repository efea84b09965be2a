// The convolutional networks: feature-map sizes follow from the image shape
// (odd sides included), the decoder returns exactly one value per pixel and
// channel, parameters carry readable names, and the encoder sees the image
// layout (height, width, channels last), not a flat vector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { createConvDecoder, createConvEncoder } from '../../src/engine/models/convNetworks';
import { featureShapes, type ConvArchitecture, type FeatureShape } from '../../src/engine/models/architecture';
import type { ConvNetworkConfig } from '../../src/engine/models/config';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import type { Params } from '../../src/engine/models/params';
import { smallConfig } from '../graph/helpers';

const conv = { kind: 'conv' as const, channels: [4, 6, 8], kernel: 3 };

const layout = (image: FeatureShape, c: ConvNetworkConfig): ConvArchitecture => ({ shapes: featureShapes(image, c), kernel: c.kernel });
const disposeParams = (params: Params) => tf.dispose([...params.values()]);

test('feature maps halve (rounding up) from the image shape', () => {
  assert.deepEqual(featureShapes([28, 28, 1], { ...conv, channels: [32, 64] }), [[28, 28, 1], [14, 14, 32], [7, 7, 64]]);
  assert.deepEqual(featureShapes([7, 5, 3], conv), [[7, 5, 3], [4, 3, 4], [2, 2, 6], [1, 1, 8]]);
});

test('encoder [K, B, H*W*C] -> [K, B, out] and decoder [K, B, Z] -> [K, B, H*W*C] on odd colour images, with named parameters', () => {
  const params: Params = new Map();
  const sampler = new Sampler(1);
  // The smallest map is 1x1x8: the encoder's dense layers start, the decoder's end, at 8 values.
  const encoder = createConvEncoder(params, 'q.0', layout([7, 5, 3], conv), [8, 10, 6], sampler);
  const decoder = createConvDecoder(params, 'p.0', layout([7, 5, 3], conv), [3, 10, 8], sampler);
  assert.deepEqual([...params].map(([name, v]) => `${name} [${v.shape}]`), [
    'q.0.conv.0.kernel [3,3,3,4]', 'q.0.conv.0.bias [4]', 'q.0.conv.1.kernel [3,3,4,6]', 'q.0.conv.1.bias [6]',
    'q.0.conv.2.kernel [3,3,6,8]', 'q.0.conv.2.bias [8]', 'q.0.0.kernel [8,10]', 'q.0.0.bias [10]', 'q.0.1.kernel [10,6]', 'q.0.1.bias [6]',
    'p.0.0.kernel [3,10]', 'p.0.0.bias [10]', 'p.0.1.kernel [10,8]', 'p.0.1.bias [8]',
    'p.0.deconv.0.kernel [3,3,3,4]', 'p.0.deconv.0.bias [3]', 'p.0.deconv.1.kernel [3,3,4,6]', 'p.0.deconv.1.bias [4]',
    'p.0.deconv.2.kernel [3,3,6,8]', 'p.0.deconv.2.bias [6]',
  ]);
  tf.tidy(() => {
    assert.deepEqual(encoder(tf.ones([2, 4, 105])).shape, [2, 4, 6]);
    assert.deepEqual(decoder(tf.ones([2, 4, 3])).shape, [2, 4, 105]);
  });
  disposeParams(params);
});

test('the encoder reads examples as [H, W, C] images: a convolution with a one-pixel kernel sees each pixel\'s channels together', () => {
  // With 1x1 kernels, stride 2 keeps the pixels at even rows and columns: pixel (0, 0) survives, pixel (0, 1) does not.
  const params: Params = new Map();
  const encoder = createConvEncoder(params, 'q.0', layout([2, 2, 3], { kind: 'conv', channels: [1], kernel: 1 }), [1, 1], new Sampler(2));
  tf.tidy(() => {
    const flat = (pixel: number, channel: number) => tf.oneHot([pixel * 3 + channel], 12).toFloat();
    const base = encoder(tf.zeros([1, 12]));
    const moved = (pixel: number, channel: number) => encoder(flat(pixel, channel)).sub(base).abs().sum().dataSync()[0];
    for (let c = 0; c < 3; c++) {
      assert.ok(moved(0, c) > 0, `channel ${c} of pixel (0, 0) reaches the output`);
      assert.equal(moved(1, c), 0, `pixel (0, 1), channel ${c}, is skipped by the stride`);
    }
  });
  disposeParams(params);
});

test('a two-layer model with convolutional networks keeps MLPs between the stochastic layers', () => {
  const model = new LatentVariableModel(smallConfig({
    inputDim: 48, imageShape: [4, 4], imageChannels: 3, network: { kind: 'conv', channels: [2], kernel: 3 },
    layers: [{ hidden: [5], latent: 3 }, { hidden: [4], latent: 2 }],
  }), new Sampler(3));
  const names = [...model.params.keys()];
  assert.ok(names.includes('q.0.conv.0.kernel') && names.includes('p.0.deconv.0.kernel'));
  assert.ok(!names.some((n) => n.startsWith('q.1.conv') || n.startsWith('p.1.deconv')));
  assert.deepEqual(model.params.get('q.1.0.kernel')?.shape, [3, 4]);
  tf.tidy(() => {
    const sample = model.posterior(tf.ones([2, 48]), 5, new Sampler(4));
    assert.deepEqual(sample.zs.map((z) => z.shape), [[5, 2, 3], [5, 2, 2]]);
    assert.deepEqual(model.logJoint(tf.ones([2, 48]), sample.zs).shape, [5, 2]);
  });
  model.dispose();
});
