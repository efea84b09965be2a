// Writes a TF1-style SavedModel: one MetaGraphDef tagged `serve`, its
// signatures, and a main op (collection `saved_model_main_op`) that the loader
// runs once to initialize the variables. Nothing else is needed: with no
// `variables/` directory the loader skips restoring a checkpoint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphBuilder, GraphTensor } from './graphBuilder';
import { encodeSavedModel, shapeProto, type TensorInfo } from './protos';

export interface Signature {
  inputs: Record<string, GraphTensor>;
  outputs: Record<string, GraphTensor>;
}

// GraphDef versions: any producer at or above TensorFlow's minimum (0) loads;
// this is the value of a recent TensorFlow's TF_GRAPH_DEF_VERSION.
const GRAPH_PRODUCER = 1394;
const MAIN_OP_COLLECTION = 'saved_model_main_op';
const METHOD_NAME = 'tensorflow/serving/predict';

export function writeSavedModel(dir: string, graph: GraphBuilder, mainOp: string, signatures: Record<string, Signature>): void {
  mkdirSync(dir, { recursive: true });
  const bytes = encodeSavedModel({
    savedModelSchemaVersion: 1,
    metaGraphs: [{
      metaInfoDef: { tags: ['serve'] },
      graphDef: { node: graph.nodes, library: { function: graph.functions }, versions: { producer: GRAPH_PRODUCER } },
      collectionDef: { [MAIN_OP_COLLECTION]: { nodeList: { value: [mainOp] } } },
      signatureDef: Object.fromEntries(Object.entries(signatures).map(([name, s]) => [name, {
        inputs: tensorInfos(s.inputs), outputs: tensorInfos(s.outputs), methodName: METHOD_NAME,
      }])),
    }],
  });
  writeFileSync(join(dir, 'saved_model.pb'), bytes);
}

function tensorInfos(tensors: Record<string, GraphTensor>): Record<string, TensorInfo> {
  return Object.fromEntries(Object.entries(tensors).map(([key, t]) => [key, {
    // tfjs-node strips ":0" and fetches output 0 of the named node.
    name: t.ref.includes(':') ? t.ref : `${t.ref}:0`, dtype: t.dtype, tensorShape: shapeProto(t.shape),
  }]));
}
