// A GraphDef under construction: named nodes, their attributes, and the small
// vocabulary of nodes the writer adds itself (constants, placeholders,
// resource variables), and the functions its nodes call. Tensors are referred
// to as "node:output".
import { DataType, shapeProto, type AttrValue, type FunctionDef, type NodeDef } from './protos';

export type DType = 'float32' | 'int32' | 'bool';

export const TF_DTYPE: Record<DType, number> = { float32: DataType.FLOAT, int32: DataType.INT32, bool: DataType.BOOL };

/** A tensor in the graph: the output of a node, with what is known of it. */
export interface GraphTensor {
  ref: string;
  dtype: number;
  shape: number[];
}

export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly functions: FunctionDef[] = [];
  /** The shapes of the tensors whose shapes are known (constants, placeholders, what the recorder saw), by ref. */
  readonly shapes = new Map<string, number[]>();
  private readonly names = new Set<string>();

  /** A node name not used yet, from a readable stem. */
  uniqueName(stem: string): string {
    const base = stem.replace(/[^A-Za-z0-9_.\-/]/g, '_');
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node; `control` are nodes that must run first. Returns its name. */
  add(op: string, stem: string, inputs: string[], attr: Record<string, AttrValue>, control: string[] = []): string {
    const name = this.uniqueName(stem);
    this.nodes.push({ name, op, input: [...inputs, ...control.map((c) => `^${c}`)], attr });
    return name;
  }

  constant(stem: string, dtype: number, shape: number[], bytes: Uint8Array): GraphTensor {
    const name = this.add('Const', stem, [], {
      dtype: { type: dtype },
      value: { tensor: { dtype, tensorShape: shapeProto(shape), tensorContent: bytes } },
    });
    this.shapes.set(name, shape);
    return { ref: name, dtype, shape };
  }

  int32Vector(stem: string, values: number[]): GraphTensor {
    return this.constant(stem, DataType.INT32, [values.length], new Uint8Array(Int32Array.from(values).buffer));
  }

  floatScalar(stem: string, value: number): GraphTensor {
    return this.constant(stem, DataType.FLOAT, [], new Uint8Array(Float32Array.of(value).buffer));
  }

  placeholder(stem: string, dtype: number, shape: number[]): GraphTensor {
    const name = this.add('Placeholder', stem, [], { dtype: { type: dtype }, shape: { shape: shapeProto(shape) } });
    this.shapes.set(name, shape);
    return { ref: name, dtype, shape };
  }

  /** A float32 resource variable; returns the VarHandleOp's name. */
  variable(name: string, shape: number[]): string {
    return this.add('VarHandleOp', `var/${name}`, [], {
      dtype: { type: DataType.FLOAT }, shape: { shape: shapeProto(shape) },
      shared_name: { s: new TextEncoder().encode(name) }, container: { s: new Uint8Array() },
    });
  }

  readVariable(handle: string, shape: number[], stem: string): GraphTensor {
    const name = this.add('ReadVariableOp', stem, [handle], { dtype: { type: DataType.FLOAT } });
    this.shapes.set(name, shape);
    return { ref: name, dtype: DataType.FLOAT, shape };
  }

  assignVariable(handle: string, value: string, stem: string, control: string[] = []): string {
    return this.add('AssignVariableOp', stem, [handle, value], { dtype: { type: DataType.FLOAT } }, control);
  }

  /**
   * A copy of `input` in a buffer TensorFlow allocates. A fed tensor may lend
   * the session a buffer JavaScript owns (tfjs-node shares typed arrays with
   * TensorFlow); kept in a variable, that buffer would later be freed on a
   * TensorFlow thread, which N-API does not allow and which corrupts the heap.
   */
  deepCopy(stem: string, input: GraphTensor): GraphTensor {
    const name = this.add('DeepCopy', stem, [input.ref], { T: { type: input.dtype } });
    return { ...input, ref: name };
  }

  /** Identity of `input` that runs only after `control`: how a fetch carries side effects. */
  identity(stem: string, input: GraphTensor, control: string[] = []): GraphTensor {
    const name = this.add('Identity', stem, [input.ref], { T: { type: input.dtype } }, control);
    return { ...input, ref: name };
  }

  noOp(stem: string, control: string[]): string {
    return this.add('NoOp', stem, [], {}, control);
  }
}
