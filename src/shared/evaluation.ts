// What an evaluation of a checkpoint finds, however it was asked for: the
// command line (`latent-lab eval --json`), the evaluation process of the
// extension (Evaluate Checkpoint, the inspector's Evaluate) and the trainer's
// final evaluation in run.json all carry this one shape. docs/checkpoint-format.md
// says how every number is computed.
import { z } from 'zod';
import { LogWeightAnalysis } from './diagnostics';
import { StepPathChoice } from './events';

/** The seed of every evaluation the trainer and the extension make (`latent-lab eval --seed` chooses another). */
export const EVALUATION_SEED = 0;

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

/** L_K with its standard error across examples, and the delta-method bias -Var(w) / (2 K E[w]^2) at K (absent in records made before it was). */
export const BoundAtK = z.object({ k: positiveInt, bound: finite, standardError: finite, deltaMethodBias: finite.optional() });
export type BoundAtK = z.infer<typeof BoundAtK>;

export const EvaluationResult = LogWeightAnalysis.extend({
  /** N of the test NLL -L_N (5000 in Burda et al.). */
  k: positiveInt,
  /** Held-out examples evaluated: the first this many of the held-out set. */
  examples: count,
  /** The evaluation seed: with the checkpoint, N and the examples it fixes every number here. */
  seed: count,
  /** -L_N averaged over the examples (nats). */
  testNll: finite,
  /** Standard error of testNll across examples. */
  standardError: finite,
  /** Active units per stochastic layer: #{u : Cov_x(E_q[z_u | x]) > 0.01}. */
  activeUnits: z.array(count),
  /** L_K for a ladder of K up to N, each the mean over the N/K disjoint groups of the same N log weights per example;
   * the fit, the jackknife and the weight diagnostics (LogWeightAnalysis) come from the same log weights. */
  boundVsK: z.array(BoundAtK),
  /** Which path drew the log weights. */
  stepPath: StepPathChoice,
  seconds: finite,
  /** L_N of every example, when asked for (paired comparisons of runs on the same examples). */
  perExample: z.array(finite).optional(),
});
export type EvaluationResult = z.infer<typeof EvaluationResult>;

/**
 * A final evaluation as run.json stores it. Records written before the
 * evaluation had one shape ({ evalK, testNll, testNllStandardError, examples,
 * activeUnits }) still read, with what they did not record left out, and so do
 * those made before the log weights were analyzed (no `weights`).
 */
export const RecordedEvaluation = z.preprocess(
  (v) => {
    if (typeof v !== 'object' || v === null || !('evalK' in v)) return v;
    const { evalK, testNllStandardError, ...rest } = v as Record<string, unknown>;
    return { ...rest, k: evalK, standardError: testNllStandardError, boundVsK: [] };
  },
  EvaluationResult.partial({ seed: true, stepPath: true, seconds: true, weights: true }),
);
export type RecordedEvaluation = z.infer<typeof RecordedEvaluation>;
