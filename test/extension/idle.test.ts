// The one guard every training command calls: a running training or K study refuses a new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Services } from '../../src/extension/services';
import { ensureIdle } from '../../src/extension/commands/idle';
import { StudyBusyError } from '../../src/extension/study/studyService';
import { TrainingBusyError } from '../../src/extension/training/trainingService';

const services = (training?: { runId: string }, study?: { name: string }) =>
  ({ training: { progress: training }, studies: { progress: study } }) as unknown as Pick<Services, 'training' | 'studies'>;

test('nothing running: a command may train', () => {
  assert.doesNotThrow(() => ensureIdle(services()));
});

test('a training run or a K study refuses another, naming what runs', () => {
  assert.throws(() => ensureIdle(services({ runId: 'iwae-k5-1' })), (err: Error) => err instanceof TrainingBusyError && err.message.includes('iwae-k5-1'));
  assert.throws(() => ensureIdle(services(undefined, { name: 'k-study' })), (err: Error) => err instanceof StudyBusyError && err.message.includes('k-study'));
});
