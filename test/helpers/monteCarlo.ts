// Monte Carlo checks with tolerances from the standard error: a Cauchy
// proposal for integrals over R^D, and the distance of draws from a CDF.
import { tf, type Tensor } from '../../src/engine/tf';
import { Sampler } from '../../src/engine/random/sampler';
import { meanWithStandardError, type Estimate } from '../../src/engine/math/statistics';

/** ∫ exp(logDensity(z)) dz over R^D by importance sampling from independent
 * Cauchy(0, width) coordinates, drawn and weighed in float64 here: its tails
 * are heavier than any family tested, so the weights are bounded. */
export function integrate(logDensity: (z: Tensor) => Tensor, dim: number, n: number, width: number, seed: number): Estimate {
  const u = new Sampler(seed).uniform([n, dim], 1e-7, 1 - 1e-7);
  const uv = u.dataSync();
  u.dispose();
  const z = new Float64Array(n * dim);
  const logProposal = new Float64Array(n);
  for (let i = 0; i < n * dim; i++) {
    const t = Math.tan(Math.PI * (uv[i] - 0.5));
    z[i] = width * t;
    logProposal[Math.floor(i / dim)] -= Math.log(Math.PI * width * (1 + t * t));
  }
  const logQ = tf.tidy(() => logDensity(tf.tensor2d(Float32Array.from(z), [n, dim])).dataSync());
  return meanWithStandardError(Array.from(logQ, (lq, i) => Math.exp(lq - logProposal[i])));
}

/** The Kolmogorov-Smirnov distance between `draws` and the CDF F. */
export function ksDistance(draws: ArrayLike<number>, cdf: (t: number) => number): number {
  const sorted = Float64Array.from(draws).sort();
  const n = sorted.length;
  let d = 0;
  sorted.forEach((t, i) => { d = Math.max(d, Math.abs(cdf(t) - i / n), Math.abs(cdf(t) - (i + 1) / n)); });
  return d;
}

/** The KS distance that n draws from F exceed with probability 0.001. */
export const ksCritical = (n: number) => 1.949 / Math.sqrt(n);
