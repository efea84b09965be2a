// `latent-lab eval`: a checkpoint's test NLL (-L_N), its bound-vs-K ladder and
// what the same log weights say (the 1/K fit and L_inf, JVI, ESS, Pareto
// k-hat), and the active units, with the run's own N and examples and the
// evaluation seed unless told otherwise: the evaluation the trainer ends with
// and the extension makes (src/engine/evaluate/checkpointEvaluation.ts).
// `latent-lab analyze weights` is this command with its own defaults.
import { resolve } from 'node:path';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { imageOptionsOf, loadSplit } from '../data/load';
import { evaluateCheckpoint, evaluationExamples, evaluationSettings } from '../evaluate/checkpointEvaluation';
import { writeEvaluationData } from '../evaluate/evaluationDataFile';
import { GraphStepPath } from '../graph/graphStepPath';
import { checkpointFileOf } from '../train/runDir';
import type { EvaluationResult } from '../../shared/evaluation';
import { describeParetoK, describeStepPath, formatWeightReport } from './format';

export interface EvalOptions {
  k?: number;
  data?: string;
  examples?: number;
  seed?: number;
  json?: boolean;
  perExample?: boolean;
  /** Print the ladder with the fit, JVI, ESS and k-hat (formatWeightReport). */
  boundVsK?: boolean;
  jackknifeK?: number;
  kMin?: number;
  writeEvalData?: string;
}

export async function evalCommand(path: string, o: EvalOptions): Promise<void> {
  const file = checkpointFileOf(path);
  const checkpoint = loadCheckpoint(file);
  const { test } = await loadSplit(o.data ?? checkpoint.config.data.path, imageOptionsOf(checkpoint.config.data));
  if (o.writeEvalData) {
    const x = evaluationExamples(checkpoint, test, evaluationSettings(checkpoint, o));
    try {
      writeEvaluationData(resolve(o.writeEvalData), await x.data() as Float32Array, x.shape[0], checkpoint.config.data);
    } finally {
      x.dispose();
    }
  }
  const steps = new GraphStepPath();
  try {
    const k = evaluationSettings(checkpoint, o).k;
    const progress = !o.json && process.stderr.isTTY
      ? (done: number, total: number) => process.stderr.write(`\r-L_${k}: ${done}/${total} examples`)
      : undefined;
    const result = await evaluateCheckpoint(checkpoint, file, test, steps, { ...o, control: { onProgress: progress } });
    if (progress) process.stderr.write('\n');
    if (o.json) console.log(JSON.stringify({ checkpoint: file, ...result }));
    else if (o.boundVsK) console.log(formatWeightReport(file, result));
    else console.log(describeEvaluation(file, result, checkpoint.config.model.layers.map((l) => l.latent)));
  } finally {
    steps.dispose();
  }
}

function describeEvaluation(file: string, r: EvaluationResult, latentSizes: number[]): string {
  const rows = r.boundVsK.map((b) => `${String(b.k).padStart(8)}  ${b.bound.toFixed(2).padStart(9)}  ${b.standardError.toFixed(2).padStart(6)}`);
  const asymptote = r.fit?.holds ? `  ·  L_inf ${r.fit.lInfinity.mean.toFixed(2)} ± ${r.fit.lInfinity.standardError.toFixed(2)}` : '';
  return [
    `checkpoint   ${file}`,
    `test NLL     ${r.testNll.toFixed(2)} ± ${r.standardError.toFixed(2)} nats  (-L_${r.k}, ${r.examples} examples, seed ${r.seed})`,
    `active units ${r.activeUnits.join(' / ')}  (of ${latentSizes.join(' / ')})`,
    ...(r.weights ? [`weights      ESS / N median ${r.weights.essFraction.median.toFixed(3)}; ${describeParetoK(r.weights, r.examples)}`] : []),
    `computed on  the ${describeStepPath(r.stepPath)}`,
    `bound vs K   from the same ${r.k} log weights per example, in disjoint groups of K${asymptote} (--bound-vs-k: the fit, JVI, ESS, k-hat)`,
    `       K        L_K    s.e.`,
    ...rows,
  ].join('\n');
}
