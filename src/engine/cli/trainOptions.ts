// `latent-lab train`'s options, and what is wrong with a combination of them,
// checked before the native backend loads: a refusal costs no TensorFlow.
import type { GradientEstimator, Likelihood, NetworkKind, ObjectiveKind, PosteriorFamily, PriorFamily } from '../../shared/runConfig';
import type { ResumeSettings } from '../train/runSetup';

export interface TrainOptions {
  data?: string;
  objective: ObjectiveKind;
  k?: number;
  m: number;
  beta?: number;
  estimator: GradientEstimator;
  analyticKl?: boolean;
  epochs?: number;
  schedule?: 'fixed' | 'burda';
  lr: number;
  batchSize: number;
  layers: '1' | '2';
  hidden?: number[];
  latent?: number;
  posterior: PosteriorFamily;
  degreesOfFreedom?: number;
  flowSteps?: number;
  flowHidden?: number;
  flowContext?: number;
  prior: PriorFamily;
  components: number;
  network: NetworkKind;
  convChannels?: number[];
  convKernel?: number;
  colour?: boolean;
  likelihood?: Likelihood;
  binarize: boolean;
  evalK: number;
  nllEvery: number;
  nllExamples: number;
  evalExamples: number;
  seed: number;
  out?: string;
  resume?: string;
  maxSteps?: number;
  json?: boolean;
}

/** An option the user gave on the command line (not a default), as commander names it and as typed. */
export interface GivenOption {
  key: string;
  flag: string;
}

/** What `--resume` may change, by option (runSetup.ts's RESUMABLE_SETTINGS), and the options that only steer this session. */
const RESUME_SETTINGS: Record<string, keyof ResumeSettings> = { epochs: 'epochs', evalK: 'evalK', nllEvery: 'nllEvery', nllExamples: 'nllExamples' };
const SESSION_OPTIONS = new Set(['resume', 'data', 'maxSteps', 'json']);

/** Throws on options that cannot work together; returns what a resume changes. */
export function checkTrainOptions(o: TrainOptions, given: GivenOption[]): ResumeSettings {
  if (o.out === '' || o.resume === '') throw new Error(`${o.resume === '' ? '--resume' : '--out'} is empty; name a run folder`);
  if (o.resume && o.out !== undefined) throw new Error('choose either --resume (continue a run in its folder) or --out (a new run)');
  if (o.schedule === 'burda' && o.epochs !== undefined) throw new Error('choose either --epochs or --schedule burda');
  if (!o.resume) {
    if (given.some((g) => g.key === 'm') && o.objective !== 'miwae' && o.objective !== 'piwae') throw new Error(`--m ${o.m} sets the groups of MIWAE and PIWAE; it means nothing for --objective ${o.objective}`);
    return {};
  }
  const fixed = given.filter((g) => !SESSION_OPTIONS.has(g.key) && !(g.key in RESUME_SETTINGS));
  if (fixed.length) {
    throw new Error(`--resume continues the run as its checkpoint defines it: ${fixed.map((g) => g.flag).join(', ')} cannot change `
      + '(only --epochs, --eval-k, --nll-every and --nll-examples can, and --data, --max-steps, --json)');
  }
  const changes: ResumeSettings = {};
  for (const g of given) if (g.key in RESUME_SETTINGS) changes[RESUME_SETTINGS[g.key]] = o[g.key as keyof TrainOptions] as number;
  return changes;
}
