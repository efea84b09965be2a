// How many steps a call takes: the largest divisor of the progress interval up
// to 25, and beside it a small block that fills an interval too, for the ends
// of epochs that a large block would overrun.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockSizes, stepsPerCallFor } from '../../src/engine/train/stepRunner';

test('steps per call: the largest divisor of the progress interval up to 25', () => {
  assert.deepEqual([25, 20, 7, 30, 100, 1].map(stepsPerCallFor), [25, 20, 7, 15, 25, 1]);
});

test('block sizes: the large block and its largest divisor up to 5, each dividing the progress interval', () => {
  assert.deepEqual(blockSizes(25), [25, 5]);
  assert.deepEqual(blockSizes(20), [20, 5]);
  assert.deepEqual(blockSizes(8), [8, 4]);
  assert.deepEqual(blockSizes(7), [7]);
  assert.deepEqual(blockSizes(5), [5]);
  assert.deepEqual(blockSizes(1), []);
  for (const every of [25, 20, 12, 30, 100]) {
    for (const n of blockSizes(stepsPerCallFor(every))) assert.equal(every % n, 0, `a block of ${n} in a progress interval of ${every}`);
  }
});
