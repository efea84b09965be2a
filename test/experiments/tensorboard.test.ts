// TensorBoard logs: which scalars each event carries, and that real event files land in the run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scalarsOf, TensorBoardLog } from '../../src/engine/train/tensorboard';
import { tempDir } from './runFolders';

test('events become scalars against the optimizer step', () => {
  assert.deepEqual(scalarsOf({ type: 'progress', step: 25, epoch: 0, trainBound: -100, imagesPerSec: 900, learningRate: 1e-3, time: 1 }).map((s) => [s.tag, s.value, s.step]),
    [['train/bound', -100, 25], ['train/images_per_sec', 900, 25], ['train/learning_rate', 1e-3, 25]]);
  assert.deepEqual(scalarsOf({ type: 'epoch', step: 50, epoch: 0, trainBound: -99, testElbo: -98, testIwae: -97, testNll: 96, evalK: 5000, time: 2 }).map((s) => s.tag),
    ['epoch/train_bound', 'heldout/elbo', 'heldout/iwae', 'test/nll']);
  assert.deepEqual(scalarsOf({ type: 'checkpoint', step: 50, epoch: 1, path: 'x' }), []);
});

test('writes a TensorBoard event file into the run folder', () => {
  const dir = tempDir('ll-tb-');
  const log = new TensorBoardLog(dir);
  log.write({ type: 'progress', step: 1, epoch: 0, trainBound: -10, imagesPerSec: 5, learningRate: 1e-3, time: 0 });
  log.write({ type: 'epoch', step: 2, epoch: 0, trainBound: -9, testElbo: -9.5, testIwae: -9.2, time: 1 });
  const files = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
  assert.equal(files.length, 1);
  const bytes = readFileSync(join(dir, files[0]));
  assert.ok(bytes.includes(Buffer.from('heldout/iwae')), 'the flushed file names the held-out bound');
});
