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
