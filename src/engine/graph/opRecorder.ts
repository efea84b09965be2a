// Records the TensorFlow ops that tfjs-node executes while a function runs.
// Every tfjs-node kernel ends in `binding.executeOp(op, attrs, inputIds, n)`,
// so wrapping that call (and `getInputTensorIds`, where tensors made from
// JavaScript data first enter TensorFlow) sees the whole computation: op
// names, attributes, and which earlier outputs feed which inputs. Tensors that
// were not produced inside the recording become constants unless they were
// bound to something else first (placeholders, random ops, variable reads).
import { tf } from '../tf';
import { GraphBuilder, TF_DTYPE, type DType, type GraphTensor } from './graphBuilder';
import type { AttrValue } from './protos';

/** The computation cannot be expressed as one static graph (e.g. it reads values back to JavaScript). */
export class GraphUnsupported extends Error {}

interface TfeAttr { name: string; type: number; value: unknown }
interface TensorMetadata { id: number; shape: number[]; dtype: number }
interface TensorRef { dataId: object; shape: number[]; dtype: string }

interface Binding {
  executeOp(op: string, attrs: TfeAttr[], inputIds: number[], outputs: number): TensorMetadata[];
  deleteTensor(id: number): void;
  tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
  TF_ATTR_STRING: number; TF_ATTR_INT: number; TF_ATTR_FLOAT: number; TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_ATTR_SHAPE: number;
}

interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: TensorRef[]): number[];
}

function nodeBackend(): NodeBackend {
  return tf.backend() as unknown as NodeBackend;
}

/** The binding's id of an eager tensor, copying it into TensorFlow if it still lives in JavaScript. */
export function tensorId(t: TensorRef): number {
  const backend = nodeBackend();
  return Object.getPrototypeOf(backend).getInputTensorIds.call(backend, [t])[0];
}

// tfjs-node leaves these type attributes for TensorFlow's eager runtime to
// infer from the inputs; a NodeDef must state them.
const INFERRED_TYPE_ATTRS: Record<string, Record<string, number>> = {
  ExpandDims: { T: 0, Tdim: 1 },
};

export class OpRecorder {
  private readonly tensors = new Map<number, GraphTensor>();
  private constants = 0;

  constructor(readonly graph: GraphBuilder, private readonly scope: string) {}

  /** From now on, uses of `t` in the recording mean `target`. */
  bind(t: TensorRef, target: GraphTensor): void {
    this.tensors.set(tensorId(t), target);
  }

  /** The graph tensor an eager tensor of the recording stands for. */
  graphTensor(t: TensorRef): GraphTensor {
    return this.tensorFor(tensorId(t), t);
  }

  /** Runs `fn` eagerly, recording what it executes. */
  record<T>(fn: () => T): T {
    const backend = nodeBackend();
    const binding = backend.binding;
    const wrapped = bindingCopy(binding);
    wrapped.executeOp = (op, attrs, ids, n) => this.executed(binding, op, attrs, ids, n);
    wrapped.deleteTensor = (id) => { this.tensors.delete(id); binding.deleteTensor(id); };
    backend.binding = wrapped;
    backend.getInputTensorIds = (refs) => {
      const ids = Object.getPrototypeOf(backend).getInputTensorIds.call(backend, refs) as number[];
      ids.forEach((id, i) => this.tensorFor(id, refs[i]));
      return ids;
    };
    const own = backend as unknown as Record<string, unknown>;
    own.readSync = own.read = () => {
      throw new GraphUnsupported('the computation reads tensor values back to JavaScript, so it is not one static graph');
    };
    try {
      return fn();
    } finally {
      backend.binding = binding;
      for (const key of ['getInputTensorIds', 'readSync', 'read']) delete own[key];
    }
  }

  private executed(binding: Binding, op: string, attrs: TfeAttr[], ids: number[], n: number): TensorMetadata[] {
    const outputs = binding.executeOp(op, attrs, ids, n);
    const inputs = ids.map((id) => {
      const known = this.tensors.get(id);
      if (!known) throw new GraphUnsupported(`${op} read a tensor the recorder never saw`);
      return known;
    });
    const form = graphForm(op, nodeAttrs(binding, op, attrs, inputs), inputs);
    const node = this.graph.add(form.op, `${this.scope}/${form.op}`, inputs.map((t) => t.ref), form.attrs);
    outputs.forEach((m, j) => {
      const ref = j === 0 ? node : `${node}:${j}`;
      this.tensors.set(m.id, { ref, dtype: m.dtype, shape: m.shape });
      this.graph.shapes.set(ref, m.shape);
    });
    return outputs;
  }

  /** A tensor the recording did not produce and nobody bound: its current value, as a constant. */
  private tensorFor(id: number, t: TensorRef): GraphTensor {
    const known = this.tensors.get(id);
    if (known) return known;
    const values = nodeBackend().binding.tensorDataSync(id);
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    const constant = this.graph.constant(`${this.scope}/const_${this.constants++}`, TF_DTYPE[t.dtype as DType], [...t.shape], bytes);
    this.tensors.set(id, constant);
    return constant;
  }
}

/**
 * tfjs-node runs every matrix product as BatchMatMulV2; in a graph the rank-2
 * ones become MatMul, the op Grappler's remapper fuses with the bias add and
 * the activation that follow it.
 */
function graphForm(op: string, attrs: Record<string, AttrValue>, inputs: GraphTensor[]): { op: string; attrs: Record<string, AttrValue> } {
  if (op === 'BatchMatMulV2' && inputs.every((t) => t.shape.length === 2)) {
    return { op: 'MatMul', attrs: { T: attrs.T, transpose_a: attrs.adj_x ?? { b: false }, transpose_b: attrs.adj_y ?? { b: false } } };
  }
  return { op, attrs };
}

function nodeAttrs(binding: Binding, op: string, attrs: TfeAttr[], inputs: GraphTensor[]): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [name, input] of Object.entries(INFERRED_TYPE_ATTRS[op] ?? {})) out[name] = { type: inputs[input].dtype };
  for (const a of attrs) out[a.name] = attrValue(binding, a);
  return out;
}

/** tfjs-node's eager attribute {name, type, value} as a GraphDef AttrValue. */
function attrValue(binding: Binding, a: TfeAttr): AttrValue {
  const text = (s: unknown) => new TextEncoder().encode(String(s));
  const list = Array.isArray(a.value);
  switch (a.type) {
    case binding.TF_ATTR_STRING: return list ? { list: { s: (a.value as unknown[]).map(text) } } : { s: text(a.value) };
    case binding.TF_ATTR_INT: return list ? { list: { i: a.value as number[] } } : { i: a.value as number };
    case binding.TF_ATTR_FLOAT: return list ? { list: { f: a.value as number[] } } : { f: a.value as number };
    case binding.TF_ATTR_BOOL: return list ? { list: { b: a.value as boolean[] } } : { b: a.value as boolean };
    case binding.TF_ATTR_TYPE: return list ? { list: { type: a.value as number[] } } : { type: a.value as number };
    case binding.TF_ATTR_SHAPE: return { shape: { dim: (a.value as number[]).map((size) => ({ size })) } };
    default: throw new GraphUnsupported(`attribute ${a.name} has a type (${a.type}) the recorder does not know`);
  }
}

/** A plain object with the binding's members: the native object's own members are read-only. */
function bindingCopy(binding: Binding): Binding {
  const copy: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(binding)) {
    const member = (binding as unknown as Record<string, unknown>)[key];
    copy[key] = typeof member === 'function' ? member.bind(binding) : member;
  }
  return copy as unknown as Binding;
}
