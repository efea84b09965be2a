// Small slices of the bundled MNIST digits for training tests.
import type { Dataset } from '../../src/engine/data/dataset';
import { loadSplit } from '../../src/engine/data/load';

export async function mnistSubset(trainSize: number, testSize: number): Promise<{ train: Dataset; test: Dataset }> {
  const { train, test } = await loadSplit('examples/mnist');
  const cut = (d: Dataset, n: number): Dataset => ({ ...d, x: d.x.subarray(0, n * d.d), n, labels: d.labels?.subarray(0, n) });
  return { train: cut(train, trainSize), test: cut(test, testSize) };
}
