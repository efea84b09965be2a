// The test NLL's L_K through a recorded evaluation graph: at K = 5000 the eager
// ops leave the machine idle between kernels, and one graph call per example
// runs about 1.5x faster (docs/benchmarks.md). Same model code, recorded.
import type { Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import { objectiveConfig } from '../objectives/objective';
import type { Sampler } from '../random/sampler';
import { eagerBoundEstimator, estimateLogLikelihood, type EvaluationControl, type LikelihoodEstimate } from '../evaluate/logLikelihood';
import { GraphSession } from './graphSession';
import { GraphUnsupported } from './opRecorder';
import { stateVariables } from './trainingGraph';
import { Adam } from '../train/adam';

/** estimateLogLikelihood on the graph path, or eagerly when this model cannot be recorded. */
export async function estimateLogLikelihoodFast(model: LatentVariableModel, data: Tensor, k: number, sampler: Sampler,
  control: EvaluationControl = {}): Promise<LikelihoodEstimate | undefined> {
  let session: GraphSession;
  try {
    session = await evaluationSession(model, k);
  } catch (err) {
    if (!(err instanceof GraphUnsupported)) throw err;
    return estimateLogLikelihood(eagerBoundEstimator(model, k, sampler), data, control);
  }
  try {
    return await estimateLogLikelihood({ batchSize: 1, bound: (x) => session.evaluate(x, sampler.nextSeed()) }, data, control);
  } finally {
    session.dispose();
  }
}

/** A session holding `model`'s weights whose eval_bound takes one example. */
async function evaluationSession(model: LatentVariableModel, k: number): Promise<GraphSession> {
  // The session always records a training step too; which objective does not matter here.
  const session = await GraphSession.create({
    model: model.config, objective: objectiveConfig({ kind: 'vae', k: 1 }), batchSize: 1, binarize: false, evaluation: { batchSize: 1, k },
  });
  // A fresh Adam's moments are zeros: the evaluation never reads them, set_state wants them.
  const adam = new Adam(model.params);
  try {
    session.setState(stateVariables(model.params, adam));
    return session;
  } catch (err) {
    session.dispose();
    throw err;
  } finally {
    adam.dispose();
  }
}
