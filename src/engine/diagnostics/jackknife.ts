// Jackknife variational inference (Nowozin 2018): a bias-reduced estimate of
// log p(x) from K samples. With L-bar_{K-j} the average of log mean w over all
// subsets of K - j of the K samples, the order-m estimator is
//   J_m = sum_{j=0}^{m} c_j L-bar_{K-j},  c_j = (-1)^j (K-j)^m / (j! (m-j)!)
// (Sharot's generalized jackknife), which cancels the 1/K, ..., 1/K^m terms
// of L_K's bias. The c_j grow like K^m, so every L-bar_{K-j} enters as its
// difference D_j = L-bar_{K-j} - L_K computed directly (log1p of the removed
// share of the weight), never as a difference of two large numbers.

export interface JackknifeBounds {
  order1: number;
  order2: number;
}

/** J_1 and J_2 at K, averaged over the floor(N/K) disjoint groups of K (K >= 3). */
export function jackknifeBounds(logWeights: ArrayLike<number>, k: number): JackknifeBounds {
  const groups = Math.floor(logWeights.length / k);
  if (!Number.isInteger(k) || k < 3 || groups < 1) throw new Error(`jackknife of order 2 needs groups of K >= 3 samples; K = ${k}, N = ${logWeights.length}`);
  const all = Float64Array.from(logWeights);
  let order1 = 0, order2 = 0;
  for (let g = 0; g < groups; g++) {
    const j = groupJackknife(all.subarray(g * k, (g + 1) * k));
    order1 += j.order1;
    order2 += j.order2;
  }
  return { order1: order1 / groups, order2: order2 / groups };
}

/** J_1 and J_2 of one group of K log weights. */
export function groupJackknife(group: Float64Array): JackknifeBounds {
  const k = group.length;
  const a = group.slice().sort().reverse(); // descending: a[0] is the largest
  const logSuffix = new Float64Array(k + 1); // logSuffix[t] = log sum_{s >= t} exp(a_s)
  logSuffix[k] = -Infinity;
  for (let t = k - 1; t >= 0; t--) logSuffix[t] = logAddExp(logSuffix[t + 1], a[t]);
  const logS = logSuffix[0];
  const bound = logS - Math.log(k);
  // share[i] = w_(i) / sum w. Removing samples that leave the largest in place
  // subtracts their shares from 1; removing the largest, the remainder is a
  // suffix sum minus the later removed ones, relative to that suffix.
  const share = Float64Array.from(a, (v) => Math.exp(v - logS));
  let remove1 = logSuffix[1] - logS;
  for (let i = 1; i < k; i++) remove1 += Math.log1p(-share[i]);
  const d1 = remove1 / k - Math.log1p(-1 / k);
  let remove2 = logSuffix[2] - logS;
  for (let q = 2; q < k; q++) remove2 += logSuffix[1] - logS + Math.log1p(-Math.exp(a[q] - logSuffix[1]));
  for (let p = 1; p < k; p++) {
    for (let q = p + 1; q < k; q++) remove2 += Math.log1p(-(share[p] + share[q]));
  }
  const d2 = remove2 / (k * (k - 1) / 2) - Math.log1p(-2 / k);
  const c1 = -((k - 1) ** 2), c2 = (k - 2) ** 2 / 2;
  return { order1: bound - (k - 1) * d1, order2: bound + c1 * d1 + c2 * d2 };
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
