// The checks every loader's result goes through, so that each format fails the
// same way on the same problem and the engine can trust what it receives.
import { DataError, valueKind, type Dataset } from './dataset';

/** `x` holds n examples of d values (images of `channels` values per pixel); throws when there are none or a value is not finite. */
export function makeDataset(source: string, x: Float32Array, n: number, d: number, imageShape?: readonly [number, number], channels = 1): Dataset {
  if (n === 0 || d === 0) throw new DataError(source, n === 0 ? 'empty: it holds no examples' : 'empty: its examples hold no values');
  const bad = firstNonFinite(x);
  if (bad >= 0) throw new DataError(source, `contains ${x[bad]} at example ${Math.floor(bad / d)}, value ${bad % d}`);
  return { x, n, d, kind: valueKind(x), source, ...(imageShape ? { imageShape } : {}), ...(channels > 1 ? { channels } : {}) };
}

/** Attaches labels read from `labelsFile` (which may be the data file itself). */
export function withLabels(data: Dataset, labels: Int32Array, labelsFile: string): Dataset {
  if (labels.length !== data.n) {
    throw new DataError(labelsFile, `holds ${labels.length} labels but ${data.source} holds ${data.n} examples`);
  }
  return { ...data, labels };
}

/** Labels are class ids: whole numbers from 0 that fit an Int32Array. */
export function isLabel(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;
}

export function toLabels(file: string, count: number, valueAt: (i: number) => number): Int32Array {
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = valueAt(i);
    if (!isLabel(v)) throw new DataError(file, `label ${v} at example ${i} is not a whole number from 0 up`);
    labels[i] = v;
  }
  return labels;
}

function firstNonFinite(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}
