// The signal-to-noise ratio of gradient estimators (Rainforth et al. 2018):
// at fixed parameters, many independent draws Delta of an estimator's
// gradient on the same examples; per parameter SNR = |E[Delta]| / sd[Delta],
// summarized per network; and the directional SNR, E[|Delta_par| / |Delta_perp|]
// for the components of Delta along and across the mean gradient. How these
// move with K is the question: the paper shows the generative network's SNR
// grows like sqrt(K) while the standard estimator's SNR for the inference
// network falls like 1/sqrt(K); DReG's does not fall.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Params } from '../models/params';
import { objectiveConfig, type GradientEstimator, type ObjectiveConfig } from '../objectives/objective';
import { Sampler, mix32 } from '../random/sampler';
import { boundAndGradients } from '../train/step';
import { applyMap, leastSquaresMap } from '../math/leastSquares';
import { quantile } from '../math/statistics';
import { Network, type GradientSnrStudy, type SnrCell, type SnrSlope, type SnrSummary } from '../../shared/diagnostics';

export const NETWORKS = Network.options;

/** Column indices of the flattened gradient [P] owned by each network: `q.` parameters are the inference network's, `p.` the generative network's. */
export function networkColumns(params: Params): Record<Network, number[]> {
  const columns: Record<Network, number[]> = { encoder: [], decoder: [] };
  let offset = 0;
  for (const [name, v] of params) {
    const network = name.startsWith('q.') ? 'encoder' : 'decoder';
    for (let i = 0; i < v.size; i++) columns[network].push(offset + i);
    offset += v.size;
  }
  return columns;
}

/** One draw of the estimator's gradient of the batch-mean bound at x, flattened over the parameters in order: [P]. */
export function gradientDraw(model: LatentVariableModel, objective: ObjectiveConfig, x: Tensor, sampler: Sampler): Tensor {
  return tf.tidy(() => {
    const { bound, grads, essFraction } = boundAndGradients(model, objective, x, sampler);
    tf.dispose([bound, essFraction]);
    return tf.concat([...model.params.keys()].map((n) => grads[n].reshape([-1])));
  });
}

/** `draws` independent draws of gradientDraw: [draws, P]. */
export function gradientDraws(model: LatentVariableModel, objective: ObjectiveConfig, x: Tensor, sampler: Sampler, draws: number): Tensor {
  return stackDraws(Array.from({ length: draws }, () => gradientDraw(model, objective, x, sampler)));
}

function stackDraws(rows: Tensor[]): Tensor {
  const stacked = tf.stack(rows);
  tf.dispose(rows);
  return stacked;
}

/** SNR of the draws [n, P] (one network's columns). */
export async function snrSummary(draws: Tensor): Promise<SnrSummary> {
  const snr = Float64Array.from(await readBack(tf.tidy(() => perParameterSnr(draws))));
  const defined = snr.filter((v) => Number.isFinite(v)).sort();
  if (defined.length === 0) throw new Error('every parameter has the same gradient in every draw: no SNR to summarize');
  return {
    mean: defined.reduce((a, b) => a + b, 0) / defined.length,
    p5: quantile(defined, 0.05),
    median: quantile(defined, 0.5),
    p95: quantile(defined, 0.95),
    parameters: defined.length,
    constant: snr.length - defined.length,
    directional: directionalSnr(await gram(draws)),
  };
}

/** |mean| / sd per column of [n, P] (sd with n - 1); NaN where sd = 0. */
function perParameterSnr(draws: Tensor): Tensor {
  const n = draws.shape[0];
  const { mean, variance } = tf.moments(draws, 0);
  const sd = variance.mul(n / (n - 1)).sqrt();
  return tf.where(sd.greater(0), mean.abs().div(sd), tf.fill(sd.shape, NaN));
}

/** The Gram matrix G_ij = Delta_i . Delta_j of the draws, in float64 for what is computed from it. */
async function gram(draws: Tensor): Promise<number[][]> {
  const n = draws.shape[0];
  const values = await readBack(tf.tidy(() => tf.matMul(draws, draws, false, true)));
  return Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * n, (i + 1) * n)));
}

/**
 * Mean over draws of |Delta_i . u_i| / sqrt(|Delta_i|^2 - (Delta_i . u_i)^2), with u_i the unit
 * direction of the other draws' sum S - Delta_i (so that no draw is projected on itself), all
 * from the Gram matrix: Delta_i . (S - Delta_i) = (G 1)_i - G_ii, |S - Delta_i|^2 = 1'G1 - 2 (G 1)_i + G_ii.
 */
export function directionalSnr(g: number[][]): number {
  const n = g.length;
  const rowSums = g.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const along = (rowSums[i] - g[i][i]) / Math.sqrt(Math.max(total - 2 * rowSums[i] + g[i][i], 0));
    const across = Math.sqrt(Math.max(g[i][i] - along * along, 0));
    sum += Math.abs(along) / across;
  }
  return sum / n;
}

/** Columns per slice of the bootstrap: its [replicates, columns] intermediates stay a few tens of MB. */
const BOOTSTRAP_COLUMNS = 8192;

/** Mean SNR over the columns of `draws` [n, P] for `replicates` bootstrap resamples of the draws (counter-based, from `seed`). */
export async function bootstrapMeanSnr(draws: Tensor, replicates: number, seed: number): Promise<Float64Array> {
  const [n, p] = draws.shape;
  const counts = new Float32Array(replicates * n);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) counts[r * n + mix32(seed, r * n + i) % n] += 1;
  }
  const weights = tf.tensor2d(counts, [replicates, n]).div(n);
  const sums = new Float64Array(replicates), defined = new Float64Array(replicates);
  try {
    for (let start = 0; start < p; start += BOOTSTRAP_COLUMNS) {
      const part = tf.tidy(() => {
        const columns = draws.slice([0, start], [n, Math.min(BOOTSTRAP_COLUMNS, p - start)]);
        // Centred first so that E[x^2] - E[x]^2 does not cancel in float32.
        const centre = columns.mean(0);
        const d = columns.sub(centre);
        const m1 = tf.matMul(weights, d); // [R, columns]
        const variance = tf.matMul(weights, d.square()).sub(m1.square()).mul(n / (n - 1));
        const snr = m1.add(centre).abs().div(variance.sqrt());
        const ok = tf.logicalAnd(variance.greater(0), tf.isFinite(snr));
        return tf.stack([tf.where(ok, snr, tf.zerosLike(snr)).sum(1), ok.sum(1).toFloat()]); // [2, R]
      });
      const values = await readBack(part);
      for (let r = 0; r < replicates; r++) {
        sums[r] += values[r];
        defined[r] += values[replicates + r];
      }
    }
  } finally {
    weights.dispose();
  }
  return sums.map((s, r) => s / Math.max(defined[r], 1));
}

async function readBack(t: Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

export interface GradientSnrPlan {
  ks: number[];
  estimators: GradientEstimator[];
  /** Gradient draws per (K, estimator). */
  draws: number;
  /** Bootstrap resamples for the slopes' standard errors. */
  replicates: number;
  seed: number;
  /** After every draw: the draws done and planned, each counted by its K (what it costs). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * SNR of the IWAE gradient for every (K, estimator) of the plan at the model's current parameters on
 * examples x [B, D], and the log-log slope of each network's mean SNR in K. Each cell's draws come from
 * their own sampler, a function of (seed, K, estimator), so a cell's numbers do not depend on the others.
 * Memory: one cell's draws, draws x parameters floats, at a time.
 */
export async function gradientSnrStudy(model: LatentVariableModel, x: Tensor, plan: GradientSnrPlan): Promise<GradientSnrStudy> {
  if (plan.draws < 3) throw new Error(`at least 3 gradient draws per cell are needed, got ${plan.draws}`);
  const columns = networkColumns(model.params);
  const cells: SnrCell[] = [];
  const resamples = new Map<string, Float64Array>();
  const total = plan.estimators.length * plan.ks.reduce((a, k) => a + k, 0) * plan.draws;
  let done = 0;
  for (const [e, estimator] of plan.estimators.entries()) {
    for (const k of plan.ks) {
      const sampler = new Sampler(mix32(mix32(plan.seed, k), e));
      const objective = objectiveConfig({ kind: 'iwae', k, estimator });
      const rows: Tensor[] = [];
      for (let d = 0; d < plan.draws; d++) {
        rows.push(gradientDraw(model, objective, x, sampler));
        done += k;
        plan.onProgress?.(done, total);
        // Let a progress message out, and a cancel in.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const draws = stackDraws(rows);
      try {
        const summaries = {} as Record<Network, SnrSummary>;
        for (const network of NETWORKS) {
          const part = tf.tidy(() => tf.gather(draws, tf.tensor1d(columns[network], 'int32'), 1));
          try {
            summaries[network] = await snrSummary(part);
            resamples.set(`${network}/${estimator}/${k}`, await bootstrapMeanSnr(part, plan.replicates, mix32(sampler.seed, 0xb007)));
          } finally {
            part.dispose();
          }
        }
        cells.push({ k, estimator, ...summaries });
      } finally {
        draws.dispose();
      }
    }
  }
  const slopes: SnrSlope[] = plan.ks.length < 2 ? [] : plan.estimators.flatMap((estimator) => NETWORKS.map((network) => {
    const point = plan.ks.map((k) => cells.find((c) => c.k === k && c.estimator === estimator)![network].mean);
    const boots = plan.ks.map((k) => resamples.get(`${network}/${estimator}/${k}`)!);
    return { network, estimator, ...logLogSlope(plan.ks, point, boots) };
  }));
  return { draws: plan.draws, examples: x.shape[0], noiseFloor: Math.sqrt(2 / (Math.PI * plan.draws)), cells, slopes };
}

/** Least-squares slope of log y on log K, and its standard error over bootstrap replicates `boots[j][r]` of each y_j. */
export function logLogSlope(ks: readonly number[], y: readonly number[], boots: readonly Float64Array[]): { slope: number; standardError: number } {
  const map = leastSquaresMap(ks.map((k) => [1, Math.log(k)]), ks.map(() => 1));
  const slopeOf = (values: readonly number[]) => applyMap(map, values.map(Math.log))[1];
  const replicates = boots[0].length;
  const slopes = Array.from({ length: replicates }, (_, r) => slopeOf(boots.map((b) => b[r])));
  const mean = slopes.reduce((a, b) => a + b, 0) / replicates;
  const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - mean) ** 2, 0) / (replicates - 1));
  return { slope: slopeOf(y), standardError: sd };
}
