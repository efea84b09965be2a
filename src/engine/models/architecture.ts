// A model's parameters as data: which MLPs a config implies, their widths, and
// every parameter's name and shape. The model builds its tensors from this, and
// a checkpoint is checked against it before any tensor is allocated.
import { validateModelConfig, type ModelConfig } from './config';

/** The sizes a config gives the model's parameters: one description for building a model and for checking a checkpoint's arrays before building one. */
export interface Architecture {
  /** Layer widths of each MLP, input first: q.l and p.l. */
  readonly encoders: number[][];
  readonly decoders: number[][];
  /** [components, top latent size] of the mixture prior. */
  readonly mixture?: [number, number];
  /** Shape of the learned likelihood log-scale. */
  readonly likelihoodLogScale?: [number];
}

export function architecture(config: ModelConfig): Architecture {
  validateModelConfig(config);
  const { layers, inputDim } = config;
  const below = (l: number) => (l === 0 ? inputDim : layers[l - 1].latent);
  const top = layers[layers.length - 1].latent;
  return {
    encoders: layers.map((layer, l) => [below(l), ...layer.hidden, 2 * layer.latent]),
    // The likelihood's scale is not computed per example, so p(x|z1) outputs D values.
    decoders: layers.map((layer, l) => [layer.latent, ...[...layer.hidden].reverse(), l === 0 ? inputDim : 2 * below(l)]),
    ...(config.prior === 'mixture' ? { mixture: [config.priorComponents, top] as [number, number] } : {}),
    ...(config.likelihood === 'gaussian-learned' ? { likelihoodLogScale: [inputDim] as [number] } : {}),
  };
}

/** Every parameter's name and shape for `config`, computed without allocating any of them. */
export function parameterShapes(config: ModelConfig): Map<string, number[]> {
  const { encoders, decoders, mixture, likelihoodLogScale } = architecture(config);
  const shapes = new Map<string, number[]>([
    ...encoders.flatMap((sizes, l) => mlpShapes(`q.${l}`, sizes)),
    ...decoders.flatMap((sizes, l) => mlpShapes(`p.${l}`, sizes)),
  ]);
  if (mixture) {
    shapes.set('p.prior.logits', [mixture[0]]);
    shapes.set('p.prior.locs', [...mixture]);
    shapes.set('p.prior.logScales', [...mixture]);
  }
  if (likelihoodLogScale) shapes.set('p.likelihood.logScale', likelihoodLogScale);
  return shapes;
}

/** The names and shapes of the parameters of an MLP with these widths, as createMlp makes them. */
function mlpShapes(name: string, sizes: number[]): [string, number[]][] {
  return sizes.slice(1).flatMap((out, i): [string, number[]][] => {
    const [kernel, bias] = denseNames(name, i);
    return [[kernel, [sizes[i], out]], [bias, [out]]];
  });
}

export function denseNames(name: string, layer: number): [string, string] {
  return [`${name}.${layer}.kernel`, `${name}.${layer}.bias`];
}
