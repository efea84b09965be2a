// What the trainer measures on held-out data after every epoch: the ELBO and
// L_K with the run's own K side by side on the same samples, -L_N every
// `nllEvery` epochs, and the active units. Each epoch draws from its own
// streams of the evaluation seed (random/streams.ts).
import type { Tensor } from '../tf';
import { activeUnitsSummary, posteriorMeanVariances } from '../evaluate/activeUnits';
import { heldOutBounds } from '../evaluate/heldOut';
import { logWeightBounds } from '../diagnostics/logWeightAnalysis';
import { estimateBounds, type EvaluationControl } from '../evaluate/logLikelihood';
import { meanWithStandardError } from '../math/statistics';
import { firstRows } from '../evaluate/testData';
import type { LatentVariableModel } from '../models/latentModel';
import { samplesPerExample } from '../objectives/objective';
import { EVALUATION_SEED, streamSampler } from '../random/streams';
import type { ActiveUnitsEvent, EpochEvent } from '../../shared/events';
import type { RunConfig } from './runConfig';
import { runShape, type StepPath } from './stepPath';

/** Examples of the per-epoch active-unit statistics. */
const ACTIVE_UNIT_EXAMPLES = 500;

export type EpochBounds = Pick<EpochEvent, 'testElbo' | 'testIwae' | 'testNll' | 'evalK'>;

/** After epoch `epoch` (0-based) of a run with `config`, on the held-out set x [n, D] as evaluated. Undefined if stopped. */
export async function epochBounds(model: LatentVariableModel, heldOut: Tensor, config: RunConfig, steps: StepPath, epoch: number,
  control: EvaluationControl = {}): Promise<EpochBounds | undefined> {
  const { training, objective } = config;
  const x = firstRows(heldOut, training.evalExamples);
  const bounds = await heldOutBounds(model, x, samplesPerExample(objective), streamSampler(EVALUATION_SEED, 'epochBounds', epoch), control)
    .finally(() => x.dispose());
  if (!bounds) return undefined;
  const out: EpochBounds = { testElbo: bounds.elbo, testIwae: bounds.iwae };
  if (training.nllEvery > 0 && (epoch + 1) % training.nllEvery === 0) {
    const nllX = firstRows(heldOut, training.nllExamples);
    try {
      const estimator = await steps.logWeightEstimator(model, runShape(config), training.evalK, streamSampler(EVALUATION_SEED, 'epochLogLikelihood', epoch));
      const bounds = await estimateBounds(estimator, nllX, logWeightBounds, control);
      if (!bounds) return undefined;
      Object.assign(out, { testNll: -meanWithStandardError(bounds).mean, evalK: training.evalK });
    } finally {
      nllX.dispose();
    }
  }
  return out;
}

/** Cov_x(E_q[z_u]) on the first held-out examples after epoch `epoch`, and its event. */
export async function epochActiveUnits(model: LatentVariableModel, heldOut: Tensor, step: number, epoch: number): Promise<{ variances: Float32Array[]; event: ActiveUnitsEvent }> {
  const x = firstRows(heldOut, ACTIVE_UNIT_EXAMPLES);
  try {
    const variances = await posteriorMeanVariances(model, x, streamSampler(EVALUATION_SEED, 'activeUnits', epoch + 1));
    return { variances, event: { type: 'activeUnits', step, ...activeUnitsSummary(variances) } };
  } finally {
    x.dispose();
  }
}
