// The held-out data as every evaluation sees it: grey levels binarized once
// with a seed fixed by the run, so the trainer's and `eval`'s numbers agree.
import { tf, type Tensor } from '../tf';
import type { Dataset } from '../data/dataset';
import { Sampler, mix32 } from '../random/sampler';
import type { RunConfig, TrainingConfig } from '../train/runConfig';
import { binarize } from '../train/step';

export function evaluationData(test: Dataset, training: Pick<TrainingConfig, 'binarize' | 'seed'>): Tensor {
  return tf.tidy(() => {
    const x = tf.tensor2d(test.x, [test.n, test.d]);
    return training.binarize && test.kind === 'unit' ? binarize(x, new Sampler(mix32(training.seed, 0x7e57))) : x;
  });
}

/** The first `limit` rows (0: all) of the held-out data, checked against the model's input size. */
export function heldOutExamples(test: Dataset, config: Pick<RunConfig, 'model' | 'training'>, limit: number): Tensor {
  if (test.d !== config.model.inputDim) throw new Error(`${test.source}: ${test.d} values per example, the model expects ${config.model.inputDim}`);
  return tf.tidy(() => {
    const all = evaluationData(test, config.training);
    return limit > 0 ? all.slice([0, 0], [Math.min(limit, test.n), -1]) : all;
  });
}
