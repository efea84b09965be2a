// Training steps as calls into a graph session. The session owns the live
// weights and moments; the eager model and Adam are brought up to date only
// when someone is about to read them (evaluation, images, checkpoints).
import { tf, type Scalar, type Tensor } from '../tf';
import { EagerStepRunner, type StepRunner, type StepSetup } from '../train/stepRunner';
import { GraphSession } from './graphSession';
import { GraphUnsupported } from './opRecorder';
import { stateVariables } from './trainingGraph';

export class GraphStepRunner implements StepRunner {
  readonly path = 'graph';
  private stale = false;

  private constructor(private readonly s: StepSetup, private readonly session: GraphSession) {}

  static async create(s: StepSetup): Promise<GraphStepRunner> {
    const session = await GraphSession.create({ model: s.model.config, objective: s.objective, batchSize: s.batchSize, binarize: s.binarize });
    const runner = new GraphStepRunner(s, session);
    try {
      session.setState(stateVariables(s.model.params, s.adam));
    } catch (err) {
      session.dispose();
      throw err;
    }
    return runner;
  }

  step(x: Tensor, learningRate: number): Scalar {
    const { adam, sampler } = this.s;
    adam.step += 1;
    this.stale = true;
    return this.session.trainStep({ x, learningRate, step: adam.step, seed: sampler.nextSeed() });
  }

  syncEager(): void {
    if (!this.stale) return;
    const current = stateVariables(this.s.model.params, this.s.adam);
    const values = this.session.getState();
    for (const [key, value] of values) current.get(key)!.assign(value);
    tf.dispose([...values.values()]);
    this.stale = false;
  }

  dispose(): void {
    this.session.dispose();
  }
}

/** The graph path when it can record this run's step, else the eager path and why. */
export async function createStepRunner(s: StepSetup, prefer: 'auto' | 'graph' | 'eager' = 'auto'): Promise<{ runner: StepRunner; note?: string }> {
  if (prefer === 'eager') return { runner: new EagerStepRunner(s) };
  try {
    return { runner: await GraphStepRunner.create(s) };
  } catch (err) {
    if (prefer === 'graph' || !(err instanceof GraphUnsupported)) throw err;
    return { runner: new EagerStepRunner(s), note: `graph path unavailable (${err.message}); training eagerly` };
  }
}
