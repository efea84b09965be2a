// Training steps as calls into a graph session. The session owns the live
// weights and moments; the eager model and Adam are brought up to date only
// when someone is about to read them (checkpoints, evaluations done eagerly).
import { tf, type Tensor } from '../tf';
import type { StepResult, StepsResult } from '../train/step';
import { blockSizes, type StepRunner, type StepSetup } from '../train/stepRunner';
import type { GraphSession } from './graphSession';
import { stateVariables } from './trainingGraph';

export class GraphStepRunner implements StepRunner {
  private stale = false;
  /** The sizes the session was recorded with (its spec takes blockSizes of the same stepsPerCall). */
  readonly blockSizes: readonly number[];

  /** `session` holds a recording of this run's step and now takes the setup's weights and moments. */
  constructor(private readonly s: StepSetup, readonly session: GraphSession, private readonly onDispose: () => void) {
    session.setState(stateVariables(s.model.params, s.adam));
    this.blockSizes = blockSizes(this.stepsPerCall);
  }

  get stepsPerCall(): number {
    return this.s.stepsPerCall ?? 1;
  }


  step(x: Tensor, learningRate: number): StepResult {
    const { adam, sampler } = this.s;
    adam.step += 1;
    this.stale = true;
    return this.session.trainStep({ x, learningRate, step: adam.step, seed: sampler.nextSeed() });
  }

  steps(x: Tensor, learningRate: number): StepsResult {
    const { adam, sampler } = this.s;
    const n = x.shape[0];
    if (!this.blockSizes.includes(n)) throw new Error(`a call takes ${this.blockSizes.join(' or ')} steps, not ${n}`);
    const seeds = Array.from({ length: n }, () => sampler.nextSeed());
    const first = adam.step + 1;
    adam.step += n;
    this.stale = true;
    return this.session.trainSteps({ x, learningRate, step: first, seeds });
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
    this.onDispose();
  }
}
