// A linear-Gaussian latent model, p(z) = N(0, I), p(x|z) = N(Wz + b, s^2 I),
// whose marginal log p(x) and posterior are known exactly. W has orthogonal
// columns, so the exact posterior is a diagonal Gaussian that our encoder can
// represent: the bound must then equal log p(x) for every K.
import { tf } from '../../src/engine/tf';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import type { ModelConfig } from '../../src/engine/models/config';
import { Sampler } from '../../src/engine/random/sampler';

export const D = 6;
export const Z = 2;
export const S = 0.5;

// Orthogonal columns with different norms.
export const W: number[][] = [
  [1.0, 0.5], [1.0, -0.5], [1.0, 0.5], [1.0, -0.5], [0.0, 1.0], [0.0, -1.0],
];
export const B = [0.3, -0.2, 0.1, 0.0, 0.5, -0.4];

const colNorm2 = [0, 1].map((j) => W.reduce((s, row) => s + row[j] ** 2, 0));
/** Exact posterior variances: 1 / (1 + ||w_j||^2 / s^2). */
export const POSTERIOR_VAR = colNorm2.map((n) => 1 / (1 + n / S ** 2));

/** log N(x; b, W W^T + s^2 I) of this model, in float64. */
export function exactLogMarginal(x: number[]): number {
  return gaussianLogMarginal(W, B, S, x);
}

/** A model with linear encoder and decoder (no hidden layers) set to this generative model.
 * `posteriorShift` moves q's mean and `posteriorScale` multiplies its standard deviations:
 * (0, 1) is the exact posterior. */
export function linearGaussianModel(posteriorShift = 0, posteriorScale = 1): LatentVariableModel {
  const model = linearDecoderModel(W, B, S);
  // Posterior mean = Sigma W^T (x - b) / s^2, i.e. x K + c with K = W Sigma / s^2 [D, Z], c = -b K.
  const K = W.map((row) => row.map((w, j) => (w * POSTERIOR_VAR[j]) / S ** 2));
  const c = [0, 1].map((j) => -B.reduce((s, b, i) => s + b * K[i][j], 0) + posteriorShift);
  tf.tidy(() => {
    (model.params.get('q.0.0.kernel') as tf.Variable).assign(tf.tensor2d(W.map((_, i) => [...K[i], 0, 0])));
    (model.params.get('q.0.0.bias') as tf.Variable).assign(tf.tensor1d([...c, ...POSTERIOR_VAR.map((v) => 0.5 * Math.log(v) + Math.log(posteriorScale))]));
  });
  return model;
}

/** A few data points drawn from the model (fixed, so tests are reproducible). */
export function linearGaussianData(n: number, seed = 7): number[][] {
  return linearGaussianPoints(W, B, S, n, seed);
}

/** log N(x; b, W W^T + s^2 I) for any W [D, Z], in float64 by a Cholesky factorization. */
export function gaussianLogMarginal(w: number[][], b: number[], s: number, x: number[]): number {
  const d = b.length;
  const c = w.map((wi, i) => w.map((wj, j) => wi.reduce((sum, v, k) => sum + v * wj[k], 0) + (i === j ? s * s : 0)));
  const l = c.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = c[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(sum) : sum / l[j][j];
    }
  }
  // Solve L y = x - b: the quadratic form is |y|^2, log det C = 2 sum log L_ii.
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let sum = x[i] - b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const logDet = 2 * l.reduce((sum, row, i) => sum + Math.log(row[i]), 0);
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + y.reduce((sum, v) => sum + v * v, 0));
}

/** A model whose decoder is set to x ~ N(W z + b, s^2 I), z ~ N(0, I), with linear
 * networks (no hidden layers); its inference network keeps its random start. */
export function linearDecoderModel(w: number[][], b: number[], s: number, overrides: Partial<ModelConfig> = {}, seed = 0): LatentVariableModel {
  const model = new LatentVariableModel({
    inputDim: b.length, layers: [{ hidden: [], latent: w[0].length }], posterior: 'normal', prior: 'normal', priorComponents: 0,
    likelihood: 'gaussian-fixed', likelihoodScale: s, ...overrides,
  }, new Sampler(seed));
  tf.tidy(() => {
    model.params.get('p.0.0.kernel')?.assign(tf.tensor2d(w).transpose());
    model.params.get('p.0.0.bias')?.assign(tf.tensor1d(b));
  });
  return model;
}

/** n points drawn from x ~ N(W z + b, s^2 I), z ~ N(0, I). */
export function linearGaussianPoints(w: number[][], b: number[], s: number, n: number, seed: number): number[][] {
  return tf.tidy(() => {
    const sampler = new Sampler(seed);
    const z = sampler.normal([n, w[0].length]);
    return z.matMul(tf.tensor2d(w).transpose()).add(tf.tensor1d(b)).add(sampler.normal([n, b.length]).mul(s)).arraySync() as number[][];
  });
}
