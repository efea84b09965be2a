// docs/checkpoint-format.md says exactly how held-out grey levels become the
// binary examples every evaluation sees. Written again here from that text
// alone (mix32, seedrandom's Alea, u < x), it must give the very same pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '../../src/engine/data/dataset';
import { evaluationData } from '../../src/engine/evaluate/testData';

function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x6a09e667, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Johannes Baagøe's Alea, as seedrandom 3 seeds it from a string. */
function alea(seed: string): () => number {
  let n = 0xefc8249d;
  const mash = (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * 2.3283064365386963e-10;
  };
  let [s0, s1, s2, c] = [mash(' '), mash(' '), mash(' '), 1];
  s0 -= mash(seed); if (s0 < 0) s0 += 1;
  s1 -= mash(seed); if (s1 < 0) s1 += 1;
  s2 -= mash(seed); if (s2 < 0) s2 += 1;
  return () => {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    return (s2 = t - (c = t | 0));
  };
}

function documentedBinarization(x: Float32Array, evaluationSeed: number): Float32Array {
  const next = alea(String(mix32(mix32(mix32(evaluationSeed, 0x7e57), 0), 0)));
  return x.map((v) => (Math.fround(next()) < v ? 1 : 0));
}

const greyLevels = (n: number, d: number): Dataset => ({
  x: Float32Array.from({ length: n * d }, (_, i) => ((i * 37) % 256) / 255), n, d, kind: 'unit', source: 'grey levels',
});
const binarizing = { training: { binarize: true } } as Parameters<typeof evaluationData>[1];

test('the documented seed of the default evaluation', () => {
  assert.equal(mix32(mix32(mix32(0, 0x7e57), 0), 0), 599380276);
});

for (const seed of [0, 1, 12345]) {
  test(`held-out grey levels are binarized exactly as documented (evaluation seed ${seed})`, async () => {
    const test = greyLevels(50, 30);
    const x = evaluationData(test, binarizing, seed);
    const pixels = await x.data() as Float32Array;
    x.dispose();
    assert.deepEqual(Array.from(pixels), Array.from(documentedBinarization(test.x, seed)));
    const ones = pixels.reduce((s, v) => s + v, 0) / pixels.length;
    const mean = test.x.reduce((s, v) => s + v, 0) / test.x.length;
    assert.ok(Math.abs(ones - mean) < 4 * Math.sqrt(mean * (1 - mean) / pixels.length), `${ones} of the pixels are on, the grey levels average ${mean}`);
  });
}

test('binary data and runs that do not binarize are evaluated as they are', async () => {
  const grey = greyLevels(4, 5);
  for (const [data, config] of [[{ ...grey, kind: 'binary' as const }, binarizing], [grey, { training: { binarize: false } }]] as const) {
    const x = evaluationData(data, config as typeof binarizing, 0);
    assert.deepEqual(Array.from(await x.data()), Array.from(data.x));
    x.dispose();
  }
});
