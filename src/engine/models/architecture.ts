// A model's parameters as data: which networks a config implies, their sizes,
// and every parameter's name and shape. The model builds its tensors from this,
// and a checkpoint is checked against it before any tensor is allocated.
import { imageChannels, validateModelConfig, type ConvNetworkConfig, type ModelConfig } from './config';

/** [height, width, channels]. */
export type FeatureShape = [number, number, number];

/** The convolutional networks next to the data: the image, then the feature map after each stride-2 convolution. */
export interface ConvArchitecture {
  readonly shapes: FeatureShape[];
  readonly kernel: number;
}

/** One IAF step's MADE network. */
export interface MadeSizes {
  latent: number;
  hidden: number;
  context: number;
}

/** The sizes a config gives the model's parameters: one description for building a model and for checking a checkpoint's arrays before building one. */
export interface Architecture {
  /** Layer widths of each MLP, input first: q.l and p.l. Next to convolutions, q.0 starts and p.0 ends at the smallest feature map, flattened. */
  readonly encoders: number[][];
  readonly decoders: number[][];
  /** The convolutions of q.0 and the transposed convolutions of p.0. */
  readonly conv?: ConvArchitecture;
  /** The MADE networks of each stochastic layer's IAF steps. */
  readonly flows?: MadeSizes[][];
  /** [components, top latent size] of the mixture prior. */
  readonly mixture?: [number, number];
  /** [C, D], the VampPrior's pseudo-inputs. */
  readonly pseudoInputs?: [number, number];
  /** Shape of the learned likelihood log-scale. */
  readonly likelihoodLogScale?: [number];
}

export function architecture(config: ModelConfig): Architecture {
  validateModelConfig(config);
  const { layers, inputDim } = config;
  const below = (l: number) => (l === 0 ? inputDim : layers[l - 1].latent);
  const top = layers[layers.length - 1].latent;
  const conv = config.network?.kind === 'conv' && config.imageShape
    ? { shapes: featureShapes([...config.imageShape, imageChannels(config)], config.network), kernel: config.network.kernel }
    : undefined;
  const smallest = conv && size(conv.shapes[conv.shapes.length - 1]);
  const flow = config.flow;
  return {
    encoders: layers.map((layer, l) => [l === 0 && smallest ? smallest : below(l), ...layer.hidden, posteriorOutputs(config, layer.latent)]),
    // The likelihood's scale is not computed per example, so p(x|z1) outputs D values.
    decoders: layers.map((layer, l) => [layer.latent, ...[...layer.hidden].reverse(), l === 0 ? smallest ?? inputDim : 2 * below(l)]),
    ...(conv ? { conv } : {}),
    ...(flow ? { flows: layers.map((layer) => Array.from({ length: flow.steps }, () => ({ latent: layer.latent, hidden: flow.hidden, context: flow.context }))) } : {}),
    ...(config.prior === 'mixture' ? { mixture: [config.priorComponents, top] as [number, number] } : {}),
    ...(config.prior === 'vamp' ? { pseudoInputs: [config.priorComponents, inputDim] as [number, number] } : {}),
    ...(config.likelihood === 'gaussian-learned' ? { likelihoodLogScale: [inputDim] as [number] } : {}),
  };
}

/** Values per example the encoder of a `latent`-dimensional layer outputs: location and log-scale, and the IAF's context. */
export function posteriorOutputs(config: Pick<ModelConfig, 'flow'>, latent: number): number {
  return 2 * latent + (config.flow?.context ?? 0);
}

/** The image, then the feature map after each stride-2 convolution (padding "same": each side ceil(side / 2)). */
export function featureShapes(image: FeatureShape, conv: Pick<ConvNetworkConfig, 'channels'>): FeatureShape[] {
  const shapes: FeatureShape[] = [image];
  for (const channels of conv.channels) {
    const [h, w] = shapes[shapes.length - 1];
    shapes.push([Math.ceil(h / 2), Math.ceil(w / 2), channels]);
  }
  return shapes;
}

export function size(s: FeatureShape): number {
  return s[0] * s[1] * s[2];
}

/** Every parameter's name and shape for `config`, computed without allocating any of them. */
export function parameterShapes(config: ModelConfig): Map<string, number[]> {
  const { encoders, decoders, conv, flows, mixture, pseudoInputs, likelihoodLogScale } = architecture(config);
  const shapes = new Map<string, number[]>([
    ...(conv ? convShapes(conv) : []),
    ...encoders.flatMap((sizes, l) => mlpShapes(`q.${l}`, sizes)),
    ...(flows ?? []).flatMap((steps, l) => steps.flatMap((sizes, t) => madeShapes(iafStepName(l, t), sizes))),
    ...decoders.flatMap((sizes, l) => mlpShapes(`p.${l}`, sizes)),
    ...(conv ? deconvShapes(conv) : []),
  ]);
  if (mixture) {
    shapes.set('p.prior.logits', [mixture[0]]);
    shapes.set('p.prior.locs', [...mixture]);
    shapes.set('p.prior.logScales', [...mixture]);
  }
  if (pseudoInputs) shapes.set(PSEUDO_INPUTS, [...pseudoInputs]);
  if (likelihoodLogScale) shapes.set('p.likelihood.logScale', likelihoodLogScale);
  return shapes;
}

export const PSEUDO_INPUTS = 'p.prior.pseudoInputs';
/** The stacks of (transposed) convolutions next to the data, layer i named like a dense layer's: `${CONV}.${i}.kernel`. */
export const CONV = 'q.0.conv';
export const DECONV = 'p.0.deconv';

/** The names and shapes of the parameters of an MLP with these widths, as createMlp makes them. */
function mlpShapes(name: string, sizes: number[]): [string, number[]][] {
  return sizes.slice(1).flatMap((out, i): [string, number[]][] => {
    const [kernel, bias] = denseNames(name, i);
    return [[kernel, [sizes[i], out]], [bias, [out]]];
  });
}

/** Convolution i of q.0: [k, k, c_i, c_i+1] from map i to map i + 1. */
function convShapes({ shapes, kernel: k }: ConvArchitecture): [string, number[]][] {
  return shapes.slice(1).flatMap((out, i): [string, number[]][] => {
    const [kernel, bias] = denseNames(CONV, i);
    return [[kernel, [k, k, shapes[i][2], out[2]]], [bias, [out[2]]]];
  });
}

/** Transposed convolution i of p.0, from map i + 1 up to map i: [k, k, c_i, c_i+1] (tfjs's conv2dTranspose layout). */
function deconvShapes({ shapes, kernel: k }: ConvArchitecture): [string, number[]][] {
  return shapes.slice(1).flatMap((from, i): [string, number[]][] => {
    const [kernel, bias] = denseNames(DECONV, i);
    return [[kernel, [k, k, shapes[i][2], from[2]]], [bias, [shapes[i][2]]]];
  });
}

/** The names and shapes of one MADE network's parameters, as createMade makes them. */
function madeShapes(name: string, { latent, hidden, context }: MadeSizes): [string, number[]][] {
  const n = madeNames(name);
  return [
    [n.hiddenKernel, [latent, hidden]], [n.hiddenBias, [hidden]],
    ...(context > 0 ? [[n.contextKernel, [context, hidden]] as [string, number[]]] : []),
    [n.shiftKernel, [hidden, latent]], [n.shiftBias, [latent]],
    [n.gateKernel, [hidden, latent]], [n.gateBias, [latent]],
  ];
}

export function denseNames(name: string, layer: number): [string, string] {
  return [`${name}.${layer}.kernel`, `${name}.${layer}.bias`];
}

/** IAF step t of stochastic layer l. */
export function iafStepName(l: number, t: number): string {
  return `q.${l}.iaf.${t}`;
}

export interface MadeNames {
  hiddenKernel: string; hiddenBias: string; contextKernel: string;
  shiftKernel: string; shiftBias: string; gateKernel: string; gateBias: string;
}

export function madeNames(name: string): MadeNames {
  return {
    hiddenKernel: `${name}.hidden.kernel`, hiddenBias: `${name}.hidden.bias`, contextKernel: `${name}.context.kernel`,
    shiftKernel: `${name}.shift.kernel`, shiftBias: `${name}.shift.bias`, gateKernel: `${name}.gate.kernel`, gateBias: `${name}.gate.bias`,
  };
}
