// From a user's choices and a dataset to a complete RunConfig: the defaults
// live here, once, for the command line and the extension alike.
import type { Dataset } from '../data/dataset';
import type { RunChoices } from '../../shared/trainingProtocol';
import { burdaOneLayer, burdaTwoLayers, validateModelConfig, type ModelConfig } from '../models/config';
import { DEFAULT_CIWAE_BETA, objectiveConfig } from '../objectives/objective';
import { DEFAULT_TRAINING, type RunConfig } from './runConfig';
import { stages } from './schedule';
import { fingerprint } from '../data/fingerprint';


/** objective-k<K>[-m<M>][-b<beta>]-<time>: M for MIWAE and PIWAE, beta for CIWAE. */
export function runId(c: Pick<RunChoices, 'objective' | 'k' | 'm' | 'beta'>, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  const k = c.k ?? (c.objective === 'vae' ? 1 : 5);
  const m = c.objective === 'miwae' || c.objective === 'piwae' ? `-m${c.m ?? 1}` : '';
  const beta = c.objective === 'ciwae' ? `-b${c.beta ?? DEFAULT_CIWAE_BETA}` : '';
  return `${c.objective}-k${k}${m}${beta}-${stamp}`;
}

export type { RunChoices };

export function createRunConfig(choices: RunChoices, train: Dataset, test: Dataset, dataPath: string): RunConfig {
  stages(choices.schedule);
  const model: ModelConfig = {
    inputDim: train.d,
    ...(train.imageShape ? { imageShape: [train.imageShape[0], train.imageShape[1]] } : {}),
    layers: choices.hidden || choices.latent
      ? [{ hidden: choices.hidden ?? [200, 200], latent: choices.latent ?? 50 }]
      : choices.layers === 2 ? burdaTwoLayers() : burdaOneLayer(),
    posterior: choices.posterior ?? 'normal',
    prior: choices.prior ?? 'normal',
    priorComponents: choices.components ?? 10,
    likelihood: choices.likelihood ?? (train.kind === 'real' ? 'gaussian-learned' : 'bernoulli'),
    likelihoodScale: 1,
  };
  validateModelConfig(model);
  if (model.likelihood === 'bernoulli' && train.kind === 'real') {
    throw new Error(`${train.source}: values outside [0, 1] cannot be modelled with a Bernoulli likelihood; use a Gaussian one`);
  }
  if (test.d !== train.d) throw new Error(`${test.source}: ${test.d} values per example, the training data have ${train.d}`);
  const objective = objectiveConfig({
    kind: choices.objective,
    ...(choices.k !== undefined ? { k: choices.k } : {}),
    ...(choices.m !== undefined ? { m: choices.m } : {}),
    ...(choices.beta !== undefined ? { beta: choices.beta } : {}),
    estimator: choices.estimator ?? 'standard',
    analyticKl: choices.analyticKl ?? false,
  });
  return {
    format: 'latent-lab-run', version: 1, runId: choices.runId ?? runId(choices),
    model, objective,
    training: {
      ...DEFAULT_TRAINING,
      schedule: choices.schedule,
      seed: choices.seed ?? 0,
      ...(choices.batchSize !== undefined ? { batchSize: choices.batchSize } : {}),
      binarize: choices.binarize ?? true,
      ...(choices.evalK !== undefined ? { evalK: choices.evalK } : {}),
      ...(choices.nllEvery !== undefined ? { nllEvery: choices.nllEvery } : {}),
      ...(choices.nllExamples !== undefined ? { nllExamples: choices.nllExamples } : {}),
      ...(choices.evalExamples !== undefined ? { evalExamples: choices.evalExamples } : {}),
    },
    data: {
      path: dataPath, fingerprint: fingerprint(train), trainSize: train.n, testSize: test.n, dim: train.d, kind: train.kind,
      ...(train.imageShape ? { imageShape: [train.imageShape[0], train.imageShape[1]] as [number, number] } : {}),
    },
  };
}
