// L_K estimates of log p(x) (Burda et al. 2015: test NLL = -L_5000), computed
// in chunks of samples so that memory stays bounded for any K.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { logWeights } from '../objectives/logWeights';
import { logMeanExp } from '../math/logMeanExp';

/** Rows of the decoder's input per chunk: bounds the largest activation at rows x D floats. */
export const ROWS_PER_CHUNK = 5000;

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

export interface LikelihoodEstimate {
  /** Mean L_K over the examples (nats); the test NLL is its negative. */
  mean: number;
  /** Standard error of the mean over examples. */
  standardError: number;
  perExample: Float32Array;
}

export interface EvaluationControl {
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/** What computes L_K per example for a batch x [b, D], and the b it wants. */
export interface BoundEstimator {
  batchSize: number;
  bound(x: Tensor): Tensor;
}

/** The eager estimator: enough examples per call that one chunk of samples fills ROWS_PER_CHUNK rows. */
export function eagerBoundEstimator(model: LatentVariableModel, k: number, sampler: Sampler): BoundEstimator {
  return { batchSize: Math.min(100, Math.max(1, Math.floor(ROWS_PER_CHUNK / k))), bound: (x) => logLikelihoodBound(model, x, k, sampler) };
}

/** L_K over all rows of `data` [N, D], `estimator.batchSize` examples at a time. Returns undefined if stopped. */
export async function estimateLogLikelihood(estimator: BoundEstimator, data: Tensor,
  control: EvaluationControl = {}): Promise<LikelihoodEstimate | undefined> {
  const n = data.shape[0];
  const batch = estimator.batchSize;
  const perExample = new Float32Array(n);
  for (let start = 0; start < n; start += batch) {
    if (control.shouldStop?.()) return undefined;
    const size = Math.min(batch, n - start);
    const bound = tf.tidy(() => estimator.bound(data.slice([start, 0], [size, -1])));
    perExample.set(await bound.data() as Float32Array, start);
    bound.dispose();
    control.onProgress?.(start + size, n);
  }
  return summarize(perExample);
}

export function summarize(values: Float32Array): LikelihoodEstimate {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, standardError: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0, perExample: values };
}
