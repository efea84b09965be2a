// What a model is, as data: stored in every checkpoint and run record.

// The schema lives in src/shared/runConfig.ts; this file adds the model's defaults and checks.
import {
  Likelihood, PosteriorFamily, PriorFamily,
  type ConvNetworkConfig, type FlowConfig, type ModelConfig, type NetworkConfig, type StochasticLayerConfig,
} from '../../shared/runConfig';

export type { ConvNetworkConfig, FlowConfig, Likelihood, ModelConfig, NetworkConfig, PosteriorFamily, PriorFamily, StochasticLayerConfig };

/** Burda et al. 2015, one stochastic layer: 784-200-200-50, tanh. */
export function burdaOneLayer(): StochasticLayerConfig[] {
  return [{ hidden: [200, 200], latent: 50 }];
}

/** Burda et al. 2015, two stochastic layers: 200-200-100 then 100-100-50. */
export function burdaTwoLayers(): StochasticLayerConfig[] {
  return [{ hidden: [200, 200], latent: 100 }, { hidden: [100, 100], latent: 50 }];
}

/** What the convolutional networks default to: two stride-2 convolutions of 4x4 kernels. */
export function defaultConvNetwork(): ConvNetworkConfig {
  return { kind: 'conv', channels: [32, 64], kernel: 4 };
}

/** What the IAF posterior defaults to. */
export function defaultFlow(): FlowConfig {
  return { steps: 2, hidden: 200, context: 50 };
}

export const DEFAULT_DEGREES_OF_FREEDOM = 5;

/** The channels per pixel of image examples. */
export function imageChannels(c: Pick<ModelConfig, 'imageChannels'>): number {
  return c.imageChannels ?? 1;
}

/** The families and networks in words, e.g. "iaf posterior (2 flow steps, MADE 200, context 50), vamp prior (10 pseudo-inputs)". */
export function describeFamilies(c: ModelConfig): string {
  const posterior = c.flow ? ` (${c.flow.steps} flow steps, MADE ${c.flow.hidden}, context ${c.flow.context})`
    : c.degreesOfFreedom !== undefined ? ` (${c.degreesOfFreedom} degrees of freedom)` : '';
  const prior = c.prior === 'mixture' ? ` (${c.priorComponents} components)` : c.prior === 'vamp' ? ` (${c.priorComponents} pseudo-inputs)` : '';
  const network = c.network?.kind === 'conv' ? `, conv networks (${c.network.channels.join('-')} channels, ${c.network.kernel}x${c.network.kernel} kernels)` : '';
  return `${c.posterior} posterior${posterior}, ${c.prior} prior${prior}${network}`;
}

const positiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** The checks across fields that the schema cannot express, and every field again for configs built in code. */
export function validateModelConfig(c: ModelConfig): void {
  const bad = (m: string) => { throw new Error(`invalid model config: ${m}`); };
  if (!positiveInteger(c.inputDim)) bad(`inputDim ${c.inputDim}`);
  if (c.layers.length < 1) bad('at least one stochastic layer is needed');
  for (const l of c.layers) {
    if (!positiveInteger(l.latent)) bad(`latent size ${l.latent}`);
    if (l.hidden.some((h) => !positiveInteger(h))) bad(`hidden sizes ${l.hidden.join(',')}`);
  }
  validateImage(c, bad);
  validatePosterior(c, bad);
  validatePrior(c, bad);
  if (!Likelihood.safeParse(c.likelihood).success) bad(`likelihood ${c.likelihood}`);
  if (!(c.likelihoodScale > 0)) bad(`likelihoodScale ${c.likelihoodScale}`);
}

function validateImage(c: ModelConfig, bad: (m: string) => never): void {
  if (c.imageChannels !== undefined && !positiveInteger(c.imageChannels)) bad(`imageChannels ${c.imageChannels}`);
  if (c.imageShape && c.imageShape[0] * c.imageShape[1] * imageChannels(c) !== c.inputDim) {
    bad(`imageShape ${c.imageShape} with ${imageChannels(c)} channel(s) does not hold ${c.inputDim} values`);
  }
  const network: NetworkConfig = c.network ?? { kind: 'mlp' };
  if (network.kind === 'mlp') return;
  if (network.kind !== 'conv') bad(`network ${(network as { kind: string }).kind} (mlp or conv)`);
  if (!c.imageShape) bad('a convolutional network needs image examples (imageShape)');
  if (network.channels.length < 1 || !network.channels.every(positiveInteger)) bad(`convolution channels ${network.channels.join(',')}`);
  if (!positiveInteger(network.kernel)) bad(`convolution kernel ${network.kernel}`);
}

function validatePosterior(c: ModelConfig, bad: (m: string) => never): void {
  if (!PosteriorFamily.safeParse(c.posterior).success) bad(`posterior ${c.posterior} (${PosteriorFamily.options.join(', ')})`);
  if ((c.degreesOfFreedom !== undefined) !== (c.posterior === 'student-t')) bad('degreesOfFreedom is given with, and only with, the student-t posterior');
  if (c.degreesOfFreedom !== undefined && !(Number.isFinite(c.degreesOfFreedom) && c.degreesOfFreedom > 0)) {
    bad(`degreesOfFreedom ${c.degreesOfFreedom} (a positive number)`);
  }
  if ((c.flow !== undefined) !== (c.posterior === 'iaf')) bad('flow is given with, and only with, the iaf posterior');
  if (c.flow) {
    const { steps, hidden, context } = c.flow;
    if (!positiveInteger(steps)) bad(`flow steps ${steps}`);
    if (!positiveInteger(hidden)) bad(`flow hidden width ${hidden}`);
    if (!(Number.isInteger(context) && context >= 0)) bad(`flow context size ${context}`);
  }
}

function validatePrior(c: ModelConfig, bad: (m: string) => never): void {
  if (!PriorFamily.safeParse(c.prior).success) bad(`prior ${c.prior} (${PriorFamily.options.join(', ')})`);
  if (c.prior === 'mixture' && !(Number.isInteger(c.priorComponents) && c.priorComponents >= 2)) bad('a mixture prior needs at least 2 components');
  if (c.prior === 'vamp' && !positiveInteger(c.priorComponents)) bad('a VampPrior needs at least 1 pseudo-input');
  // p(z) = (1/C) sum_c q(z | u_c) is evaluated at any z, but the flow's density is known only at its own draws.
  if (c.prior === 'vamp' && c.posterior === 'iaf') bad('the VampPrior needs q(z|u) at any z, which the iaf posterior does not provide');
}
