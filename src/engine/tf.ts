// The one place the engine loads TensorFlow.js. tfjs-node registers the native
// `tensorflow` backend on import; the engine never runs on the slow JS backend.
import './tfEnvironment';
import * as tf from '@tensorflow/tfjs-node';

if (tf.getBackend() !== 'tensorflow') {
  throw new Error(`tfjs-node loaded the '${tf.getBackend()}' backend, not 'tensorflow'; run \`npm run setup\``);
}

export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;
