// Pictures of what the model has learned: reconstructions, prior samples and
// latent traversals, as 8-bit grey or colour image grids for the dashboard.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import type { ImageGrid } from '../../shared/events';

/** E[x | z_top] decoded through the conditional means of every layer: [n, D]. */
export function decodeMeans(model: LatentVariableModel, zTop: Tensor): Tensor {
  return tf.tidy(() => {
    let z = zTop;
    for (let l = model.latentSizes.length - 2; l >= 0; l--) z = model.conditionalPrior(l, z).mean();
    return model.likelihood(z).mean();
  });
}

/** Two rows: the examples x [n, D], and below them E[x | z1 = E_q[z1 | x]]. */
export function reconstructions(model: LatentVariableModel, x: Tensor): Tensor {
  return tf.tidy(() => tf.concat([x, reconstructionMeans(model, x)], 0));
}

/** E[x | z = E_q[z | x]]: [B, D]. */
export function reconstructionMeans(model: LatentVariableModel, x: Tensor): Tensor {
  return tf.tidy(() => model.likelihood(model.encode(x).mean()).mean());
}

/** n draws from the model: z from the prior, then E[x | z]: [n, D]. */
export function priorSamples(model: LatentVariableModel, n: number, sampler: Sampler): Tensor {
  return tf.tidy(() => model.likelihood(model.samplePrior(n, sampler)[0]).mean());
}

/** One row per top-layer dimension in `dims`: that unit swept over [-range, range]
 * around the prior's mean in `steps` steps, the others at the mean (0 for N(0, I);
 * a learned prior, mixture or VampPrior, has its centre elsewhere), decoded. [dims * steps, D]. */
export function traversals(model: LatentVariableModel, dims: number[], steps: number, range: number): Tensor {
  const top = model.latentSizes[model.latentSizes.length - 1];
  return tf.tidy(() => {
    const values = tf.linspace(-range, range, steps);
    const rows = dims.map((d) => tf.oneHot(tf.fill([steps], d, 'int32'), top).mul(values.expandDims(1)));
    return decodeMeans(model, tf.concat(rows, 0).add(model.prior().mean()));
  });
}

/** Tiles [rows * cols, h * w * channels] of values in [0, 1] (clipped) -> an 8-bit grid; `real` data is min-max scaled. */
export async function toImageGrid(tiles: Tensor, rows: number, cols: number, shape: readonly [number, number], scale = false, channels = 1): Promise<ImageGrid> {
  const bytes = tf.tidy(() => {
    let t = tiles;
    if (scale) {
      const lo = t.min(), hi = t.max();
      t = t.sub(lo).div(hi.sub(lo).maximum(1e-12));
    }
    return t.clipByValue(0, 1).mul(255).round().toInt();
  });
  const pixels = Array.from(await bytes.data());
  bytes.dispose();
  return { rows, cols, height: shape[0], width: shape[1], ...(channels === 3 ? { channels: 3 as const } : {}), pixels };
}
