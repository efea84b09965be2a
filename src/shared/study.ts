// A K study: one question (how test NLL, active units and overfitting move
// with K, for each objective) answered by one ordinary run per (objective, K,
// seed). `latent-lab study` writes this manifest beside the runs, as
// <runs folder>/<name>.study.json; the runs themselves are ordinary run
// folders next to it, so every tool that reads runs reads them too.
import { z } from 'zod';
import { Estimate } from './diagnostics';

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

export const StudyObjective = z.enum(['vae', 'iwae']);
export type StudyObjective = z.infer<typeof StudyObjective>;

export const StudyPlan = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
  data: z.string(),
  /** The first is the baseline the others are compared with. */
  objectives: z.array(StudyObjective).min(1),
  ks: z.array(positiveInt).min(1),
  seeds: z.array(count).min(1),
  schedule: z.discriminatedUnion('kind', [z.object({ kind: z.literal('fixed'), epochs: positiveInt }), z.object({ kind: z.literal('burda') })]),
  /** N of the test NLL -L_N every run is evaluated with. */
  evalK: positiveInt,
  /** The evaluation seed: the same for every run, so their differences are paired. */
  evalSeed: count,
  /** Passed to every `latent-lab train` as given (model size, batch size, ...). */
  trainArgs: z.array(z.string()),
});
export type StudyPlan = z.infer<typeof StudyPlan>;

export const StudyCell = z.object({
  /** The objectives this run stands for: at K = 1 the VAE and IWAE bounds are one bound, so one run serves both. */
  objectives: z.array(StudyObjective).min(1),
  k: positiveInt,
  seed: count,
  /** Its run folder's name inside the runs folder. */
  run: z.string(),
});
export type StudyCell = z.infer<typeof StudyCell>;

/** One objective at one K, over the seeds. */
export const StudyPoint = z.object({
  objective: StudyObjective,
  k: positiveInt,
  seeds: positiveInt,
  /** -L_N; standardError: across the test examples (mean over seeds). */
  testNll: Estimate,
  /** Across seeds; absent with one seed. */
  testNllBetweenSeeds: finite.optional(),
  /** Of the first stochastic layer, mean over seeds. */
  activeUnits: finite,
  /** The last epoch's training bound minus the same bound on held-out examples, mean over seeds. */
  overfitting: finite,
});
export type StudyPoint = z.infer<typeof StudyPoint>;

export const Verdict = z.enum(['holds', 'does not hold', 'not resolved']);
export type Verdict = z.infer<typeof Verdict>;

/** What a finding compares, for whoever draws it (absent in manifests written before it was recorded). */
export const FindingSubject = z.discriminatedUnion('kind', [
  /** The objective's test NLL falls from K = from to K = to. */
  z.object({ kind: z.literal('fallsWithK'), objective: StudyObjective, from: positiveInt, to: positiveInt }),
  /** The objective's test NLL is below the baseline's at K. */
  z.object({ kind: z.literal('beatsBaseline'), objective: StudyObjective, baseline: StudyObjective, k: positiveInt }),
  /** The objective gains more from K = from to K = to than the baseline. */
  z.object({ kind: z.literal('gainsMore'), objective: StudyObjective, baseline: StudyObjective, from: positiveInt, to: positiveInt }),
  /** The objective has more active units than the baseline at K. */
  z.object({ kind: z.literal('moreActiveUnits'), objective: StudyObjective, baseline: StudyObjective, k: positiveInt }),
]);
export type FindingSubject = z.infer<typeof FindingSubject>;

export const Finding = z.object({
  /** The claim, e.g. "IWAE has a lower test NLL than VAE at K = 5". */
  claim: z.string(),
  about: FindingSubject.optional(),
  verdict: Verdict,
  /** The claim's quantity: positive when the claim is true. */
  difference: finite,
  /** Over the test examples (paired: the same examples for every run). */
  pairedStandardError: finite.optional(),
  /** Over the seeds; absent with one seed. */
  betweenSeedStandardError: finite.optional(),
  unit: z.enum(['nats', 'units']),
  /** The whole finding as a sentence, with its numbers and what its uncertainty does and does not include. */
  sentence: z.string(),
});
export type Finding = z.infer<typeof Finding>;

export const StudyResults = z.object({
  examples: count,
  points: z.array(StudyPoint),
  findings: z.array(Finding),
});
export type StudyResults = z.infer<typeof StudyResults>;

export const StudyStatus = z.enum(['running', 'stopped', 'finished', 'failed']);
export type StudyStatus = z.infer<typeof StudyStatus>;

export const StudyManifest = z.object({
  format: z.literal('latent-lab-study'),
  version: z.literal(1),
  plan: StudyPlan,
  cells: z.array(StudyCell),
  status: StudyStatus,
  message: z.string().optional(),
  created: z.string(),
  updated: z.string(),
  results: StudyResults.optional(),
});
export type StudyManifest = z.infer<typeof StudyManifest>;
