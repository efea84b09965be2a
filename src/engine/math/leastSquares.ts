// Weighted linear least squares, solved by a QR factorization of the
// weighted design (modified Gram-Schmidt), in float64. It returns the linear
// map from observations to coefficients, so the same fit can be applied to
// other observation vectors (e.g. each example's own values, for standard
// errors that respect how the observations are correlated).

/** beta = H y minimizes sum_i w_i (y_i - X_i beta)^2; H is [p][n]. */
export function leastSquaresMap(design: number[][], weights: number[]): number[][] {
  const n = design.length;
  const p = design[0]?.length ?? 0;
  if (n < p || p === 0) throw new Error(`least squares needs at least ${Math.max(p, 1)} observations, got ${n}`);
  if (weights.length !== n || weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new Error('least-squares weights must be positive and finite');
  const root = weights.map(Math.sqrt);
  // Columns of the weighted design, orthonormalized in place into Q; R is upper triangular.
  const q = Array.from({ length: p }, (_, j) => design.map((row, i) => row[j] * root[i]));
  const r = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < j; i++) {
      const dot = q[i].reduce((s, v, t) => s + v * q[j][t], 0);
      r[i][j] = dot;
      for (let t = 0; t < n; t++) q[j][t] -= dot * q[i][t];
    }
    const norm = Math.sqrt(q[j].reduce((s, v) => s + v * v, 0));
    if (!(norm > 1e-12 * Math.sqrt(n))) throw new Error('the design matrix is rank deficient');
    r[j][j] = norm;
    for (let t = 0; t < n; t++) q[j][t] /= norm;
  }
  // H = R^-1 Q^T diag(sqrt w), by back substitution row by row.
  const h = Array.from({ length: p }, () => new Array<number>(n).fill(0));
  for (let j = p - 1; j >= 0; j--) {
    for (let t = 0; t < n; t++) {
      let v = q[j][t] * root[t];
      for (let i = j + 1; i < p; i++) v -= r[j][i] * h[i][t];
      h[j][t] = v / r[j][j];
    }
  }
  return h;
}

/** H y. */
export function applyMap(h: number[][], y: ArrayLike<number>): number[] {
  return h.map((row) => row.reduce((s, c, i) => s + c * y[i], 0));
}
