// `latent-lab analyze`: the research quantities of a checkpoint. `weights`:
// what N log weights per held-out example say about the bound (the L_K ladder,
// its 1/K fit and L_inf, the delta-method bias, JVI, ESS, Pareto k-hat): the
// evaluation `eval --bound-vs-k` makes, with more examples' worth of defaults.
// `gradients`: the signal-to-noise ratio of the gradient estimators against K
// (Rainforth et al. 2018).
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { imageOptionsOf, loadSplit } from '../data/load';
import { checkpointGradientSnr } from '../evaluate/checkpointEvaluation';
import type { GradientEstimator } from '../objectives/objective';
import type { GradientSnrStudy, SnrSummary } from '../../shared/diagnostics';
import { checkpointFileOf } from '../train/runDir';
import { evalCommand } from './eval';

interface CheckpointInput {
  data?: string;
  examples: number;
  /** The evaluation seed: the held-out binarization and the draws, as `eval --seed` takes it. */
  seed: number;
}

export interface AnalyzeWeightsOptions extends CheckpointInput {
  /** Log weights per example. */
  n: number;
  jackknifeK: number;
  kMin?: number;
  json?: boolean;
}

export async function analyzeWeightsCommand(path: string, o: AnalyzeWeightsOptions): Promise<void> {
  await evalCommand(path, { k: o.n, examples: o.examples, seed: o.seed, data: o.data, jackknifeK: o.jackknifeK, kMin: o.kMin, json: o.json, boundVsK: true });
}

export interface AnalyzeGradientsOptions extends CheckpointInput {
  k: number[];
  estimators: GradientEstimator[];
  draws: number;
  replicates: number;
  json?: boolean;
}

export async function analyzeGradientsCommand(path: string, o: AnalyzeGradientsOptions): Promise<void> {
  const file = checkpointFileOf(path);
  const checkpoint = loadCheckpoint(file);
  const { test } = await loadSplit(o.data ?? checkpoint.config.data.path, imageOptionsOf(checkpoint.config.data));
  const progress = !o.json && process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\rgradient draws: ${Math.floor((100 * done) / total)}%`)
    : undefined;
  const study = await checkpointGradientSnr(checkpoint, file, test, {
    ks: o.k, estimators: o.estimators, draws: o.draws, replicates: o.replicates, examples: o.examples, seed: o.seed, onProgress: progress,
  });
  if (progress) process.stderr.write('\n');
  if (o.json) console.log(JSON.stringify({ checkpoint: file, seed: o.seed, ...study }));
  else console.log(formatSnrStudy(file, study));
}

const f = (v: number, digits = 2) => v.toFixed(digits);

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
