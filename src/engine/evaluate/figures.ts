// The pictures of what a model has learned, drawn one way for the dashboard
// (the trainer, after every epoch and on request) and for the inspector (a
// checkpoint): held-out examples above their reconstructions, prior samples,
// and traversals of the top layer's units, most active first.
import { tf, type Tensor } from '../tf';
import type { LatentVariableModel } from '../models/latentModel';
import type { Sampler } from '../random/sampler';
import type { ImageGrid } from '../../shared/events';
import type { DataSummary } from '../train/runConfig';
import { priorSamples, reconstructions, toImageGrid, traversals } from './images';

export const FIGURES = {
  /** Held-out examples reconstructed, and prior samples drawn. */
  examples: 8,
  /** Units traversed when none are asked for, and at most when they are. */
  traversalDims: 5,
  maxTraversalDims: 16,
  /** Values per traversal, evenly over [-range, range]. */
  traversalSteps: 9,
  traversalRange: 3,
} as const;

/** Which top-layer units to traverse, and how far (defaults: the most active, 3). */
export interface FigureRequest {
  dims?: number[];
  range?: number;
}

export interface DrawnFigures {
  /** Only with held-out examples to reconstruct. */
  reconstructions?: ImageGrid;
  samples: ImageGrid;
  traversals: ImageGrid;
  traversalDims: number[];
  /** Each traversal sweeps its unit evenly over [-traversalRange, traversalRange]. */
  traversalRange: number;
}

/** Height and width of the examples: the data's own, or a square; undefined when they are not images. */
export function imageShapeOf(data: Pick<DataSummary, 'imageShape' | 'dim'>): [number, number] | undefined {
  if (data.imageShape) return data.imageShape;
  const side = Math.round(Math.sqrt(data.dim));
  return side * side === data.dim ? [side, side] : undefined;
}

/**
 * The figures of `model`; undefined when the examples are not images.
 * `heldOut` [n, D] (its first rows are reconstructed) and `topVariances` (the
 * top layer's Cov_x(E_q[z_u]), which orders the traversals) may be absent.
 */
export async function drawFigures(model: LatentVariableModel, data: Pick<DataSummary, 'imageShape' | 'dim' | 'kind' | 'channels'>,
  heldOut: Tensor | undefined, topVariances: Float32Array | undefined, request: FigureRequest, sampler: Sampler): Promise<DrawnFigures | undefined> {
  const shape = imageShapeOf(data);
  if (!shape) return undefined;
  const scale = data.kind === 'real';
  const grid = (t: Tensor, rows: number, cols: number) => toImageGrid(t, rows, cols, shape, scale, data.channels);
  const dims = traversalDims(model, topVariances, request.dims);
  const range = request.range ?? FIGURES.traversalRange;
  const n = FIGURES.examples;
  const shown = heldOut && heldOut.shape[0] > 0 ? heldOut.slice([0, 0], [Math.min(n, heldOut.shape[0]), -1]) : undefined;
  const tiles = {
    samples: priorSamples(model, n, sampler),
    traversals: traversals(model, dims, FIGURES.traversalSteps, range),
    reconstructions: shown && reconstructions(model, shown),
  };
  try {
    return {
      samples: await grid(tiles.samples, 1, n),
      traversals: await grid(tiles.traversals, dims.length, FIGURES.traversalSteps),
      traversalDims: dims,
      traversalRange: range,
      ...(tiles.reconstructions && shown ? { reconstructions: await grid(tiles.reconstructions, 2, shown.shape[0]) } : {}),
    };
  } finally {
    tf.dispose([shown, ...Object.values(tiles)].filter((t): t is Tensor => t !== undefined));
  }
}

/** The requested top-layer units that exist (at most maxTraversalDims), else the most active ones. */
function traversalDims(model: LatentVariableModel, topVariances: Float32Array | undefined, requested: number[] | undefined): number[] {
  const top = model.latentSizes[model.latentSizes.length - 1];
  const valid = requested?.filter((d) => d < top) ?? [];
  if (valid.length) return valid.slice(0, FIGURES.maxTraversalDims);
  return Array.from({ length: top }, (_, u) => u)
    .sort((a, b) => (topVariances?.[b] ?? 0) - (topVariances?.[a] ?? 0))
    .slice(0, FIGURES.traversalDims);
}
