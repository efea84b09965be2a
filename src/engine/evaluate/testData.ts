// The held-out data as every evaluation sees it. Grey levels (data of kind
// `unit`, when the run binarizes) become binary pixels once, for the whole
// held-out set, from the evaluation seed's own stream: pixel (i, j) is 1 when
// u[i, j] < x[i, j], u uniform on [0, 1). The trainer, `latent-lab eval` and
// the extension therefore evaluate the very same binary examples;
// `latent-lab eval --write-eval-data` writes them out (docs/checkpoint-format.md).
import { tf, type Tensor } from '../tf';
import type { Dataset } from '../data/dataset';
import { streamSampler } from '../random/streams';
import type { RunConfig } from '../train/runConfig';
import { binarize } from '../train/step';

/** Whether a run's held-out values are binarized for evaluation. */
export function binarizesHeldOut(config: Pick<RunConfig, 'training'>, test: Pick<Dataset, 'kind'>): boolean {
  return config.training.binarize && test.kind === 'unit';
}

/** The whole held-out set [N, D], as evaluated with `seed`. */
export function evaluationData(test: Dataset, config: Pick<RunConfig, 'training'>, seed: number): Tensor {
  return tf.tidy(() => {
    const x = tf.tensor2d(test.x, [test.n, test.d]);
    return binarizesHeldOut(config, test) ? binarize(x, streamSampler(seed, 'heldOutBinarization')) : x;
  });
}

/** The first `limit` rows (0: all) of the held-out data as evaluated with `seed`, checked against the model's input size. */
export function heldOutExamples(test: Dataset, config: Pick<RunConfig, 'model' | 'training'>, limit: number, seed: number): Tensor {
  if (test.d !== config.model.inputDim) throw new Error(`${test.source}: ${test.d} values per example, the model expects ${config.model.inputDim}`);
  return tf.tidy(() => firstRows(evaluationData(test, config, seed), limit));
}

/** The first `limit` rows of x (0: all of them). */
export function firstRows(x: Tensor, limit: number): Tensor {
  const n = x.shape[0];
  return limit > 0 && limit < n ? x.slice([0, 0], [limit, -1]) : x.clone();
}
