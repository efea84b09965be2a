// The named random streams of everything that is not a training step. Each is
// its own sampler, seeded by (seed, stream, index), so drawing more in one
// stream never moves another: the held-out binarization does not depend on how
// many examples an evaluation takes, nor the test NLL on whether images were
// drawn before it. Evaluations use the evaluation seed (EVALUATION_SEED unless
// `latent-lab eval --seed` says otherwise), never the training seed, so runs
// trained with different seeds are evaluated on the same binarized examples
// with the same draws: their differences are paired.
import { Sampler, mix32 } from './sampler';

export { EVALUATION_SEED } from '../../shared/evaluation';

/** Stream ids. Their values are part of the evaluation's definition (docs/checkpoint-format.md): changing one changes numbers. */
export const STREAMS = {
  /** Held-out grey levels drawn to binary pixels, once for the whole held-out set. */
  heldOutBinarization: 0x7e57,
  /** The per-epoch held-out ELBO and L_K (index: the epoch). */
  epochBounds: 1,
  /** The per-epoch test NLL of `nllEvery` (index: the epoch). */
  epochLogLikelihood: 2,
  /** Active units (index: epochs completed during training, 0 in an evaluation). */
  activeUnits: 3,
  /** Prior samples of the figures. */
  figures: 4,
  /** The N log weights per example of -L_N and the bound-vs-K ladder. */
  logLikelihood: 5,
} as const;

export type Stream = keyof typeof STREAMS;

export function streamSampler(seed: number, stream: Stream, index = 0): Sampler {
  return new Sampler(mix32(mix32(seed, STREAMS[stream]), index));
}
