// The few TensorFlow protobuf messages a SavedModel writer needs, and only the
// fields it sets. Field numbers follow tensorflow/core/framework/{graph,node_def,
// attr_value,tensor,tensor_shape,types,versions}.proto and
// tensorflow/core/protobuf/{meta_graph,saved_model}.proto; tfjs-node reads the
// result with its own generated copy of those protos (dist/proto/api_pb.js).
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorflow;

message TensorShapeProto {
  message Dim { int64 size = 1; }
  repeated Dim dim = 2;
}

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  bytes tensor_content = 4;
}

message AttrValue {
  message ListValue {
    repeated bytes s = 2;
    repeated int64 i = 3;
    repeated float f = 4;
    repeated bool b = 5;
    repeated int32 type = 6;
    repeated TensorShapeProto shape = 7;
  }
  oneof value {
    ListValue list = 1;
    bytes s = 2;
    int64 i = 3;
    float f = 4;
    bool b = 5;
    int32 type = 6;
    TensorShapeProto shape = 7;
    TensorProto tensor = 8;
    NameAttrList func = 10;
  }
}

message NameAttrList {
  string name = 1;
  map<string, AttrValue> attr = 2;
}

message NodeDef {
  string name = 1;
  string op = 2;
  repeated string input = 3;
  map<string, AttrValue> attr = 5;
}

message VersionDef { int32 producer = 1; }

message OpDef {
  message ArgDef {
    string name = 1;
    int32 type = 3;
  }
  string name = 1;
  repeated ArgDef input_arg = 2;
  repeated ArgDef output_arg = 3;
  bool is_stateful = 17;
  repeated string control_output = 20;
}

message FunctionDef {
  OpDef signature = 1;
  repeated NodeDef node_def = 3;
  map<string, string> ret = 4;
  map<string, AttrValue> attr = 5;
  map<string, string> control_ret = 6;
}

message FunctionDefLibrary { repeated FunctionDef function = 1; }

message GraphDef {
  repeated NodeDef node = 1;
  FunctionDefLibrary library = 2;
  VersionDef versions = 4;
}

message CollectionDef {
  message NodeList { repeated string value = 1; }
  NodeList node_list = 1;
}

message TensorInfo {
  string name = 1;
  int32 dtype = 2;
  TensorShapeProto tensor_shape = 3;
}

message SignatureDef {
  map<string, TensorInfo> inputs = 1;
  map<string, TensorInfo> outputs = 2;
  string method_name = 3;
}

message MetaGraphDef {
  message MetaInfoDef { repeated string tags = 4; }
  MetaInfoDef meta_info_def = 1;
  GraphDef graph_def = 2;
  map<string, CollectionDef> collection_def = 4;
  map<string, SignatureDef> signature_def = 5;
}

message SavedModel {
  int64 saved_model_schema_version = 1;
  repeated MetaGraphDef meta_graphs = 2;
}
`;

/** tensorflow/core/framework/types.proto DataType values (the ones used here). */
export const DataType = { FLOAT: 1, INT32: 3, BOOL: 10, RESOURCE: 20, UINT64: 23 } as const;

export interface TensorShapeProto { dim: { size: number }[] }
export interface TensorProto { dtype: number; tensorShape: TensorShapeProto; tensorContent: Uint8Array }
export interface AttrValue {
  list?: { s?: Uint8Array[]; i?: number[]; f?: number[]; b?: boolean[]; type?: number[]; shape?: TensorShapeProto[] };
  s?: Uint8Array; i?: number; f?: number; b?: boolean; type?: number; shape?: TensorShapeProto; tensor?: TensorProto;
  func?: { name: string; attr?: Record<string, AttrValue> };
}
export interface NodeDef { name: string; op: string; input: string[]; attr: Record<string, AttrValue> }
export interface ArgDef { name: string; type: number }
/** A function of the graph's library; node inputs read `node:output_arg:index` or an argument's name. */
export interface FunctionDef {
  signature: { name: string; inputArg: ArgDef[]; outputArg: ArgDef[]; isStateful: boolean; controlOutput: string[] };
  nodeDef: NodeDef[];
  ret: Record<string, string>;
  attr: Record<string, AttrValue>;
  controlRet: Record<string, string>;
}
export interface TensorInfo { name: string; dtype: number; tensorShape: TensorShapeProto }
export interface SignatureDef { inputs: Record<string, TensorInfo>; outputs: Record<string, TensorInfo>; methodName: string }
export interface MetaGraphDef {
  metaInfoDef: { tags: string[] };
  graphDef: { node: NodeDef[]; library: { function: FunctionDef[] }; versions: { producer: number } };
  collectionDef: Record<string, { nodeList: { value: string[] } }>;
  signatureDef: Record<string, SignatureDef>;
}
export interface SavedModel { savedModelSchemaVersion: number; metaGraphs: MetaGraphDef[] }

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const savedModelType = root.lookupType('tensorflow.SavedModel');

export function encodeSavedModel(model: SavedModel): Uint8Array {
  return savedModelType.encode(savedModelType.fromObject(model)).finish();
}

export function shapeProto(shape: readonly number[]): TensorShapeProto {
  return { dim: shape.map((size) => ({ size })) };
}
