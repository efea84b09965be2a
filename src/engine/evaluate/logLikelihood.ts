// L_K estimates of log p(x) (Burda et al. 2015: test NLL = -L_5000). The N log
// weights per example are drawn once, in chunks of samples so that memory stays
// bounded for any N, and every bound is computed from them: L_N itself and the
// bound-vs-K ladder (boundVsK.ts), per example.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { logWeights } from '../objectives/logWeights';
import { logMeanExp } from '../math/logMeanExp';
import { boundLadder } from './boundVsK';

/** Rows of the decoder's input per chunk: bounds the largest activation at rows x D floats. */
export const ROWS_PER_CHUNK = 5000;

/** Examples whose log weights are turned into bounds together: few enough that [N, b] stays small, enough that the ladder's ops are few. */
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

/** L_K of every example for every K of `ks` (each <= N): ks.length arrays of n values. Undefined if stopped. */
export async function estimateBounds(estimator: LogWeightEstimator, data: Tensor, ks: readonly number[],
  control: EvaluationControl = {}): Promise<Float32Array[] | undefined> {
  const n = data.shape[0];
  const perK = ks.map(() => new Float32Array(n));
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
      const bounds = tf.tidy(() => boundLadder(tf.concat(parts, 1), ks)); // [ks.length, size]
      const values = await bounds.data() as Float32Array;
      bounds.dispose();
      perK.forEach((row, i) => row.set(values.subarray(i * size, (i + 1) * size), start));
    } finally {
      tf.dispose(parts);
    }
  }
  return perK;
}
