// `latent-lab eval`: test NLL (-L_K), active units and L_1, L_5, L_50 of a checkpoint.
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { restoreModel } from '../checkpoint/modelState';
import { imageOptionsOf, loadSplit } from '../data/load';
import { eagerBoundEstimator, estimateLogLikelihood } from '../evaluate/logLikelihood';
import { estimateLogLikelihoodFast } from '../graph/graphLikelihood';
import { activeUnits, posteriorMeanVariances } from '../evaluate/activeUnits';
import { heldOutExamples } from '../evaluate/testData';
import { Sampler, mix32 } from '../random/sampler';
import { tf } from '../tf';
import { checkpointPath } from './checkpointPath';

export interface EvalOptions {
  k: number;
  data?: string;
  examples: number;
  seed: number;
  json?: boolean;
  perExample?: boolean;
}

const SMALL_KS = [1, 5, 50];

export async function evalCommand(path: string, o: EvalOptions): Promise<void> {
  const file = checkpointPath(path);
  const checkpoint = loadCheckpoint(file);
  const { test } = await loadSplit(o.data ?? checkpoint.config.data.path, imageOptionsOf(checkpoint.config.data));
  const x = heldOutExamples(test, checkpoint.config, o.examples);
  const model = restoreModel(checkpoint, file);
  const started = performance.now();
  try {
    const progress = !o.json && process.stderr.isTTY
      ? (done: number, total: number) => process.stderr.write(`\r-L_${o.k}: ${done}/${total} examples`)
      : undefined;
    const nll = await estimateLogLikelihoodFast(model, x, o.k, new Sampler(mix32(o.seed, 1)), { onProgress: progress });
    if (progress) process.stderr.write('\n');
    const bounds: Record<string, number> = {};
    for (const k of SMALL_KS) bounds[k] = (await estimateLogLikelihood(eagerBoundEstimator(model, k, new Sampler(mix32(o.seed, 2 + k))), x))!.mean;
    const variances = await posteriorMeanVariances(model, x, new Sampler(mix32(o.seed, 3)));
    const result = {
      checkpoint: file, examples: x.shape[0], k: o.k,
      testNll: -nll!.mean, standardError: nll!.standardError,
      activeUnits: variances.map((v) => activeUnits(v)),
      bounds, seconds: (performance.now() - started) / 1000,
      ...(o.perExample ? { perExample: Array.from(nll!.perExample) } : {}),
    };
    if (o.json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`checkpoint   ${file}`);
      console.log(`test NLL     ${result.testNll.toFixed(2)} ± ${result.standardError.toFixed(2)} nats  (-L_${o.k}, ${result.examples} examples)`);
      console.log(`active units ${result.activeUnits.join(' / ')}  (of ${checkpoint.config.model.layers.map((l) => l.latent).join(' / ')})`);
      console.log(SMALL_KS.map((k) => `L_${k} ${bounds[k].toFixed(2)}`).join('   '));
    }
  } finally {
    tf.dispose(x);
    model.dispose();
  }
}
