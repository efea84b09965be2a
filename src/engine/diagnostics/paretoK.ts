// Pareto k-hat of a set of importance weights (PSIS; Vehtari, Simpson, Gelman,
// Yao and Gabry 2024): the shape xi of a generalized Pareto distribution
// fitted to the weights' upper tail. Below 0.5 the weights have a finite
// variance; above 0.7 an importance-sampling estimate from them (here
// L_N = log mean w) is unreliable at any practical N.

/** The fit needs at least this many weights above the tail's threshold (as in loo and ArviZ). */
const MIN_TAIL = 5;
const LOG_SMALLEST_NORMAL = Math.log(2.2250738585072014e-308);

/** Tail weights used for the fit: ceil(min(0.2 N, 3 sqrt(N))). */
export function paretoTailLength(n: number): number {
  return Math.ceil(Math.min(0.2 * n, 3 * Math.sqrt(n)));
}

/** k-hat of the weights exp(logWeights); NaN when fewer than 5 tail weights exceed the threshold (e.g. all weights equal). */
export function paretoK(logWeights: ArrayLike<number>): number {
  const sorted = Float64Array.from(logWeights).sort();
  const n = sorted.length;
  const m = paretoTailLength(n);
  if (m >= n) return NaN;
  const max = sorted[n - 1];
  // The threshold is the (m+1)-th largest weight; exceedances w - w_threshold
  // are scaled by exp(-max) (k-hat is scale free), with the threshold floored
  // at the smallest normal double so that its exp() does not underflow.
  const cut = Math.max(sorted[n - m - 1] - max, LOG_SMALLEST_NORMAL);
  const tail: number[] = [];
  for (let i = n - m; i < n; i++) {
    const excess = Math.exp(cut) * Math.expm1(sorted[i] - max - cut);
    if (excess > 0) tail.push(excess);
  }
  if (tail.length < MIN_TAIL || !tail.every(Number.isFinite)) return NaN;
  return generalizedParetoFit(tail).k;
}

/**
 * Zhang and Stephens (2009)'s estimate of a generalized Pareto distribution
 * with location 0, F(x) = 1 - (1 + k x / sigma)^(-1/k), from ascending
 * exceedances x: the posterior mean of theta = -k / sigma over a grid of
 * 80 + floor(sqrt(n)) values (loo's grid, finer than the paper's 20 + ...),
 * each weighted by its profile likelihood, then k at that theta. k is shrunk
 * toward 0.5 by Vehtari et al.'s weak prior, worth 10 observations.
 */
export function generalizedParetoFit(sorted: readonly number[]): { k: number; sigma: number } {
  const n = sorted.length;
  const gridSize = 80 + Math.floor(Math.sqrt(n));
  const largest = sorted[n - 1];
  const quartile = sorted[Math.floor(n / 4 + 0.5) - 1];
  const profileK = (theta: number) => {
    let s = 0;
    for (const x of sorted) s += Math.log1p(-theta * x);
    return s / n;
  };
  const thetas = Array.from({ length: gridSize }, (_, j) => 1 / largest + (1 - Math.sqrt(gridSize / (j + 0.5))) / (3 * quartile));
  const logLik = thetas.map((theta) => {
    const k = profileK(theta);
    const l = n * (Math.log(-theta / k) - k - 1);
    return Number.isFinite(l) ? l : -Infinity;
  });
  const top = Math.max(...logLik);
  const weights = logLik.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, b) => a + b, 0);
  const theta = thetas.reduce((s, t, j) => s + t * weights[j], 0) / total;
  const k = profileK(theta);
  const sigma = -k / theta;
  const PRIOR_N = 10;
  return { k: (n * k + PRIOR_N * 0.5) / (n + PRIOR_N), sigma };
}
