// How numbers read in a terminal.
import { PARETO_K_BAD, PARETO_K_GOOD, type GradientSnrStudy, type SnrSummary, type WeightDiagnostics } from '../../shared/diagnostics';
import type { EpochEvent, StepPathChoice } from '../../shared/events';
import type { EvaluationResult, RecordedEvaluation } from '../../shared/evaluation';

export function formatEpoch(e: EpochEvent): string {
  const nll = e.testNll !== undefined ? `  test NLL(-L_${e.evalK}) ${e.testNll.toFixed(2)}` : '';
  return `epoch ${e.epoch + 1}: train bound ${e.trainBound.toFixed(2)}  held-out ELBO ${e.testElbo.toFixed(2)}  L_K ${e.testIwae.toFixed(2)}${nll}`;
}

export function formatFinal(f: RecordedEvaluation): string {
  const trust = f.weights ? `; ${describeParetoK(f.weights, f.examples)}` : '';
  return `test NLL (-L_${f.k}, ${f.examples} examples): ${f.testNll.toFixed(2)} ± ${f.standardError.toFixed(2)} nats; active units: ${f.activeUnits.join(' / ')}${trust}`;
}

/** "3 of 1000 examples with Pareto k-hat above 0.7": how far -L_N can be trusted. */
export function describeParetoK(w: WeightDiagnostics, examples: number): string {
  const k = w.paretoK;
  return `${k.above07} of ${examples} examples with Pareto k-hat above ${PARETO_K_BAD}${k.notEstimable ? ` (${k.notEstimable} not estimable)` : ''}`;
}

const f = (v: number, digits = 2) => v.toFixed(digits);

/** The bound-vs-K table of an evaluation and what the same log weights say: the fit and L_inf, JVI, ESS and k-hat. */
export function formatWeightReport(file: string, r: EvaluationResult): string {
  const lines = [`checkpoint  ${file}`, `log weights ${r.k} per example, ${r.examples} held-out examples, seed ${r.seed}`, '', '     K      L_K     ± se   delta-method bias'];
  for (const p of r.boundVsK) lines.push(`${String(p.k).padStart(6)} ${f(p.bound).padStart(8)} ${f(p.standardError).padStart(8)}   ${p.deltaMethodBias === undefined ? '' : f(p.deltaMethodBias, 4).padStart(9)}`);
  lines.push('');
  const w = r.weights;
  if (r.fit?.holds) {
    lines.push(`L_inf       ${f(r.fit.lInfinity.mean)} ± ${f(r.fit.lInfinity.standardError)}  (95%: ${f(r.fit.interval[0])} .. ${f(r.fit.interval[1])}); fit of L_K ~ L_inf - a/K - b/K^2 on K = ${r.fit.ks.join(', ')}`);
    lines.push(`            ${f(r.fit.gain.mean, 3)} ± ${f(r.fit.gain.standardError, 3)} nats above L_${r.k} (paired)`);
  } else if (w) {
    lines.push(`L_inf       not estimated: fewer than four K of the ladder reach Var(w)/E[w]^2 = ${f(w.relativeVariance, 1)}, where the 1/K expansion starts to hold`);
    if (r.fit) lines.push(`            the trend of K = ${r.fit.ks.join(', ')} extrapolates to ${f(r.fit.lInfinity.mean)} ± ${f(r.fit.lInfinity.standardError)}, which is not an estimate of log p(x)`);
  }
  const j = r.jackknife;
  if (j) lines.push(`JVI at K=${j.k}  order 1 ${f(j.order1.mean)} (${f(j.order1Gain.mean, 3)} ± ${f(j.order1Gain.standardError, 3)} above L_${j.k}), order 2 ${f(j.order2.mean)} (${f(j.order2Gain.mean, 3)} ± ${f(j.order2Gain.standardError, 3)})`);
  if (!w) return lines.join('\n');
  const e = w.essFraction;
  lines.push(`ESS / N     mean ${f(e.mean, 3)}, median ${f(e.median, 3)} (5%: ${f(e.p5, 3)}, 95%: ${f(e.p95, 3)})`);
  const k = w.paretoK;
  const dist = k.distribution ? `median ${f(k.distribution.median)} (95%: ${f(k.distribution.p95)}); ` : '';
  lines.push(`Pareto k    ${dist}${k.above05} examples above ${PARETO_K_GOOD}, ${k.above07} above ${PARETO_K_BAD}${k.notEstimable ? `, ${k.notEstimable} not estimable` : ''}`);
  if (k.above07 > 0) lines.push(`            above ${PARETO_K_BAD} the weights' tail is too heavy for L_${r.k} (and the fit and JVI built on it) to be trusted for those examples`);
  return lines.join('\n');
}

/** "graph path", or "eager path: why". */
export function describeStepPath(p: StepPathChoice): string {
  return `${p.path} path${p.fallbackReason ? `: ${p.fallbackReason}` : ''}`;
}

/** The gradient SNR table of `analyze gradients`. */
export function formatSnrStudy(file: string, s: GradientSnrStudy): string {
  const summary = (v: SnrSummary) => `${f(v.mean, 3).padStart(7)} [${f(v.p5, 3)}, ${f(v.p95, 3)}] ${f(v.directional, 3).padStart(7)}`;
  const lines = [
    `checkpoint  ${file}`,
    `IWAE gradients at the checkpoint's parameters on ${s.examples} held-out examples, ${s.draws} draws per row`,
    `SNR = |E[grad]| / sd[grad] per parameter: mean [5%, 95%] over the network's parameters, then the directional SNR`,
    '',
    `${'estimator'.padEnd(9)} ${'K'.padStart(5)}  ${'encoder'.padEnd(34)} decoder`,
  ];
  for (const c of s.cells) lines.push(`${c.estimator.padEnd(9)} ${String(c.k).padStart(5)}  ${summary(c.encoder).padEnd(34)} ${summary(c.decoder)}`);
  if (s.slopes.length) {
    lines.push('', 'd log(mean SNR) / d log K (± bootstrap se); Rainforth et al.: decoder +0.5, standard encoder -0.5');
    for (const p of s.slopes) lines.push(`  ${p.estimator.padEnd(9)} ${p.network.padEnd(8)} ${(p.slope >= 0 ? '+' : '') + f(p.slope, 2)} ± ${f(p.standardError, 3)}`);
  }
  lines.push('', `A parameter whose gradient has mean 0 still shows SNR about ${f(s.noiseFloor, 3)} with ${s.draws} draws: the noise floor.`);
  return lines.join('\n');
}
