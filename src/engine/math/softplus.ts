// softplus(x) = log(1 + exp(x)), written relu(x) + log1p(exp(-|x|)): exact for
// any finite x, and cheaper than TensorFlow's Softplus kernel, which computes
// every one of its three branches for each element. The Bernoulli likelihood
// takes softplus of every pixel of every decoded sample ([5000, 784] per image
// at K = 5000); with TensorFlow's kernel that was about a third of -L_5000's
// time (docs/benchmarks.md). The gradient is the sigmoid, as tf.softplus's,
// from the saved input: tfjs's own custom gradients that close over their
// input lose it inside a tidy.
import { tf, type Tensor } from '../tf';

export const softplus = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.relu(x).add(tf.log1p(tf.exp(x.abs().neg()))),
    gradFunc: (dy: Tensor, [saved]: Tensor[]) => dy.mul(tf.sigmoid(saved)),
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: Tensor) => Tensor;
