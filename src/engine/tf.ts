// The one place the engine loads TensorFlow.js: the native tfjs-node backend
// that native/locateBackend.ts finds, never the slow JavaScript backend. The
// package is imported for its types only (the import is erased); its code is
// loaded from wherever the backend was found.
import './tfEnvironment';
import type * as TfNode from '@tensorflow/tfjs-node';
import { loadTfjsNode } from './native/loadBackend';

export const tf: typeof TfNode = loadTfjsNode();

/** The types the engine writes as tf.X, beside the value. */
export declare namespace tf {
  export type Tensor<R extends TfNode.Rank = TfNode.Rank> = TfNode.Tensor<R>;
  export type Tensor1D = TfNode.Tensor1D;
  export type Tensor2D = TfNode.Tensor2D;
  export type Tensor3D = TfNode.Tensor3D;
  export type Tensor4D = TfNode.Tensor4D;
  export type Scalar = TfNode.Scalar;
  export type Variable = TfNode.Variable;
  export type Rank = TfNode.Rank;
  export type NamedTensorMap = TfNode.NamedTensorMap;
  export type GradSaveFunc = TfNode.GradSaveFunc;
}
export type Tensor = TfNode.Tensor;
export type Scalar = TfNode.Scalar;
export type Variable = TfNode.Variable;
