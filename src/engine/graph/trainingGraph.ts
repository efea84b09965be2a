// The SavedModel of a run's hot loops, derived from the eager engine itself:
// one optimizer step (and optionally one L_K evaluation) is executed once on
// a scratch copy of the model while an OpRecorder writes down the TensorFlow
// ops it runs. The weights and Adam moments become resource variables, the
// batch, learning rate, step number and seed become inputs, and the sampler's
// draws become in-graph random ops; the update is TensorFlow's fused Adam
// kernel (fusedAdam.ts).
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
import { OpRecorder } from './opRecorder';
import { fusedAdamUpdates } from './fusedAdam';
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
}

/**
 * Decoder rows per chunk of the recorded log weights. In a graph the chunks are
 * independent nodes that the two inter-op threads run side by side, and a
 * [500, 784] activation stays in cache: -L_5000 ran about 15% faster here than
 * with the eager path's 5,000-row chunks.
 */
const GRAPH_ROWS_PER_CHUNK = 500;

export const SIGNATURES = { train: 'train_step', logWeights: 'log_weights', getState: 'get_state', setState: 'set_state' } as const;

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

/** Writes the SavedModel for `spec` into `dir`; returns the state keys in signature order. */
export function writeTrainingGraph(dir: string, spec: GraphSpec): string[] {
  const scratch = new LatentVariableModel(spec.model, new Sampler(0));
  const adam = new Adam(scratch.params);
  try {
    const graph = new GraphBuilder();
    const state = [...stateVariables(scratch.params, adam)].map(([key, variable]) => ({ key, variable, handle: graph.variable(key, variable.shape) }));
    const signatures: Record<string, Signature> = {
      [SIGNATURES.train]: recordTrainStep(graph, state, scratch, adam, spec),
      [SIGNATURES.getState]: getState(graph, state),
      [SIGNATURES.setState]: setState(graph, state),
    };
    if (spec.evaluation) {
      const { batchSize, k } = spec.evaluation;
      const record = (scope: string, names: string[], fn: (x: Tensor, sampler: Sampler) => Tensor[]) =>
        recordOnExamples(graph, state, spec, scope, batchSize, names, fn);
      signatures[SIGNATURES.logWeights] = record('eval', ['logWeights'], (x, sampler) => [chunkedLogWeights(scratch, x, k, sampler, GRAPH_ROWS_PER_CHUNK)]);
    }
    writeSavedModel(dir, graph, initializer(graph, state), signatures);
    return state.map((s) => s.key);
  } finally {
    scratch.dispose();
    adam.dispose();
  }
}

function recordTrainStep(graph: GraphBuilder, state: StateVariable[], model: LatentVariableModel, adam: Adam, spec: GraphSpec): Signature {
  const scope = 'train';
  const recorder = new OpRecorder(graph, scope);
  readAll(graph, recorder, state, scope);
  const inputs: Record<string, GraphTensor> = {
    x: graph.placeholder(`${scope}/x`, DataType.FLOAT, [spec.batchSize, spec.model.inputDim]),
    learning_rate: graph.placeholder(`${scope}/learning_rate`, DataType.FLOAT, []),
    step: graph.placeholder(`${scope}/step`, DataType.FLOAT, []),
  };
  const examples = { x: tf.fill(inputs.x.shape, 0.5), learningRate: tf.scalar(1e-3), step: tf.scalar(1) };
  recorder.bind(examples.x, inputs.x);
  recorder.bind(examples.learningRate, inputs.learning_rate);
  recorder.bind(examples.step, inputs.step);
  const draws = drawsFor(graph, recorder, spec, scope, inputs);
  const { bound, essFraction, grads } = recorder.record(() => tf.tidy(() => {
    const sampler = new Sampler(0, 0, draws);
    const x = spec.binarize ? binarize(examples.x, sampler) : examples.x;
    return boundAndGradients(model, spec.objective, x, sampler);
  }));
  const handle = new Map(state.map((s) => [s.key, s.handle]));
  const slots = [...model.params.keys()].map((name) => ({
    name, param: handle.get(name)!, m: handle.get(momentKey('m', name))!, v: handle.get(momentKey('v', name))!,
  }));
  const updates = fusedAdamUpdates(graph, recorder, adam, slots, grads, examples.learningRate as Scalar, examples.step as Scalar, scope);
  const outputs = {
    bound: graph.identity(`${scope}/bound`, recorder.graphTensor(bound), updates),
    essFraction: graph.identity(`${scope}/essFraction`, recorder.graphTensor(essFraction), updates),
  };
  tf.dispose([bound, essFraction, ...Object.values(grads), ...Object.values(examples)]);
  draws.noiseInputs.forEach((t, i) => { inputs[`noise_${i}`] = t; });
  return { inputs, outputs };
}

/** A signature computing `fn` on `batchSize` examples x with the current weights, its outputs named `names`. */
function recordOnExamples(graph: GraphBuilder, state: StateVariable[], spec: GraphSpec, scope: string, batchSize: number,
  names: string[], fn: (x: Tensor, sampler: Sampler) => Tensor[]): Signature {
  const recorder = new OpRecorder(graph, scope);
  readAll(graph, recorder, state, scope);
  const inputs: Record<string, GraphTensor> = { x: graph.placeholder(`${scope}/x`, DataType.FLOAT, [batchSize, spec.model.inputDim]) };
  const example = tf.fill(inputs.x.shape, 0.5);
  recorder.bind(example, inputs.x);
  const draws = drawsFor(graph, recorder, spec, scope, inputs);
  const results = recorder.record(() => fn(example, new Sampler(0, 0, draws)));
  const outputs = Object.fromEntries(results.map((t, i) => [names[i], graph.identity(`${scope}/${names[i]}`, recorder.graphTensor(t))]));
  tf.dispose([...results, example]);
  draws.noiseInputs.forEach((t, i) => { inputs[`noise_${i}`] = t; });
  return { inputs, outputs };
}

/** One read of every variable, standing for the eager variables in the recording. */
function readAll(graph: GraphBuilder, recorder: OpRecorder, state: StateVariable[], scope: string): GraphTensor[] {
  return state.map((s) => {
    const read = graph.readVariable(s.handle, s.variable.shape, `${scope}/read/${s.key}`);
    recorder.bind(s.variable, read);
    return read;
  });
}

/** In-graph random ops seeded by a new `seed` input, or noise inputs for tests. */
function drawsFor(graph: GraphBuilder, recorder: OpRecorder, spec: GraphSpec, scope: string, inputs: Record<string, GraphTensor>): GraphDraws {
  let source: NoiseSource = { kind: 'inputs' };
  if (!spec.noiseAsInputs) {
    inputs.seed = graph.placeholder(`${scope}/seed`, DataType.INT32, []);
    source = { kind: 'random', seed: inputs.seed };
  }
  return new GraphDraws(graph, recorder, source, scope);
}

function getState(graph: GraphBuilder, state: StateVariable[]): Signature {
  const outputs = Object.fromEntries(state.map((s) => [s.key, graph.identity(`get_state/${s.key}`, graph.readVariable(s.handle, s.variable.shape, `get_state/read/${s.key}`))]));
  return { inputs: {}, outputs };
}

function setState(graph: GraphBuilder, state: StateVariable[]): Signature {
  const inputs = Object.fromEntries(state.map((s) => [s.key, graph.placeholder(`set_state/${s.key}`, DataType.FLOAT, s.variable.shape)]));
  const assigns = state.map((s) => graph.assignVariable(s.handle, inputs[s.key].ref, `set_state/assign/${s.key}`));
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
