// softplus(x) = log(1 + exp(x)), written relu(x) - log(s) with s = sigmoid(|x|):
// finite for any finite x, and cheaper than TensorFlow's Softplus kernel, which
// computes every one of its three branches for each element, and than
// relu(x) + log1p(exp(-|x|)): a sigmoid (a rational function in TensorFlow's
// kernels, a tanh in XLA's) and a log cost less than an exp and a log1p. The
// Bernoulli likelihood takes softplus of every pixel of every decoded sample
// ([5000, 784] per image at K = 5000), so this is a large share of -L_5000 and
// of the compiled training step (docs/benchmarks.md). s lies in [1/2, 1], so
// its log neither overflows nor meets log(0); where e^-|x| is below float32's
// resolution at 1 the result is relu(x), off by less than 2^-22 in absolute
// terms, below a unit in the last place of any sum of pixel log-probabilities.
// The gradient, sigmoid(x), comes from the same s (s for x >= 0, 1 - s below):
// a select instead of a second sigmoid over every pixel made the compiled step
// 3-18% faster. Inputs are saved, not closed over: tfjs's own custom gradients
// that close over their input lose it inside a tidy.
import { tf, type Tensor } from '../tf';

export const softplus = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
  const s = tf.sigmoid(x.abs());
  save([x, s]);
  return {
    value: tf.relu(x).sub(tf.log(s)),
    gradFunc: (dy: Tensor, [saved, sigmoidOfAbs]: Tensor[]) => dy.mul(tf.where(saved.greaterEqual(0), sigmoidOfAbs, tf.sub(1, sigmoidOfAbs))),
  };
}) as Parameters<typeof tf.customGrad>[0]) as (x: Tensor) => Tensor;
