// L_K estimates of log p(x) (Burda et al. 2015: test NLL = -L_5000). The N log
// weights per example are drawn once, in chunks of samples so that memory stays
// bounded for any N, and analyzed per example as soon as a block of examples
// is drawn (diagnostics/logWeightAnalysis.ts): by an evaluation, L_N with the
// ladder of L_K for smaller K, the jackknife, ESS and k-hat; by a per-epoch
// -L_N, L_N alone, as the rest costs about a tenth of the draws' time.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { logWeights } from '../objectives/logWeights';
import { logMeanExp } from '../math/logMeanExp';

/** Rows of the decoder's input per chunk: bounds the largest activation at rows x D floats. */
export const ROWS_PER_CHUNK = 5000;

/** Examples whose log weights are read back and analyzed together: few enough that [N, b] stays small (2 MB at N = 5000). */
export const EXAMPLES_PER_SUMMARY = 100;

/** Log weights [K, B] for x [B, D], drawn chunk by chunk. */
export function chunkedLogWeights(model: LatentVariableModel, x: Tensor, k: number, sampler: Sampler, rowsPerChunk = ROWS_PER_CHUNK): Tensor {
  const b = x.shape[0];
  const perChunk = Math.max(1, Math.floor(rowsPerChunk / b));
  const parts: Tensor[] = [];
  for (let done = 0; done < k; done += perChunk) {
    const n = Math.min(perChunk, k - done);
    parts.push(tf.tidy(() => logWeights(model, x, model.posterior(x, n, sampler))));
  }
  const lw = tf.concat(parts, 0);
  tf.dispose(parts);
  return lw;
}

/** L_K per example [B]. */
export function logLikelihoodBound(model: LatentVariableModel, x: Tensor, k: number, sampler: Sampler, rowsPerChunk = ROWS_PER_CHUNK): Tensor {
  return tf.tidy(() => logMeanExp(chunkedLogWeights(model, x, k, sampler, rowsPerChunk), 0));
}

/** What draws the N log weights of a batch of examples, and how many examples it wants per call. */
export interface LogWeightEstimator {
  readonly batchSize: number;
  /** x [b, D] -> [N, b]; each call takes one key of the estimator's sampler. */
  logWeights(x: Tensor): Tensor;
}

/** The eager estimator: enough examples per call that one chunk of samples fills ROWS_PER_CHUNK rows. */
export function eagerLogWeightEstimator(model: LatentVariableModel, n: number, sampler: Sampler): LogWeightEstimator {
  return {
    batchSize: Math.min(100, Math.max(1, Math.floor(ROWS_PER_CHUNK / n))),
    logWeights: (x) => chunkedLogWeights(model, x, n, sampler.split()),
  };
}

export interface EvaluationControl {
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/** `analyze` of every example's N log weights, in the order of `data`'s rows; it takes them [N, b], a block of examples at a time. Undefined if stopped. */
export async function estimateBounds<T>(estimator: LogWeightEstimator, data: Tensor, analyze: (lw: Tensor) => Promise<T[]>,
  control: EvaluationControl = {}): Promise<T[] | undefined> {
  const n = data.shape[0];
  const analyses: T[] = [];
  const group = Math.max(EXAMPLES_PER_SUMMARY, estimator.batchSize);
  for (let start = 0; start < n; start += group) {
    const size = Math.min(group, n - start);
    const parts: Tensor[] = [];
    try {
      for (let done = 0; done < size; done += estimator.batchSize) {
        if (control.shouldStop?.()) return undefined;
        const b = Math.min(estimator.batchSize, size - done);
        parts.push(tf.tidy(() => estimator.logWeights(data.slice([start + done, 0], [b, -1]))));
        control.onProgress?.(start + done + b, n);
        // Let messages (a stop, a cancel) in between calls.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const lw = tf.concat(parts, 1); // [N, size]
      try {
        analyses.push(...await analyze(lw));
      } catch (err) {
        throw new Error(`held-out examples ${start + 1}-${start + size}: ${(err as Error).message}`);
      } finally {
        lw.dispose();
      }
    } finally {
      tf.dispose(parts);
    }
  }
  return analyses;
}
