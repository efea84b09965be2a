// Float64 statistics on plain arrays, for the analyses that run after the
// tensors are read back (diagnostics of log weights, gradient draws): there
// the differences of nearly equal numbers need float64.

export interface Estimate {
  mean: number;
  /** Standard error of the mean: sample standard deviation / sqrt(n); 0 for one value. */
  standardError: number;
}

export function meanWithStandardError(values: ArrayLike<number>): Estimate {
  const n = values.length;
  if (n === 0) throw new Error('no values to average');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, standardError: n > 1 ? Math.sqrt(ss / (n - 1) / n) : 0 };
}

/** The p-quantile (0 <= p <= 1) of ascending `sorted`, interpolating linearly between order statistics. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('no values for a quantile');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** log sum_i exp(x_i) over x[start, end), stable for any finite x; -Infinity for no terms or all -Infinity. */
export function logSumExp64(x: ArrayLike<number>, start = 0, end = x.length): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) if (x[i] > max) max = x[i];
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.exp(x[i] - max);
  return max + Math.log(sum);
}

/** Student's t 0.975-quantiles for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const Z975 = 1.959964;

/** The 0.975-quantile of Student's t with `df` (>= 1, possibly fractional or Infinity) degrees of freedom:
 * the half-width, in standard errors, of a two-sided 95% interval. Linear in 1/df between tabulated points
 * (error under 0.5%). */
export function studentT975(df: number): number {
  if (!(df >= 1)) throw new Error(`a t quantile needs at least 1 degree of freedom, got ${df}`);
  if (df >= 30) return Z975 + (T975[29] - Z975) * (30 / df);
  const lo = Math.floor(df);
  if (lo === df) return T975[lo - 1];
  const w = (1 / lo - 1 / df) / (1 / lo - 1 / (lo + 1));
  return T975[lo - 1] + w * (T975[lo] - T975[lo - 1]);
}

/** How many of `values` fall in each bin [edges[i], edges[i + 1]) of ascending `edges`; values beyond the ends count in the end bins. */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    let bin = 0;
    while (bin < counts.length - 1 && values[i] >= edges[bin + 1]) bin++;
    counts[bin] += 1;
  }
  return counts;
}
