// `latent-lab analyze`: the research quantities of a checkpoint that an
// evaluation does not need. `weights`: what N log weights per held-out example
// say about the bound (L_K ladder, its 1/K fit and L_inf, the delta-method
// bias, JVI, ESS, Pareto k-hat). `gradients`: the signal-to-noise ratio of the
// gradient estimators against K (Rainforth et al. 2018).
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { restoreModel } from '../checkpoint/modelState';
import { imageOptionsOf, loadSplit } from '../data/load';
import { heldOutExamples } from '../evaluate/testData';
import { chunkedLogWeights } from '../evaluate/logLikelihood';
import { ladderFor } from '../evaluate/boundVsK';
import type { LatentVariableModel } from '../models/latentModel';
import type { GradientEstimator } from '../objectives/objective';
import { tf, type Tensor } from '../tf';
import { analyzeLogWeights, logWeightReport, type AnalysisPlan, type ExampleAnalysis, type LogWeightReport } from '../diagnostics/logWeightAnalysis';
import { gradientSnrStudy, type GradientSnrStudy, type SnrSummary } from '../diagnostics/gradientSnr';
import { PARETO_K_BAD, PARETO_K_GOOD } from '../diagnostics/paretoK';
import { checkpointFileOf } from '../train/runDir';
import { streamSampler } from '../random/streams';

interface CheckpointInput {
  data?: string;
  examples: number;
  /** The evaluation seed: the held-out binarization and the draws, as `eval --seed` takes it. */
  seed: number;
}

/** The checkpoint's model and its first `examples` held-out examples (binarized as every evaluation sees them), for `fn`. */
async function withModel<T>(path: string, o: CheckpointInput, fn: (model: LatentVariableModel, x: Tensor, file: string) => Promise<T>): Promise<T> {
  const file = checkpointFileOf(path);
  const checkpoint = loadCheckpoint(file);
  const { test } = await loadSplit(o.data ?? checkpoint.config.data.path, imageOptionsOf(checkpoint.config.data));
  const x = heldOutExamples(test, checkpoint.config, o.examples, o.seed);
  const model = restoreModel(checkpoint, file);
  try {
    return await fn(model, x, file);
  } finally {
    tf.dispose(x);
    model.dispose();
  }
}

export interface AnalyzeWeightsOptions extends CheckpointInput {
  /** Log weights per example. */
  n: number;
  jackknifeK: number;
  kMin?: number;
  seed: number;
  json?: boolean;
}

/** Examples whose N log weights are drawn at once: about ROWS_PER_CHUNK-sized chunks of samples, [N, b] in memory. */
const EXAMPLES_PER_DRAW = 20;

export async function analyzeWeightsCommand(path: string, o: AnalyzeWeightsOptions): Promise<void> {
  const plan: AnalysisPlan = { ks: ladderFor(o.n), jackknifeK: Math.min(o.jackknifeK, o.n) };
  const { report, file } = await withModel(path, o, async (model, x, file) => {
    // The stream `eval` draws its N log weights from, so that the two read the same samples' statistics.
    const sampler = streamSampler(o.seed, 'logLikelihood');
    const examples: ExampleAnalysis[] = [];
    const total = x.shape[0];
    for (let start = 0; start < total; start += EXAMPLES_PER_DRAW) {
      const lw = tf.tidy(() => chunkedLogWeights(model, x.slice([start, 0], [Math.min(EXAMPLES_PER_DRAW, total - start), -1]), o.n, sampler));
      examples.push(...await analyzeLogWeights(lw, plan));
      lw.dispose();
      if (!o.json && process.stderr.isTTY) process.stderr.write(`\r${examples.length}/${total} examples`);
    }
    if (!o.json && process.stderr.isTTY) process.stderr.write('\n');
    return { report: logWeightReport(o.n, plan, examples, o.kMin), file };
  });
  if (o.json) console.log(JSON.stringify({ checkpoint: file, seed: o.seed, ...report }));
  else console.log(formatWeightReport(file, report));
}

const f = (v: number, digits = 2) => v.toFixed(digits);

export function formatWeightReport(file: string, r: LogWeightReport): string {
  const lines = [`checkpoint  ${file}`, `log weights ${r.n} per example, ${r.examples} held-out examples`, '', '     K      L_K     ± se   delta-method bias'];
  for (const p of r.ladder) lines.push(`${String(p.k).padStart(6)} ${f(p.mean).padStart(8)} ${f(p.standardError).padStart(8)}   ${f(p.deltaMethodBias, 4).padStart(9)}`);
  lines.push('');
  if (r.fit) {
    lines.push(`L_inf       ${f(r.fit.lInfinity.mean)} ± ${f(r.fit.lInfinity.standardError)}  (95%: ${f(r.fit.interval[0])} .. ${f(r.fit.interval[1])}); fit of L_K ~ L_inf - a/K - b/K^2 on K = ${r.fit.ks.join(', ')}`);
    lines.push(`            ${f(r.fit.gain.mean, 3)} ± ${f(r.fit.gain.standardError, 3)} nats above L_${r.n} (paired)`);
  } else {
    lines.push(`L_inf       not fitted: fewer than four K of the ladder reach Var(w)/E[w]^2 = ${f(r.weights.relativeVariance, 1)}, where the 1/K expansion starts to hold`);
  }
  const j = r.jackknife;
  lines.push(`JVI at K=${j.k}  order 1 ${f(j.order1.mean)} (${f(j.order1Gain.mean, 3)} ± ${f(j.order1Gain.standardError, 3)} above L_${j.k}), order 2 ${f(j.order2.mean)} (${f(j.order2Gain.mean, 3)} ± ${f(j.order2Gain.standardError, 3)})`);
  const e = r.weights.essFraction;
  lines.push(`ESS / N     mean ${f(e.mean, 3)}, median ${f(e.median, 3)} (5%: ${f(e.p5, 3)}, 95%: ${f(e.p95, 3)})`);
  const k = r.weights.paretoK;
  const dist = k.distribution ? `median ${f(k.distribution.median)} (95%: ${f(k.distribution.p95)}); ` : '';
  lines.push(`Pareto k    ${dist}${k.above05} examples above ${PARETO_K_GOOD}, ${k.above07} above ${PARETO_K_BAD}${k.notEstimable ? `, ${k.notEstimable} not estimable` : ''}`);
  if (k.above07 > 0) lines.push(`            above ${PARETO_K_BAD} the weights' tail is too heavy for L_${r.n} (and the fit and JVI built on it) to be trusted for those examples`);
  return lines.join('\n');
}

export interface AnalyzeGradientsOptions extends CheckpointInput {
  k: number[];
  estimators: GradientEstimator[];
  draws: number;
  replicates: number;
  seed: number;
  json?: boolean;
}

export async function analyzeGradientsCommand(path: string, o: AnalyzeGradientsOptions): Promise<void> {
  const { study, file } = await withModel(path, o, async (model, x, file) => ({
    study: await gradientSnrStudy(model, x, { ks: o.k, estimators: o.estimators, draws: o.draws, replicates: o.replicates, seed: o.seed }),
    file,
  }));
  if (o.json) console.log(JSON.stringify({ checkpoint: file, examples: o.examples, seed: o.seed, ...study }));
  else console.log(formatSnrStudy(file, o.examples, study));
}

export function formatSnrStudy(file: string, examples: number, s: GradientSnrStudy): string {
  const summary = (v: SnrSummary) => `${f(v.mean, 3).padStart(7)} [${f(v.p5, 3)}, ${f(v.p95, 3)}] ${f(v.directional, 3).padStart(7)}`;
  const lines = [
    `checkpoint  ${file}`,
    `IWAE gradients at the checkpoint's parameters on ${examples} held-out examples, ${s.draws} draws per row`,
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
