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
import { checkpointFileOf } from '../train/runDir';
import { evalCommand } from './eval';
import { formatSnrStudy } from './format';

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
