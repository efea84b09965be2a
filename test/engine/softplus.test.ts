// The engine's softplus against log(1 + e^x) in double precision, from where
// e^x underflows to where it overflows, and its gradient against the sigmoid,
// also inside a tidy, where a custom gradient that closed over its input would lose it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf';
import { softplus } from '../../src/engine/math/softplus';

const XS = [-1e4, -200, -88.8, -30, -17, -5, -1, -1e-3, 0, 1e-3, 0.5, 1, 5, 17, 30, 88.8, 200, 1e4];
/** log(1 + e^x) in float64, stable on both sides. */
const exact = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
/**
 * float32 keeps 24 bits: a relative error of 2^-22 is four units in the last place. sigmoid(|x|) lies
 * in [1/2, 1], where a unit in the last place is 2^-24, and log passes its rounding on as an absolute
 * error: four such units (2^-22) besides, which no sum of pixel log-probabilities resolves.
 */
const close = (got: number, want: number) => Math.abs(got - want) <= 2 ** -22 * (Math.abs(want) + 1);

test('softplus is log(1 + e^x) to float32 precision for every x, finite at +-1e4, where log(1 + exp(x)) overflows', () => {
  const got = softplus(tf.tensor1d(XS)).dataSync();
  XS.forEach((x, i) => assert.ok(close(got[i], exact(x)), `softplus(${x}) = ${got[i]}, want ${exact(x)}`));
  assert.equal(tf.log1p(tf.exp(tf.scalar(1e4))).dataSync()[0], Infinity, 'the naive formula fails there, so the test means something');
});

test('softplus on a fine grid: within float32 rounding of log(1 + e^x), and no bias a sum over many pixels would accumulate', () => {
  const xs = Float32Array.from({ length: 40001 }, (_, i) => -40 + i * 0.002);
  const got = tf.tidy(() => softplus(tf.tensor1d(xs)).dataSync());
  let bias = 0;
  xs.forEach((x, i) => {
    assert.ok(close(got[i], exact(x)), `softplus(${x}) = ${got[i]}, want ${exact(x)}`);
    bias += got[i] - exact(x);
  });
  // Rounding errors of about 2^-24 at each of 40,001 points: a mean far below one of them.
  assert.ok(Math.abs(bias / xs.length) < 2 ** -27, `mean error ${bias / xs.length}`);
});

test('the gradient is the sigmoid times the upstream gradient, also when taken inside a tidy', () => {
  const x = tf.tensor2d([XS.slice(0, 9), XS.slice(9)]);
  const dy = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8, 9], [-1, -2, -3, -4, -5, -6, -7, -8, -9]]);
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const upstream = dy.dataSync();
  const got = tf.tidy(() => tf.grad((v: tf.Tensor) => softplus(v).mul(dy).sum())(x)).dataSync();
  XS.forEach((v, i) => {
    const want = upstream[i] * sigmoid(v);
    assert.ok(Math.abs(got[i] - want) <= 1e-6 * Math.abs(upstream[i]), `d softplus at ${v}: ${got[i]}, want ${want}`);
  });
});
