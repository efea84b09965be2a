// The graph path of a process: its optimizer steps compiled whole by XLA where
// TensorFlow can, with the kernel-by-kernel graph and then the eager path as
// fallbacks. The first session it records decides for the whole process: when
// XLA refuses this run's step (XlaRefused), every session of the process runs
// kernel by kernel; when the step cannot be recorded at all (GraphUnsupported),
// every step and every L_K estimate runs eagerly; `choice` says which, and why.
// One deterministic rule, not a timing: each execution draws its noise with its
// own generator (graphDraws.ts), and a timed choice would let two processes
// give different numbers for one checkpoint and seed. XLA trained faster than
// the kernel-by-kernel graph at every benchmark shape, and the -L_5000 log
// weights ran faster kernel by kernel (docs/benchmarks.md): so the L_K
// estimates of every process run kernel by kernel (`evaluationChoice`), and
// an evaluation gives the same numbers whether its process trains or not.
// A training run's session records its test NLL's log weights beside the step,
// so that one recording decides both, and the trainer's evaluations read the
// live weights without a copy. Evaluation-only sessions are made once per
// (model, run, N) and kept; a process whose first session evaluates keeps to
// the kernel-by-kernel graph.
import type { StepPathChoice } from '../../shared/events';
import { eagerLogWeightEstimator, type LogWeightEstimator } from '../evaluate/logLikelihood';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { Adam } from '../train/adam';
import type { RunShape, StepPath } from '../train/stepPath';
import { blockSizes, EagerStepRunner, type StepRunner, type StepSetup } from '../train/stepRunner';
import { GRAPH_EVALUATION_BATCH, graphLogWeightEstimator } from './graphLikelihood';
import { XlaRefused } from './graphFunction';
import { GraphSession } from './graphSession';
import { GraphStepRunner } from './graphStepRunner';
import { GraphUnsupported } from './opRecorder';
import { stateVariables, type Execution, type GraphSpec } from './trainingGraph';

export interface GraphStepPathOptions {
  /** `graph`: fail rather than fall back to the eager path (tests, benchmarks). */
  prefer?: 'auto' | 'graph';
  /** `graph`: never try XLA, run kernel by kernel (tests, benchmarks). */
  execution?: 'auto' | 'graph';
  /** At most this many steps per call (default: as many as the trainer asks for); 1 for one call per step (tests, benchmarks). */
  maxStepsPerCall?: number;
  /** Records and loads a session (tests count or refuse the recordings). */
  record?: (spec: GraphSpec) => Promise<GraphSession>;
}

export class GraphStepPath implements StepPath {
  private decided?: StepPathChoice;
  /** The training session, which holds `model`'s live weights. */
  private live?: { model: LatentVariableModel; k: number; session: GraphSession };
  private readonly evaluations = new Map<string, GraphSession>();

  private readonly prefer: 'auto' | 'graph';
  private readonly firstTry: Execution;
  private readonly maxStepsPerCall: number;
  private readonly record: (spec: GraphSpec) => Promise<GraphSession>;

  constructor(o: GraphStepPathOptions = {}) {
    this.prefer = o.prefer ?? 'auto';
    this.firstTry = o.execution === 'graph' ? 'graph' : 'xla';
    this.maxStepsPerCall = o.maxStepsPerCall ?? Infinity;
    this.record = o.record ?? ((spec) => GraphSession.create(spec));
  }

  get choice(): StepPathChoice | undefined {
    return this.decided;
  }

  get evaluationChoice(): StepPathChoice | undefined {
    return this.decided?.path === 'xla' ? { path: 'graph' } : this.decided;
  }

  async stepRunner(s: StepSetup): Promise<StepRunner> {
    const stepsPerCall = Math.min(s.stepsPerCall ?? 1, this.maxStepsPerCall);
    const session = await this.session({ ...specOf(s.model, s, s.evalK), blockSizes: blockSizes(stepsPerCall) }, this.firstTry);
    if (!session) return new EagerStepRunner(s);
    const live = { model: s.model, k: s.evalK, session };
    try {
      const runner = new GraphStepRunner({ ...s, stepsPerCall }, session, () => {
        if (this.live === live) this.live = undefined;
        session.dispose();
      });
      this.live = live;
      return runner;
    } catch (err) {
      session.dispose();
      throw err;
    }
  }

  async logWeightEstimator(model: LatentVariableModel, run: RunShape, n: number, sampler: Sampler): Promise<LogWeightEstimator> {
    if (this.live?.model === model && this.live.k === n) return graphLogWeightEstimator(this.live.session, sampler);
    const spec = specOf(model, run, n);
    const key = JSON.stringify(spec);
    let session = this.evaluations.get(key);
    if (!session) {
      session = await this.session(spec, 'graph');
      if (!session) return eagerLogWeightEstimator(model, n, sampler);
      this.evaluations.set(key, session);
    }
    // Fresh moments are zeros: the evaluation never reads them, set_state wants them.
    const adam = new Adam(model.params);
    try {
      session.setState(stateVariables(model.params, adam));
    } finally {
      adam.dispose();
    }
    return graphLogWeightEstimator(session, sampler);
  }

  dispose(): void {
    for (const session of this.evaluations.values()) session.dispose();
    this.evaluations.clear();
  }

  /**
   * A recorded session for `shape` whose step runs as decided, or (before the
   * decision) as `first`; undefined once the process has fallen back to the eager path.
   */
  private async session(shape: Omit<GraphSpec, 'execution'>, first: Execution): Promise<GraphSession | undefined> {
    if (this.decided?.path === 'eager') return undefined;
    const execution = this.decided?.path ?? first;
    try {
      const session = await this.record({ ...shape, execution });
      this.decided ??= { path: execution };
      return session;
    } catch (err) {
      if (this.decided) throw err;
      if (err instanceof XlaRefused) {
        this.decided = { path: 'graph', fallbackReason: `XLA cannot compile this run's step: ${err.message}` };
        return this.session(shape, 'graph');
      }
      if (this.prefer === 'graph' || !(err instanceof GraphUnsupported)) throw err;
      this.decided = { path: 'eager', fallbackReason: `the graph cannot record this run's step: ${err.message}` };
      return undefined;
    }
  }
}

/** The same spec for a run's training and for its evaluation alone: the two record the same log-weight graph. */
function specOf(model: LatentVariableModel, run: RunShape, n: number): Omit<GraphSpec, 'execution'> {
  return {
    model: model.config, objective: run.objective, batchSize: run.batchSize, binarize: run.binarize,
    evaluation: { batchSize: GRAPH_EVALUATION_BATCH, k: n },
  };
}
