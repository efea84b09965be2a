// What `latent-lab eval` and the extension's evaluation process do with a
// checkpoint file: its evaluation, its figures and the SNR of its gradient
// estimators, with the run's own settings unless told otherwise. The trainer's final evaluation is the same
// evaluateModel with the same defaults, so a finished run's checkpoint gives
// back the numbers in its run.json.
import type { Checkpoint } from '../checkpoint/checkpoint';
import { restoreModel } from '../checkpoint/modelState';
import type { Dataset } from '../data/dataset';
import type { GradientSnrStudy } from '../../shared/diagnostics';
import type { EvaluationResult } from '../../shared/evaluation';
import type { Figures } from '../../shared/inspectorProtocol';
import { tf, type Tensor } from '../tf';
import { EVALUATION_SEED, streamSampler } from '../random/streams';
import { runShape, type StepPath } from '../train/stepPath';
import { activeUnitsSummary, posteriorMeanVariances } from './activeUnits';
import { gradientSnrStudy, type GradientSnrPlan } from '../diagnostics/gradientSnr';
import { evaluateModel } from './evaluation';
import { drawFigures } from './figures';
import type { EvaluationControl } from './logLikelihood';
import { evaluationData, heldOutExamples } from './testData';

export interface CheckpointEvaluationOptions {
  /** N of -L_N; default the run's evalK. */
  k?: number;
  /** The first this many held-out examples (0: all); default the run's nllExamples. */
  examples?: number;
  /** Default EVALUATION_SEED. */
  seed?: number;
  perExample?: boolean;
  /** K of the jackknife estimates; default DEFAULT_JACKKNIFE_K (at most N). */
  jackknifeK?: number;
  /** Smallest K the 1/K fit may use; default the first ladder K at or above Var(w)/E[w]^2. */
  kMin?: number;
  control?: EvaluationControl;
}

export interface EvaluationSettings {
  k: number;
  examples: number;
  seed: number;
}

/** The settings an evaluation of `c` uses: the run's own final evaluation's, unless `o` says otherwise. */
export function evaluationSettings(c: Pick<Checkpoint, 'config'>, o: CheckpointEvaluationOptions = {}): EvaluationSettings {
  const { evalK, nllExamples } = c.config.training;
  return { k: o.k ?? evalK, examples: o.examples ?? nllExamples, seed: o.seed ?? EVALUATION_SEED };
}

/** The held-out examples [n, D] an evaluation with `settings` sees. */
export function evaluationExamples(c: Pick<Checkpoint, 'config'>, test: Dataset, settings: EvaluationSettings): Tensor {
  return heldOutExamples(test, c.config, settings.examples, settings.seed);
}

export async function evaluateCheckpoint(c: Checkpoint, file: string, test: Dataset, steps: StepPath,
  o: CheckpointEvaluationOptions = {}): Promise<EvaluationResult> {
  const settings = evaluationSettings(c, o);
  const x = evaluationExamples(c, test, settings);
  const model = restoreModel(c, file);
  try {
    const evaluation = await evaluateModel(model, x, steps, runShape(c.config), {
      k: settings.k, seed: settings.seed, perExample: o.perExample, jackknifeK: o.jackknifeK, kMin: o.kMin, control: o.control,
    });
    if (!evaluation) throw new Error('the evaluation was stopped');
    return evaluation.result;
  } finally {
    x.dispose();
    model.dispose();
  }
}

export interface GradientAnalysisOptions extends Omit<GradientSnrPlan, 'seed'> {
  /** The first this many held-out examples are the batch every gradient is taken on. */
  examples: number;
  /** Default EVALUATION_SEED: the held-out binarization and the draws. */
  seed?: number;
}

/** The gradient SNR study (Rainforth et al. 2018) at the checkpoint's parameters, on its first held-out examples. */
export async function checkpointGradientSnr(c: Checkpoint, file: string, test: Dataset, o: GradientAnalysisOptions): Promise<GradientSnrStudy> {
  const seed = o.seed ?? EVALUATION_SEED;
  const x = heldOutExamples(test, c.config, o.examples, seed);
  const model = restoreModel(c, file);
  try {
    return await gradientSnrStudy(model, x, { ...o, seed });
  } finally {
    x.dispose();
    model.dispose();
  }
}

/** `test` undefined: the held-out data could not be loaded; `missing` says why, and what needs no data is still drawn. */
export async function checkpointFigures(c: Checkpoint, file: string, test: Dataset | undefined, missing?: string,
  seed = EVALUATION_SEED): Promise<Figures> {
  const model = restoreModel(c, file);
  const notes: string[] = [];
  let x: Tensor | undefined;
  try {
    let variances: Float32Array[] | undefined;
    if (test) {
      x = evaluationData(test, c.config, seed);
      variances = await posteriorMeanVariances(model, x, streamSampler(seed, 'activeUnits'));
    } else {
      notes.push(`Reconstructions and active units need the held-out data: ${missing ?? 'not available'}.`);
    }
    const drawn = await drawFigures(model, c.config.data, x, variances?.at(-1), {}, streamSampler(seed, 'figures'));
    if (!drawn) notes.push(`Examples of ${c.config.data.dim} values are not images, so there are no pictures.`);
    return {
      ...(drawn ?? { traversalDims: [] }),
      ...(variances ? { activeUnits: activeUnitsSummary(variances) } : {}),
      notes,
    };
  } finally {
    tf.dispose(x);
    model.dispose();
  }
}
