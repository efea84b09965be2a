// A recorded computation with named inputs, placed into a graph in one of two
// forms. Inline: its nodes copied under a prefix, as many times as it is used,
// run kernel by kernel by TensorFlow's executor. Compiled: one function of the
// graph's library, called through StatefulPartitionedCall and marked
// `_XlaMustCompile`, the form `tf.function(jit_compile=True)` writes; XLA then
// compiles the whole computation, resource variables, random draws and
// optimizer update included, into one fused program.
import { GraphBuilder, type GraphTensor } from './graphBuilder';
import { DataType, type AttrValue, type FunctionDef, type NodeDef } from './protos';

/** TensorFlow cannot compile this computation whole with XLA (or it cannot be written as a function here). */
export class XlaRefused extends Error {}

/** The output argument of each op the recorder emits (tensorflow/core/ops): a FunctionDef names outputs by it. */
const OUTPUT_ARG: Record<string, string> = Object.fromEntries([
  ['y', 'Abs Cast Exp Expm1 IsFinite IsInf IsNan Log Log1p LogicalNot Neg Reciprocal Rsqrt Sigmoid Sign Sqrt Square Tanh Transpose ZerosLike OnesLike Erf Floor Ceil Round Sin Cos Lgamma Digamma'],
  ['z', 'Add AddV2 Sub Mul RealDiv Maximum Minimum Pow SquaredDifference Equal NotEqual Greater GreaterEqual Less LessEqual LogicalAnd LogicalOr FloorDiv FloorMod Atan2 TanhGrad SigmoidGrad'],
  ['output', 'Const Identity Fill ExpandDims Reshape Pack Unpack Split SplitV ConcatV2 Max Min Mean Sum Prod Select SelectV2 StatelessRandomNormal StatelessRandomUniform StatelessRandomNormalV2 StatelessRandomUniformV2 Bitcast Tile BroadcastTo Slice StridedSlice GatherV2 OneHot Squeeze StopGradient Range ArgMax ArgMin BatchMatMulV2 Einsum Pad PadV2 ReverseV2 Conv2D Conv2DBackpropInput Conv2DBackpropFilter DepthwiseConv2dNative MaxPool MaxPoolGrad AvgPool AvgPoolGrad MirrorPad ClipByValue All Any'],
  ['activations', 'Softplus Relu Relu6 LeakyRelu Elu Selu Softsign'],
  ['backprops', 'SoftplusGrad ReluGrad Relu6Grad LeakyReluGrad EluGrad SeluGrad'],
  ['product', 'MatMul'], ['sum', 'AddN'], ['softmax', 'Softmax'], ['logsoftmax', 'LogSoftmax'], ['value', 'ReadVariableOp'], ['out', 'Cumsum Cumprod'],
].flatMap(([arg, ops]) => ops.split(' ').map((op) => [op, arg])));
/** Ops TensorFlow runs but XLA:CPU has no kernel for: a step holding one is not sent to the compiler at all. */
const NO_XLA_KERNEL: Record<string, string> = { StatelessRandomGammaV2: "the Student-t posterior's gamma draws" };
/** Ops whose one output argument is a list of tensors. */
const LIST_OUTPUT = new Set(['Unpack', 'Split', 'SplitV']);

interface Arg { key: string; node: string; dtype: number; shape: number[] }

/** A computation under construction: its own graph, whose placeholders are its inputs. */
export class Body {
  readonly graph = new GraphBuilder();
  readonly args: Arg[] = [];
  outputs: Record<string, GraphTensor> = {};
  /** Stateful nodes (variable updates) that must run whenever the body runs. */
  effects: string[] = [];

  input(key: string, dtype: number, shape: number[]): GraphTensor {
    return this.adopt(key, this.graph.placeholder(`input/${key}`, dtype, shape));
  }

  /** Makes a placeholder already in the body's graph its input `key`. */
  adopt(key: string, placeholder: GraphTensor): GraphTensor {
    this.args.push({ key, node: placeholder.ref, dtype: placeholder.dtype, shape: placeholder.shape });
    return placeholder;
  }

  /** A resource-variable handle the caller passes in. */
  resource(key: string): string {
    return this.input(key, DataType.RESOURCE, []).ref;
  }
}

/** What one use of a body gives its graph: its outputs, and what later uses must wait for. */
export interface Use {
  outputs: Record<string, GraphTensor>;
  done: string[];
}

/**
 * Copies `body` into `graph` under `prefix`, its inputs read from `feeds`
 * (input key -> tensor). Whatever touches a variable waits for `after`, so
 * that uses chained this way read what the previous one wrote.
 */
export function inline(graph: GraphBuilder, body: Body, prefix: string, feeds: Record<string, string>, after: string[] = []): Use {
  const fed = new Map(body.args.map((a) => [a.node, feedOf(feeds, a.key)]));
  const resources = new Set(body.args.filter((a) => a.dtype === DataType.RESOURCE).map((a) => a.node));
  const renamed = new Map<string, string>();
  for (const node of body.graph.nodes) {
    if (fed.has(node.name)) continue;
    const data = node.input.filter((i) => !i.startsWith('^'));
    const control = node.input.filter((i) => i.startsWith('^')).map((i) => renamed.get(i.slice(1)) as string);
    const touchesVariable = data.some((i) => resources.has(i));
    const inputs = data.map((i) => {
      const [name, index] = i.split(':');
      if (fed.has(name)) return fed.get(name) as string;
      return index ? `${renamed.get(name)}:${index}` : renamed.get(name) as string;
    });
    renamed.set(node.name, graph.add(node.op, `${prefix}/${node.name}`, inputs, node.attr, [...control, ...(touchesVariable ? after : [])]));
  }
  const outputs = Object.fromEntries(Object.entries(body.outputs).map(([key, t]) => {
    const [name, index] = t.ref.split(':');
    return [key, { ...t, ref: index ? `${renamed.get(name)}:${index}` : renamed.get(name) as string }];
  }));
  return { outputs, done: body.effects.map((e) => renamed.get(e) as string) };
}

/**
 * Adds `body` to the graph's library as the function `name` (once) and calls it
 * with `feeds`, after `after`. The function and the call carry
 * `_XlaMustCompile`: TensorFlow compiles the function whole with XLA, or the
 * call fails when XLA cannot.
 */
export function compiledCall(graph: GraphBuilder, body: Body, name: string, feeds: Record<string, string>, after: string[] = []): Use {
  const keys = Object.keys(body.outputs);
  if (!graph.functions.some((f) => f.signature.name === name)) graph.functions.push(functionDef(body, name, keys));
  const list = (types: number[]): AttrValue => ({ list: { type: types } });
  const attrs: Record<string, AttrValue> = {
    f: { func: { name } }, Tin: list(body.args.map((a) => a.dtype)), Tout: list(keys.map((k) => body.outputs[k].dtype)),
    config: { s: new Uint8Array() }, config_proto: { s: new Uint8Array() }, executor_type: { s: new Uint8Array() },
    _XlaMustCompile: { b: true },
  };
  const call = graph.add('StatefulPartitionedCall', name, body.args.map((a) => feedOf(feeds, a.key)), attrs, after);
  const outputs = Object.fromEntries(keys.map((k, i) => [k, { ...body.outputs[k], ref: i === 0 ? call : `${call}:${i}` }]));
  return { outputs, done: [call] };
}

function feedOf(feeds: Record<string, string>, key: string): string {
  const ref = feeds[key];
  if (ref === undefined) throw new Error(`no value fed for the body input ${key}`);
  return ref;
}

/** The body as a compiled FunctionDef: placeholders become arguments, GraphDef tensor names FunctionDef ones. */
function functionDef(body: Body, name: string, outputKeys: string[]): FunctionDef {
  const argName = new Map(body.args.map((a, i) => [a.node, `arg_${i}`]));
  const nodes = new Map(body.graph.nodes.map((n) => [n.name, n]));
  const tensorName = (ref: string): string => {
    const [node, index = '0'] = ref.split(':');
    if (argName.has(node)) return argName.get(node) as string;
    return outputName(nodes.get(node) as NodeDef, Number(index));
  };
  const nodeDef = body.graph.nodes.filter((n) => !argName.has(n.name)).map((n) => ({
    ...n, input: n.input.map((i) => (i.startsWith('^') ? i : tensorName(i))),
  }));
  const flag: AttrValue = { b: true };
  return {
    signature: {
      name, isStateful: true, controlOutput: body.effects,
      inputArg: body.args.map((a, i) => ({ name: `arg_${i}`, type: a.dtype })),
      outputArg: outputKeys.map((k, i) => ({ name: `out_${i}`, type: body.outputs[k].dtype })),
    },
    nodeDef,
    ret: Object.fromEntries(outputKeys.map((k, i) => [`out_${i}`, tensorName(body.outputs[k].ref)])),
    controlRet: Object.fromEntries(body.effects.map((e) => [e, e])),
    attr: { _XlaMustCompile: flag, _noinline: flag },
  };
}

/** Why `body` cannot become a compiled function (an op whose output names are not known here), or undefined. */
export function notCompilable(body: Body): string | undefined {
  const read = new Set(body.graph.nodes.flatMap((n) => n.input.filter((i) => !i.startsWith('^')).map((i) => i.split(':')[0])));
  for (const t of Object.values(body.outputs)) read.add(t.ref.split(':')[0]);
  const uncompiled = body.graph.nodes.find((n) => NO_XLA_KERNEL[n.op]);
  if (uncompiled) return `XLA has no kernel for ${uncompiled.op} (${NO_XLA_KERNEL[uncompiled.op]})`;
  const op = body.graph.nodes.find((n) => read.has(n.name) && n.op !== 'Placeholder' && !OUTPUT_ARG[n.op]);
  return op && `${op.op} has no known output name, so it cannot go into a compiled function`;
}

/** `node:output_arg:index`, the FunctionDef name of output `index` of `node`. */
function outputName(node: NodeDef, index: number): string {
  const arg = OUTPUT_ARG[node.op];
  if (!arg) throw new XlaRefused(`${node.op} has no known output name, so it cannot go into a compiled function`);
  if (index > 0 && !LIST_OUTPUT.has(node.op)) throw new XlaRefused(`${node.op} output ${index} has no known name`);
  return `${node.name}:${arg}:${index}`;
}
