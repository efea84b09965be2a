// A dataset as the engine sees it: N examples of D values, row-major, in memory.
// How its values are distributed (ValueKind, named once in src/shared/runConfig.ts)
// decides the likelihood: `binary` (all 0/1) and `unit` (grey levels in [0, 1],
// binarized dynamically) train with a Bernoulli decoder; `real` (anything
// else) with a Gaussian one.
import type { ValueKind } from '../../shared/runConfig';

export type { ValueKind };

export interface Dataset {
  /** [N, D] row-major. */
  readonly x: Float32Array;
  readonly n: number;
  readonly d: number;
  /** Image height and width when the examples are images (h * w * channels === d). */
  readonly imageShape?: readonly [number, number];
  /** Values per pixel of colour images, stored last (absent: 1). */
  readonly channels?: number;
  /** One integer label per example, when the file provides them. */
  readonly labels?: Int32Array;
  readonly kind: ValueKind;
  /** Where it came from, for messages and run records. */
  readonly source: string;
}

/** A file that cannot be read as a dataset: names the file and what is wrong. */
export class DataError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataError';
  }
}

export function valueKind(x: Float32Array): ValueKind {
  let binary = true;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < 0 || v > 1) return 'real';
    if (v !== 0 && v !== 1) binary = false;
  }
  return binary ? 'binary' : 'unit';
}
