// The graph path of a process, with the eager path as its fallback. The first
// session it records decides for the whole process: when this run's step cannot
// be recorded (GraphUnsupported), every step and every L_K estimate of the
// process runs eagerly, and `choice` says why. A training run's session records
// its test NLL's log weights beside the step, so that one recording decides
// both, and the trainer's evaluations read the live weights without a copy.
// Evaluation-only sessions are made once per (model, run, N) and kept.
import type { StepPathChoice } from '../../shared/events';
import { eagerLogWeightEstimator, type LogWeightEstimator } from '../evaluate/logLikelihood';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { Adam } from '../train/adam';
import type { RunShape, StepPath } from '../train/stepPath';
import { EagerStepRunner, type StepRunner, type StepSetup } from '../train/stepRunner';
import { GRAPH_EVALUATION_BATCH, graphLogWeightEstimator } from './graphLikelihood';
import { GraphSession } from './graphSession';
import { GraphStepRunner } from './graphStepRunner';
import { GraphUnsupported } from './opRecorder';
import { stateVariables, type GraphSpec } from './trainingGraph';

export interface GraphStepPathOptions {
  /** `graph`: fail rather than fall back (tests, benchmarks). */
  prefer?: 'auto' | 'graph';
  /** Records and loads a session (tests count or refuse the recordings). */
  record?: (spec: GraphSpec) => Promise<GraphSession>;
}

export class GraphStepPath implements StepPath {
  private decided?: StepPathChoice;
  /** The training session, which holds `model`'s live weights. */
  private live?: { model: LatentVariableModel; k: number; session: GraphSession };
  private readonly evaluations = new Map<string, GraphSession>();

  private readonly prefer: 'auto' | 'graph';
  private readonly record: (spec: GraphSpec) => Promise<GraphSession>;

  constructor(o: GraphStepPathOptions = {}) {
    this.prefer = o.prefer ?? 'auto';
    this.record = o.record ?? ((spec) => GraphSession.create(spec));
  }

  get choice(): StepPathChoice | undefined {
    return this.decided;
  }

  async stepRunner(s: StepSetup): Promise<StepRunner> {
    const session = await this.session(specOf(s.model, s, s.evalK));
    if (!session) return new EagerStepRunner(s);
    const live = { model: s.model, k: s.evalK, session };
    try {
      const runner = new GraphStepRunner(s, session, () => {
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
      session = await this.session(spec);
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

  /** A recorded session for `spec`, or undefined once the process has fallen back to the eager path. */
  private async session(spec: GraphSpec): Promise<GraphSession | undefined> {
    if (this.decided?.path === 'eager') return undefined;
    try {
      const session = await this.record(spec);
      this.decided = { path: 'graph' };
      return session;
    } catch (err) {
      if (this.prefer === 'graph' || this.decided || !(err instanceof GraphUnsupported)) throw err;
      this.decided = { path: 'eager', fallbackReason: `the graph cannot record this run's step: ${err.message}` };
      return undefined;
    }
  }
}

/** The same spec for a run's training and for its evaluation alone: the two record the same log-weight graph. */
function specOf(model: LatentVariableModel, run: RunShape, n: number): GraphSpec {
  return {
    model: model.config, objective: run.objective, batchSize: run.batchSize, binarize: run.binarize,
    evaluation: { batchSize: GRAPH_EVALUATION_BATCH, k: n },
  };
}
