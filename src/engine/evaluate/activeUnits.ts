// Active units (Burda et al. 2015): A_u = Cov_x(E_{q(u|x)}[u]); a unit is
// active when A_u > 0.01.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';

export const ACTIVE_THRESHOLD = 0.01;

/** Monte Carlo draws for E_q[z_l | x] where it is not exact: of the layers below when l > 1, of z_l itself for a flow. */
const DEEP_LAYER_SAMPLES = 100;

/** Posterior means E_q[z_l | x] per layer: [N, Z_l] each. */
export function posteriorMeans(model: LatentVariableModel, x: Tensor, sampler: Sampler): Tensor[] {
  return tf.tidy(() => {
    if (model.latentSizes.length === 1) {
      const q = model.encode(x);
      if (q.meanIsExact !== false) return [q.mean()];
    }
    const { zs, qs } = model.posterior(x, DEEP_LAYER_SAMPLES, sampler);
    return qs.map((q, l) => (q.meanIsExact === false ? zs[l].mean(0) : l === 0 ? q.mean() : q.mean().mean(0)));
  });
}

/** Cov_x(E_q[z_u]) for each layer and unit, over all rows of `data`. */
export async function posteriorMeanVariances(model: LatentVariableModel, data: Tensor, sampler: Sampler, batch = 100): Promise<Float32Array[]> {
  const n = data.shape[0];
  const perLayer: Tensor[][] = model.latentSizes.map(() => []);
  for (let start = 0; start < n; start += batch) {
    const means = tf.tidy(() => posteriorMeans(model, data.slice([start, 0], [Math.min(batch, n - start), -1]), sampler));
    means.forEach((m, l) => perLayer[l].push(m));
  }
  const variances = tf.tidy(() => perLayer.map((parts) => tf.moments(tf.concat(parts, 0), 0).variance));
  perLayer.forEach((parts) => tf.dispose(parts));
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
