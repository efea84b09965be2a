// From a user's choices and a dataset to a complete RunConfig: the defaults
// live here, once, for the command line and the extension alike.
import { resolve } from 'node:path';
import type { Dataset } from '../data/dataset';
import type { RunChoices } from '../../shared/trainingProtocol';
import { burdaOneLayer, burdaTwoLayers, DEFAULT_DEGREES_OF_FREEDOM, defaultConvNetwork, defaultFlow, validateModelConfig, type ModelConfig } from '../models/config';
import { DEFAULT_CIWAE_BETA, objectiveConfig, validateObjectiveForModel } from '../objectives/objective';
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

/** The run `choices` describe on `train` and `test`, read from `dataPath` (stored absolute, so a resume from another folder finds it). */
export function createRunConfig(choices: RunChoices, train: Dataset, test: Dataset, dataPath: string): RunConfig {
  stages(choices.schedule);
  if (choices.layers === 2 && (choices.hidden || choices.latent)) {
    throw new Error("layers = 2 is Burda et al.'s two-layer model, and hidden or latent sizes describe a one-layer model: choose one or the other");
  }
  const posterior = choices.posterior ?? 'normal';
  const model: ModelConfig = {
    inputDim: train.d,
    ...(train.imageShape ? { imageShape: [train.imageShape[0], train.imageShape[1]] } : {}),
    ...(train.channels ? { imageChannels: train.channels } : {}),
    ...(choices.network === 'conv' ? { network: convNetwork(choices) } : {}),
    layers: choices.hidden || choices.latent
      ? [{ hidden: choices.hidden ?? [200, 200], latent: choices.latent ?? 50 }]
      : choices.layers === 2 ? burdaTwoLayers() : burdaOneLayer(),
    posterior,
    ...(posterior === 'student-t' ? { degreesOfFreedom: choices.degreesOfFreedom ?? DEFAULT_DEGREES_OF_FREEDOM } : {}),
    ...(posterior === 'iaf' ? { flow: flow(choices) } : {}),
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
  validateObjectiveForModel(objective, model);
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
      path: resolve(dataPath), fingerprint: fingerprint(train), trainSize: train.n, testSize: test.n, dim: train.d, kind: train.kind,
      ...(train.imageShape ? { imageShape: [train.imageShape[0], train.imageShape[1]] as [number, number] } : {}),
      ...(train.channels ? { channels: train.channels } : {}),
    },
  };
}

function convNetwork(c: RunChoices): ModelConfig['network'] {
  const defaults = defaultConvNetwork();
  return { kind: 'conv', channels: c.convChannels ?? defaults.channels, kernel: c.convKernel ?? defaults.kernel };
}

function flow(c: RunChoices): ModelConfig['flow'] {
  const defaults = defaultFlow();
  return { steps: c.flowSteps ?? defaults.steps, hidden: c.flowHidden ?? defaults.hidden, context: c.flowContext ?? defaults.context };
}
