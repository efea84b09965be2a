// Active units (Burda et al. 2015): A_u = Cov_x(E_{q(u|x)}[u]); a unit is
// active when A_u > 0.01.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';

export const ACTIVE_THRESHOLD = 0.01;

/** Monte Carlo draws for E_q[z_l | x] where it is not exact: of the layers below when l > 1, of z_l itself for a flow. */
const DEEP_LAYER_SAMPLES = 100;

export interface PosteriorMeans {
  /** E_q[z_l | x] per layer: [N, Z_l] each. */
  means: Tensor[];
  /** The variance of each mean as an estimate, [N, Z_l]: 0 where it is exact, Var / S where it averages S draws. */
  noise: Tensor[];
}

/** Posterior means E_q[z_l | x] per layer, and how noisy each is. */
export function posteriorMeans(model: LatentVariableModel, x: Tensor, sampler: Sampler): PosteriorMeans {
  return tf.tidy(() => {
    if (model.latentSizes.length === 1) {
      const q = model.encode(x);
      if (q.meanIsExact !== false) {
        const mean = q.mean();
        return { means: [mean], noise: [tf.zerosLike(mean)] };
      }
    }
    const { zs, qs } = model.posterior(x, DEEP_LAYER_SAMPLES, sampler);
    const perLayer = qs.map((q, l) => {
      if (q.meanIsExact !== false && l === 0) {
        const mean = q.mean();
        return { mean, noise: tf.zerosLike(mean) };
      }
      // S draws [S, N, Z] whose average is E_q[z_l | x]: the flow's z_l, or the mean of q(z_l | z_l-1) at each draw below.
      const draws = q.meanIsExact === false ? zs[l] : q.mean();
      const { mean, variance } = tf.moments(draws, 0);
      return { mean, noise: variance.div(DEEP_LAYER_SAMPLES - 1) };
    });
    return { means: perLayer.map((p) => p.mean), noise: perLayer.map((p) => p.noise) };
  });
}

/** Cov_x(E_q[z_u]) for each layer and unit, over all rows of `data`. Where E_q[z_u | x] is a
 * Monte Carlo average, the covariance of the averages exceeds it by the mean over x of their
 * variance: that much is taken off, so a collapsed unit (0 for the exact means) does not count
 * as active because of the estimate's own noise, which for S = 100 draws of a unit of variance 1
 * would be 0.01, the threshold itself. */
export async function posteriorMeanVariances(model: LatentVariableModel, data: Tensor, sampler: Sampler, batch = 100): Promise<Float32Array[]> {
  const n = data.shape[0];
  const means: Tensor[][] = model.latentSizes.map(() => []);
  const noise: Tensor[][] = model.latentSizes.map(() => []);
  for (let start = 0; start < n; start += batch) {
    const [m, v] = tf.tidy(() => {
      const part = posteriorMeans(model, data.slice([start, 0], [Math.min(batch, n - start), -1]), sampler);
      return [part.means, part.noise];
    });
    m.forEach((t, l) => means[l].push(t));
    v.forEach((t, l) => noise[l].push(t));
  }
  const variances = tf.tidy(() => means.map((parts, l) =>
    tf.moments(tf.concat(parts, 0), 0).variance.sub(tf.concat(noise[l], 0).mean(0)).maximum(0)));
  [...means, ...noise].forEach((parts) => tf.dispose(parts));
  const out = await Promise.all(variances.map(async (v) => (await v.data()) as Float32Array));
  tf.dispose(variances);
  return out;
}

export function activeUnits(variances: Float32Array, threshold = ACTIVE_THRESHOLD): number {
  return variances.reduce((n, v) => n + (v > threshold ? 1 : 0), 0);
}

/** The variances of every layer and what they make active, as the dashboard and the inspector show them. */
export function activeUnitsSummary(variances: Float32Array[]): { variances: number[][]; threshold: number; active: number[] } {
  return { variances: variances.map((v) => Array.from(v)), threshold: ACTIVE_THRESHOLD, active: variances.map((v) => activeUnits(v)) };
}
