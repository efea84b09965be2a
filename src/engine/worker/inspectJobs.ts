// The inspector's TensorFlow work on a checkpoint: the pictures and active units
// the trainer draws after an epoch, and the final -L_K. The samplers are the
// trainer's own (seed, salt, epoch), so a finished run's checkpoint evaluated with
// its own K and examples gives back the test NLL in its run.json.
import type { Checkpoint } from '../checkpoint/checkpoint';
import { restoreModel } from '../checkpoint/modelState';
import type { Dataset } from '../data/dataset';
import { activeUnits, ACTIVE_THRESHOLD, posteriorMeanVariances } from '../evaluate/activeUnits';
import { priorSamples, reconstructions, toImageGrid, traversals } from '../evaluate/images';
import { estimateLogLikelihoodFast } from '../graph/graphLikelihood';
import { evaluationData, heldOutExamples } from '../evaluate/testData';
import { Sampler, mix32 } from '../random/sampler';
import { tf, type Tensor } from '../tf';
import type { Evaluation, Figures } from '../../shared/inspectorProtocol';

const IMAGE_EXAMPLES = 8;
const TRAVERSAL_DIMS = 5;
const TRAVERSAL_STEPS = 9;
const TRAVERSAL_RANGE = 3;

/** The trainer's evaluation sampler for `salt` at the checkpoint's epoch (trainer.ts, evalSampler). */
function evalSampler(c: Checkpoint, salt: number): Sampler {
  return new Sampler(mix32(mix32(c.config.training.seed, salt), c.state.epoch));
}

function squareShape(d: number): [number, number] | undefined {
  const side = Math.round(Math.sqrt(d));
  return side * side === d ? [side, side] : undefined;
}

/** `test` undefined: the held-out data could not be loaded; `missing` says why, and what needs no data is still drawn. */
export async function computeFigures(c: Checkpoint, file: string, test: Dataset | undefined, missing?: string): Promise<Figures> {
  const model = restoreModel(c, file);
  const tensors: Tensor[] = [];
  const notes: string[] = [];
  try {
    const { data, training } = c.config;
    const top = model.latentSizes[model.latentSizes.length - 1];
    let figures: Figures = { traversalDims: [], notes };
    let topVariances: Float32Array | undefined;
    let x: Tensor | undefined;
    if (test) {
      x = evaluationData(test, training);
      tensors.push(x);
      const variances = await posteriorMeanVariances(model, x, evalSampler(c, 3));
      topVariances = variances[variances.length - 1];
      figures.activeUnits = { variances: variances.map((v) => Array.from(v)), threshold: ACTIVE_THRESHOLD, active: variances.map((v) => activeUnits(v)) };
    } else {
      notes.push(`Reconstructions and active units need the held-out data: ${missing ?? 'not available'}.`);
    }
    const shape = data.imageShape ?? squareShape(data.dim);
    if (!shape) {
      notes.push(`Examples of ${data.dim} values are not images, so there are no pictures.`);
      return figures;
    }
    const scale = data.kind === 'real';
    const dims = Array.from({ length: top }, (_, u) => u)
      .sort((a, b) => (topVariances?.[b] ?? 0) - (topVariances?.[a] ?? 0)).slice(0, TRAVERSAL_DIMS);
    const samples = priorSamples(model, IMAGE_EXAMPLES, evalSampler(c, 4));
    const trav = traversals(model, dims, TRAVERSAL_STEPS, TRAVERSAL_RANGE);
    tensors.push(samples, trav);
    figures = {
      ...figures,
      samples: await toImageGrid(samples, 1, IMAGE_EXAMPLES, shape, scale, data.channels),
      traversals: await toImageGrid(trav, dims.length, TRAVERSAL_STEPS, shape, scale, data.channels),
      traversalDims: dims,
    };
    if (x && test) {
      const n = Math.min(IMAGE_EXAMPLES, test.n);
      const first = x.slice([0, 0], [n, -1]);
      const rec = reconstructions(model, first);
      tensors.push(first, rec);
      figures.reconstructions = await toImageGrid(rec, 2, n, shape, scale, data.channels);
    }
    return figures;
  } finally {
    tf.dispose(tensors);
    model.dispose();
  }
}

export interface EvaluateOptions {
  k: number;
  /** Held-out examples (0: all); default the run's own nllExamples. */
  examples?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateCheckpoint(c: Checkpoint, file: string, test: Dataset, o: EvaluateOptions): Promise<Evaluation> {
  const x = heldOutExamples(test, c.config, o.examples ?? c.config.training.nllExamples);
  const model = restoreModel(c, file);
  const started = performance.now();
  try {
    const estimate = await estimateLogLikelihoodFast(model, x, o.k, evalSampler(c, 5), { onProgress: o.onProgress });
    if (!estimate) throw new Error('the evaluation stopped');
    return { k: o.k, examples: x.shape[0], testNll: -estimate.mean, standardError: estimate.standardError, seconds: (performance.now() - started) / 1000 };
  } finally {
    x.dispose();
    model.dispose();
  }
}
