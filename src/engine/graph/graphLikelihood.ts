// The test NLL's log weights through a recorded graph: at K = 5000 the eager
// ops leave the machine idle between kernels, and one graph call per example
// runs about 1.5x faster (docs/benchmarks.md). Same model code, recorded.
import type { LogWeightEstimator } from '../evaluate/logLikelihood';
import type { Sampler } from '../random/sampler';
import type { GraphSession } from './graphSession';

/** Examples per call of the recorded log weights: one, the fastest here. */
export const GRAPH_EVALUATION_BATCH = 1;

/** The log weights of `session`'s current weights; each call takes one key of `sampler` (its draw i is seeded by (key, i)). */
export function graphLogWeightEstimator(session: GraphSession, sampler: Sampler): LogWeightEstimator {
  return { batchSize: GRAPH_EVALUATION_BATCH, logWeights: (x) => session.logWeights(x, sampler.nextSeed()) };
}
