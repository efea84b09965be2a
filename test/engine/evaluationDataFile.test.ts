// The held-out examples `eval --write-eval-data` writes: an IDX file whose
// dimensions say what each example is, grey images, colour images or vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEvaluationData } from '../../src/engine/evaluate/evaluationDataFile';

function decode(bytes: Buffer): { magic: number; dims: number[]; values: number[] } {
  const rank = bytes.readUInt32BE(0) & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * rank;
  const values = Array.from({ length: (bytes.length - start) / 4 }, (_, i) => bytes.readFloatBE(start + 4 * i));
  return { magic: bytes.readUInt32BE(0), dims, values };
}

test('grey images are [N, H, W], colour images [N, H, W, C] channels last, vectors [N, 1, D]', () => {
  const values = Float32Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => (i % 2));
  const colour = decode(encodeEvaluationData(values, 2, { imageShape: [2, 3], dim: 18, channels: 3 }));
  assert.deepEqual([colour.magic.toString(16), colour.dims], ['d04', [2, 2, 3, 3]]);
  assert.deepEqual(colour.values, Array.from(values));
  const grey = decode(encodeEvaluationData(values.subarray(0, 12), 2, { imageShape: [2, 3], dim: 6 }));
  assert.deepEqual([grey.magic.toString(16), grey.dims], ['d03', [2, 2, 3]]);
  assert.deepEqual(decode(encodeEvaluationData(values.subarray(0, 10), 2, { dim: 5 })).dims, [2, 1, 5]);
  assert.throws(() => encodeEvaluationData(values, 2, { imageShape: [2, 3], dim: 18 }), /36 values are not 2 examples of 2x3/);
});
