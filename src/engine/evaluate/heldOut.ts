// The VAE ELBO and the IWAE bound L_K on held-out data, from one tensor of
// log weights per batch: the two bounds side by side on the same samples.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import { logWeights } from '../objectives/logWeights';
import { elbo, iwaeBound } from '../objectives/bounds';
import type { EvaluationControl } from './logLikelihood';

/** Examples whose K log weights are drawn together. */
export const HELD_OUT_BATCH = 100;

export interface HeldOutBounds {
  elbo: number;
  iwae: number;
}

/** Undefined if stopped: the stop is looked at between batches. */
export async function heldOutBounds(model: LatentVariableModel, data: Tensor, k: number, sampler: Sampler,
  control: EvaluationControl = {}, batch = HELD_OUT_BATCH): Promise<HeldOutBounds | undefined> {
  const n = data.shape[0];
  let total: Tensor = tf.zeros([2]);
  try {
    for (let start = 0; start < n; start += batch) {
      if (control.shouldStop?.()) return undefined;
      const sum = total;
      total = tf.tidy(() => {
        const x = data.slice([start, 0], [Math.min(batch, n - start), -1]);
        const lw = logWeights(model, x, model.posterior(x, k, sampler));
        return sum.add(tf.stack([elbo(lw).sum(), iwaeBound(lw).sum()]));
      });
      sum.dispose();
      // Let a stop request in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [e, i] = await total.data();
    return { elbo: e / n, iwae: i / n };
  } finally {
    total.dispose();
  }
}
