// The held-out examples an evaluation used, as an IDX file an outside tool can
// read (`latent-lab eval --write-eval-data`): type float32 (0x0D), dimensions
// [N, H, W] (H = 1, W = D when the examples are not images), big-endian,
// row-major, every value exactly as the model saw it (0 or 1 after binarization).
import { writeFileAtomic } from '../checkpoint/atomicWrite';
import type { DataSummary } from '../train/runConfig';
import { imageShapeOf } from './figures';

const FLOAT32 = 0x0d;

export function encodeEvaluationData(values: Float32Array, n: number, data: Pick<DataSummary, 'imageShape' | 'dim'>): Buffer {
  const [h, w] = imageShapeOf(data) ?? [1, data.dim];
  if (values.length !== n * h * w) throw new Error(`${values.length} values are not ${n} examples of ${h}x${w}`);
  const header = 4 + 3 * 4;
  const bytes = Buffer.alloc(header + 4 * values.length);
  bytes.writeUInt32BE(FLOAT32 * 256 + 3, 0);
  [n, h, w].forEach((size, i) => bytes.writeUInt32BE(size, 4 + 4 * i));
  values.forEach((v, i) => bytes.writeFloatBE(v, header + 4 * i));
  return bytes;
}

export function writeEvaluationData(file: string, values: Float32Array, n: number, data: Pick<DataSummary, 'imageShape' | 'dim'>): void {
  writeFileAtomic(file, encodeEvaluationData(values, n, data));
}
