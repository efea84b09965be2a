// A dataset small enough for a training process to get through in a second or
// two: 8x8 images (random bars plus noise) in a uint8 .npy file, of which the
// loaders hold out the last 10% as the test set. Binary by default; with
// `grey` the pixels are grey levels, which training and evaluation binarize.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeTinyDataset(dir: string, n = 2000, side = 8, seed = 1, grey = false): string {
  const [off, on] = grey ? [30, 210] : [0, 255];
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pixels = new Uint8Array(n * side * side);
  for (let i = 0; i < n; i++) {
    const row = Math.floor(random() * side);
    const col = Math.floor(random() * side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const lit = y === row || x === col ? random() < 0.95 : random() < 0.05;
        pixels[(i * side + y) * side + x] = lit ? on : off;
      }
    }
  }
  const file = join(dir, grey ? 'grey-bars.npy' : 'bars.npy');
  writeFileSync(file, Buffer.concat([npyHeader(`|u1`, [n, side, side]), Buffer.from(pixels)]));
  return file;
}

/** NPY version 1.0: magic, version, header length, then a dict literal padded so the data starts at a multiple of 64. */
function npyHeader(descr: string, shape: number[]): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(prefix);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1')]);
}
