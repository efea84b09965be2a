// The held-out examples an evaluation used, as an IDX file an outside tool can
// read (`latent-lab eval --write-eval-data`): type float32 (0x0D), dimensions
// [N, H, W] (H = 1, W = D when the examples are not images), or [N, H, W, C]
// for colour images, big-endian, row-major, every value exactly as the model
// saw it (0 or 1 after binarization).
import { writeFileAtomic } from '../checkpoint/atomicWrite';
import type { DataSummary } from '../train/runConfig';
import { imageShapeOf } from './figures';

const FLOAT32 = 0x0d;

export function encodeEvaluationData(values: Float32Array, n: number, data: Pick<DataSummary, 'imageShape' | 'dim' | 'channels'>): Buffer {
  const dims = [n, ...(imageShapeOf(data) ?? [1, data.dim]), ...(data.channels && data.channels > 1 ? [data.channels] : [])];
  if (values.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${values.length} values are not ${n} examples of ${dims.slice(1).join('x')}`);
  const header = 4 + 4 * dims.length;
  const bytes = Buffer.alloc(header + 4 * values.length);
  bytes.writeUInt32BE(FLOAT32 * 256 + dims.length, 0);
  dims.forEach((size, i) => bytes.writeUInt32BE(size, 4 + 4 * i));
  values.forEach((v, i) => bytes.writeFloatBE(v, header + 4 * i));
  return bytes;
}

export function writeEvaluationData(file: string, values: Float32Array, n: number, data: Pick<DataSummary, 'imageShape' | 'dim' | 'channels'>): void {
  writeFileAtomic(file, encodeEvaluationData(values, n, data));
}
