// Active units (Burda et al. 2015): A_u = Cov_x(E_{q(u|x)}[u]); a unit is
// active when A_u > 0.01.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';

export const ACTIVE_THRESHOLD = 0.01;

/** Monte Carlo draws of the layers below, for E_q[z_l | x] when l > 1 (the first layer's mean is exact). */
const DEEP_LAYER_SAMPLES = 100;

/** Posterior means E_q[z_l | x] per layer: [N, Z_l] each. */
export function posteriorMeans(model: LatentVariableModel, x: Tensor, sampler: Sampler): Tensor[] {
  return tf.tidy(() => {
    const means = [model.encode(x).mean()];
    if (model.latentSizes.length > 1) {
      const { qs } = model.posterior(x, DEEP_LAYER_SAMPLES, sampler);
      for (let l = 1; l < qs.length; l++) means.push(qs[l].mean().mean(0));
    }
    return means;
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
