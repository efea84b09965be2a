// The SavedModel of a run's hot loops, derived from the eager engine itself:
// one optimizer step (and optionally one L_K evaluation) is executed once on
// a scratch copy of the model while an OpRecorder writes down the TensorFlow
// ops it runs. The weights and Adam moments become resource variables, the
// batch, learning rate, step number and seed become inputs, and the sampler's
// draws become in-graph random ops; the update is TensorFlow's fused Adam
// kernel (fusedAdam.ts). Each recording is a Body (graphFunction.ts) that the
// signatures use inline, as the executor's graph, and, when asked, as one
// XLA-compiled function.
import { tf, type Scalar, type Tensor, type Variable } from '../tf';
import type { ModelConfig } from '../models/config';
import type { Params } from '../models/params';
import { LatentVariableModel } from '../models/latentModel';
import type { ObjectiveConfig } from '../objectives/objective';
import { Sampler } from '../random/sampler';
import { Adam } from '../train/adam';
import { binarize, boundAndGradients } from '../train/step';
import { chunkedLogWeights } from '../evaluate/logLikelihood';
import { GraphBuilder, type GraphTensor } from './graphBuilder';
import { Body, compiledCall, inline, notCompilable, XlaRefused, type Use } from './graphFunction';
import { OpRecorder } from './opRecorder';
import { fusedAdamUpdates } from './fusedAdam';
import { distributeSums } from './distributeSums';
import { GraphDraws, type NoiseSource } from './graphDraws';
import { DataType } from './protos';
import { writeSavedModel, type Signature } from './savedModel';

export interface GraphSpec {
  model: ModelConfig;
  objective: ObjectiveConfig;
  batchSize: number;
  /** Redraw binary pixels from the grey levels of x inside the step. */
  binarize: boolean;
  /** Adds `log_weights`: K log weights per example for `batchSize` examples at a time. */
  evaluation?: { batchSize: number; k: number };
  /** Tests only: the draws become inputs `noise_<i>` instead of seeded random ops. */
  noiseAsInputs?: boolean;
  /**
   * How the training step runs (see Execution). The log weights always run
   * kernel by kernel: their large products were faster there than compiled
   * (docs/benchmarks.md), and so every process estimates alike.
   */
  execution: Execution;
  /** Adds `train_steps_<n>` for each n: n steps in one call, on x [n, B, D] with n seeds (seeded draws only). */
  blockSizes?: number[];
}

/**
 * Decoder rows per chunk of the recorded log weights. In a graph the chunks are
 * independent nodes that the two inter-op threads run side by side, and a
 * [500, 784] activation stays in cache: -L_5000 ran about 15% faster here than
 * with the eager path's 5,000-row chunks.
 */
const GRAPH_ROWS_PER_CHUNK = 500;

export const SIGNATURES = {
  train: 'train_step', trainSteps: 'train_steps', logWeights: 'log_weights', getState: 'get_state', setState: 'set_state',
} as const;

/** The signature of n training steps in one call. */
export function stepsSignature(n: number): string {
  return `${SIGNATURES.trainSteps}_${n}`;
}

/**
 * How a signature runs: `graph`, the recorded ops inline, kernel by kernel
 * (Grappler fuses some); `xla`, one function that XLA compiles whole,
 * variables, draws and the Adam update included.
 */
export type Execution = 'graph' | 'xla';

/** A resource variable of the graph and the eager variable it mirrors. */
interface StateVariable {
  key: string;
  variable: Variable;
  handle: string;
}

/** The checkpoint-style key of a parameter's Adam moment. */
const momentKey = (moment: 'm' | 'v', name: string): string => `adam.${moment}.${name}`;

/**
 * What a graph session holds, in signature order: every parameter under its own
 * name, then Adam's first and second moments under adam.m.<name> and adam.v.<name>.
 */
export function stateVariables(params: Params, adam: Adam): Map<string, Variable> {
  const names = [...params.keys()];
  return new Map([
    ...names.map((n) => [n, params.get(n)] as const),
    ...names.map((n) => [momentKey('m', n), adam.m.get(n)] as const),
    ...names.map((n) => [momentKey('v', n), adam.v.get(n)] as const),
  ].map(([key, variable]) => [key, variable as Variable]));
}

/** What writeTrainingGraph wrote. */
export interface WrittenGraph {
  /** The state keys, in signature order. */
  stateKeys: string[];
  signatures: Record<string, Signature>;
}

/** Writes the SavedModel for `spec` into `dir`; throws XlaRefused when a body cannot become a compiled function. */
export function writeTrainingGraph(dir: string, spec: GraphSpec): WrittenGraph {
  const scratch = new LatentVariableModel(spec.model, new Sampler(0));
  const adam = new Adam(scratch.params);
  try {
    const graph = new GraphBuilder();
    const state = [...stateVariables(scratch.params, adam)].map(([key, variable]) => ({ key, variable, handle: graph.variable(key, variable.shape) }));
    const handles = Object.fromEntries(state.map((s) => [s.key, s.handle]));
    const signatures: Record<string, Signature> = {
      [SIGNATURES.getState]: getState(graph, state),
      [SIGNATURES.setState]: setState(graph, state),
    };
    const step = recordTrainStep(state, scratch, adam, spec);
    const bodies: [string, Body][] = [];
    if (spec.evaluation) {
      const { batchSize, k } = spec.evaluation;
      const record = (scope: string, names: string[], fn: (x: Tensor, sampler: Sampler) => Tensor[]) =>
        recordOnExamples(state, spec, scope, batchSize, names, fn);
      const logWeights = record('eval', ['logWeights'], (x, sampler) => [chunkedLogWeights(scratch, x, k, sampler, GRAPH_ROWS_PER_CHUNK)]);
      distributeSums(logWeights.graph, [...Object.values(logWeights.outputs).map((t) => t.ref), ...logWeights.effects]);
      bodies.push([SIGNATURES.logWeights, logWeights]);
    }
    const { execution } = spec;
    const refusal = execution === 'xla' ? notCompilable(step) : undefined;
    if (refusal) throw new XlaRefused(refusal);
    signatures[SIGNATURES.train] = trainSignature(graph, step, 1, handles, execution);
    for (const n of spec.blockSizes ?? []) signatures[stepsSignature(n)] = trainSignature(graph, step, n, handles, execution);
    for (const [name, body] of bodies) signatures[name] = oneUse(graph, body, name, handles, 'graph');
    writeSavedModel(dir, graph, initializer(graph, state), signatures);
    return { stateKeys: state.map((s) => s.key), signatures };
  } finally {
    scratch.dispose();
    adam.dispose();
  }
}

/** One use of `body` in the graph: inline or compiled. */
function use(graph: GraphBuilder, body: Body, name: string, prefix: string, feeds: Record<string, string>, execution: Execution, after: string[] = []): Use {
  return execution === 'xla' ? compiledCall(graph, body, `${name}_fn`, feeds, after) : inline(graph, body, prefix, feeds, after);
}

/** A signature running an evaluation `body` once: its inputs are the body's, but for the variables. */
function oneUse(graph: GraphBuilder, body: Body, name: string, handles: Record<string, string>, execution: Execution): Signature {
  const scope = name;
  const inputs = Object.fromEntries(body.args.filter((a) => a.dtype !== DataType.RESOURCE)
    .map((a) => [a.key, graph.placeholder(`${scope}/${a.key}`, a.dtype, a.shape)]));
  const feeds = { ...handles, ...Object.fromEntries(Object.entries(inputs).map(([key, t]) => [key, t.ref])) };
  const { outputs } = use(graph, body, name, `${scope}/run`, feeds, execution);
  return { inputs, outputs: Object.fromEntries(Object.entries(outputs).map(([key, t]) => [key, graph.identity(`${scope}/${key}`, t)])) };
}

/**
 * A signature of `n` training steps in one call, one after the other on the
 * same variables. Inputs: x [B, D] (n = 1) or [n, B, D], learning_rate, and
 * counters int32 [1 + n]: the first step's Adam step number, then each step's
 * seed (unused with noise inputs, which n = 1 takes as noise_<i>); one small
 * tensor per call, as creating a tensor costs tfjs-node about as much as a
 * small kernel. Outputs: bound and essFraction (n = 1), or bounds and
 * essFractions [n]. Each step is the single
 * step's very computation (in the compiled form, the same function), so n
 * steps in one call give what n calls give.
 */
function trainSignature(graph: GraphBuilder, step: Body, n: number, handles: Record<string, string>, execution: Execution): Signature {
  const scope = n > 1 ? stepsSignature(n) : SIGNATURES.train;
  const x = step.args.find((a) => a.key === 'x') as { shape: number[] };
  const inputs: Record<string, GraphTensor> = {
    x: graph.placeholder(`${scope}/x`, DataType.FLOAT, n > 1 ? [n, ...x.shape] : x.shape),
    learning_rate: graph.placeholder(`${scope}/learning_rate`, DataType.FLOAT, []),
    counters: graph.placeholder(`${scope}/counters`, DataType.INT32, [1 + n]),
  };
  for (const a of step.args.filter((a) => a.key.startsWith('noise_'))) inputs[a.key] = graph.placeholder(`${scope}/${a.key}`, a.dtype, a.shape);
  const unpack = (t: GraphTensor, count: number) => {
    const node = graph.add('Unpack', `${scope}/unpack_${t.ref.split('/').pop()}`, [t.ref], { T: { type: t.dtype }, num: { i: count }, axis: { i: 0 } });
    return Array.from({ length: count }, (_, i) => (i === 0 ? node : `${node}:${i}`));
  };
  const [first, ...seeds] = unpack(inputs.counters, 1 + n);
  const xs = n > 1 ? unpack(inputs.x, n) : [inputs.x.ref];
  const float = { T: { type: DataType.FLOAT } };
  const firstStep = graph.add('Cast', `${scope}/first_step`, [first], { SrcT: { type: DataType.INT32 }, DstT: { type: DataType.FLOAT }, Truncate: { b: false } });
  const noise = Object.fromEntries(Object.entries(inputs).filter(([key]) => key.startsWith('noise_')).map(([key, t]) => [key, t.ref]));
  const reports: Record<string, GraphTensor>[] = [];
  let after: string[] = [];
  for (let i = 0; i < n; i++) {
    const stepNumber = i === 0 ? firstStep : graph.add('AddV2', `${scope}/step_${i}`, [firstStep, graph.floatScalar(`${scope}/offset_${i}`, i).ref], float);
    const feeds = { ...handles, ...noise, x: xs[i], seed: seeds[i], learning_rate: inputs.learning_rate.ref, step: stepNumber };
    const done = use(graph, step, SIGNATURES.train, `${scope}/step_${i}`, feeds, execution, after);
    reports.push(done.outputs);
    after = done.done;
  }
  const names = ['bound', 'essFraction'];
  if (n === 1) return { inputs, outputs: Object.fromEntries(names.map((key) => [key, graph.identity(`${scope}/${key}`, reports[0][key])])) };
  const packed = (key: string): GraphTensor => ({
    ref: graph.add('Pack', `${scope}/pack_${key}`, reports.map((r) => r[key].ref), { N: { i: n }, T: float.T, axis: { i: 0 } }), dtype: DataType.FLOAT, shape: [n],
  });
  return { inputs, outputs: Object.fromEntries(names.map((key) => [`${key}s`, graph.identity(`${scope}/${key}s`, packed(key), after)])) };
}

/** The recorded training step: inputs x, learning_rate, step and seed (or noise_<i>), the variables' handles; output bound. */
function recordTrainStep(state: StateVariable[], model: LatentVariableModel, adam: Adam, spec: GraphSpec): Body {
  const scope = 'train';
  const body = new Body();
  const recorder = new OpRecorder(body.graph, scope);
  const handle = readAll(body, recorder, state, scope);
  const inputs = {
    x: body.input('x', DataType.FLOAT, [spec.batchSize, spec.model.inputDim]),
    learningRate: body.input('learning_rate', DataType.FLOAT, []),
    step: body.input('step', DataType.FLOAT, []),
  };
  const examples = { x: tf.fill(inputs.x.shape, 0.5), learningRate: tf.scalar(1e-3), step: tf.scalar(1) };
  recorder.bind(examples.x, inputs.x);
  recorder.bind(examples.learningRate, inputs.learningRate);
  recorder.bind(examples.step, inputs.step);
  const draws = drawsFor(body, recorder, spec, scope, spec.execution);
  const { bound, essFraction, grads } = recorder.record(() => tf.tidy(() => {
    const sampler = new Sampler(0, 0, draws);
    const x = spec.binarize ? binarize(examples.x, sampler) : examples.x;
    return boundAndGradients(model, spec.objective, x, sampler);
  }));
  const slots = [...model.params.keys()].map((name) => ({
    name, param: handle.get(name)!, m: handle.get(momentKey('m', name))!, v: handle.get(momentKey('v', name))!,
  }));
  body.effects = fusedAdamUpdates(body.graph, recorder, adam, slots, grads, examples.learningRate as Scalar, examples.step as Scalar, scope);
  body.outputs = {
    bound: body.graph.identity(`${scope}/bound`, recorder.graphTensor(bound), body.effects),
    essFraction: body.graph.identity(`${scope}/essFraction`, recorder.graphTensor(essFraction), body.effects),
  };
  tf.dispose([bound, essFraction, ...Object.values(grads), ...Object.values(examples)]);
  adoptNoise(body, draws);
  return body;
}

/** `fn` on `batchSize` examples x with the current weights, its outputs named `names`. */
function recordOnExamples(state: StateVariable[], spec: GraphSpec, scope: string, batchSize: number,
  names: string[], fn: (x: Tensor, sampler: Sampler) => Tensor[]): Body {
  const body = new Body();
  const recorder = new OpRecorder(body.graph, scope);
  readAll(body, recorder, state, scope);
  const x = body.input('x', DataType.FLOAT, [batchSize, spec.model.inputDim]);
  const example = tf.fill(x.shape, 0.5);
  recorder.bind(example, x);
  const draws = drawsFor(body, recorder, spec, scope, 'graph');
  const results = recorder.record(() => fn(example, new Sampler(0, 0, draws)));
  body.outputs = Object.fromEntries(results.map((t, i) => [names[i], recorder.graphTensor(t)]));
  tf.dispose([...results, example]);
  adoptNoise(body, draws);
  return body;
}

/** A handle input and one read of every variable, standing for the eager variables in the recording; the handles by key. */
function readAll(body: Body, recorder: OpRecorder, state: StateVariable[], scope: string): Map<string, string> {
  return new Map(state.map((s) => {
    const handle = body.resource(s.key);
    recorder.bind(s.variable, body.graph.readVariable(handle, s.variable.shape, `${scope}/read/${s.key}`));
    return [s.key, handle];
  }));
}

/** In-graph random ops seeded by a new `seed` input, with the generator of the body's execution, or noise inputs for tests. */
function drawsFor(body: Body, recorder: OpRecorder, spec: GraphSpec, scope: string, execution: Execution): GraphDraws {
  const source: NoiseSource = spec.noiseAsInputs ? { kind: 'inputs' }
    : { kind: 'random', seed: body.input('seed', DataType.INT32, []), generator: execution === 'xla' ? 'threefry' : 'philox' };
  return new GraphDraws(body.graph, recorder, source, scope);
}

/** The draws' noise placeholders (tests) become inputs noise_<i>, in drawing order. */
function adoptNoise(body: Body, draws: GraphDraws): void {
  draws.noiseInputs.forEach((t, i) => body.adopt(`noise_${i}`, t));
}

function getState(graph: GraphBuilder, state: StateVariable[]): Signature {
  const outputs = Object.fromEntries(state.map((s) => [s.key, graph.identity(`get_state/${s.key}`, graph.readVariable(s.handle, s.variable.shape, `get_state/read/${s.key}`))]));
  return { inputs: {}, outputs };
}

function setState(graph: GraphBuilder, state: StateVariable[]): Signature {
  const inputs = Object.fromEntries(state.map((s) => [s.key, graph.placeholder(`set_state/${s.key}`, DataType.FLOAT, s.variable.shape)]));
  // The variables keep copies: what is fed may be JavaScript's memory (GraphBuilder.deepCopy).
  const assigns = state.map((s) => graph.assignVariable(s.handle, graph.deepCopy(`set_state/copy/${s.key}`, inputs[s.key]).ref, `set_state/assign/${s.key}`));
  return { inputs, outputs: { done: graph.identity('set_state/done', graph.floatScalar('set_state/zero', 0), assigns) } };
}

/** The main op: every variable filled with zeros (set_state then writes the real values). */
function initializer(graph: GraphBuilder, state: StateVariable[]): string {
  const zero = graph.floatScalar('init/zero', 0);
  const assigns = state.map((s) => {
    const zeros = graph.add('Fill', `init/zeros/${s.key}`, [graph.int32Vector(`init/shape/${s.key}`, s.variable.shape).ref, zero.ref],
      { T: { type: DataType.FLOAT }, index_type: { type: DataType.INT32 } });
    return graph.assignVariable(s.handle, zeros, `init/assign/${s.key}`);
  });
  return graph.noOp('init/main', assigns);
}
