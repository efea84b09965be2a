// The checks every loader's result goes through, so that each format fails the
// same way on the same problem and the engine can trust what it receives.
import { checkValueCount } from './bounds';
import { DataError, valueKind, type Dataset } from './dataset';

/** The largest magnitude a float32 holds, for messages (anything from about 3.4028235e38 up rounds to infinity). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** `count` values read through `valueAt` and divided by `divisor`, as float32, for examples of `d` values. */
export function float32Values(source: string, count: number, d: number, valueAt: (i: number) => number, divisor = 1): Float32Array {
  checkValueCount(source, count, 'the data');
  const x = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = valueAt(i) / divisor;
    if (overflowsFloat32(v)) throw new DataError(source, `${exceedsFloat32(String(v))} at example ${Math.floor(i / d)}, value ${i % d}`);
    x[i] = v;
  }
  return x;
}

/** Whether float32 cannot hold the finite number `v` (it would round to infinity). */
export function overflowsFloat32(v: number): boolean {
  return Number.isFinite(v) && !Number.isFinite(Math.fround(v));
}

/** `shown` (a value as the message quotes it) is too large for float32. */
export function exceedsFloat32(shown: string): string {
  return `${shown} exceeds float32's range (±${FLOAT32_MAX.toPrecision(5)})`;
}

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
  checkValueCount(file, count, 'the labels');
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
