// The deterministic networks that compute a conditional's parameters:
// [..., in] -> [..., out] over the last axis, whatever the leading axes.
// MLPs (mlp.ts) and the convolutional networks next to images (convNetworks.ts).
import type { Tensor } from '../tf';

/** Applied to every parameter as the network reads it: the identity, or stopGradient for the sticking-the-landing term. */
export type WeightUse = (w: Tensor) => Tensor;

export const asIs: WeightUse = (w) => w;

export type Network = (x: Tensor, weight?: WeightUse) => Tensor;
