// Context keys and the experiment dashboard follow a job's start and end, not
// every progress report in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/extension/emitter';
import { onStartOrEnd } from '../../src/extension/ui/startOrEnd';

function job(initial?: number) {
  const changes = new Emitter<number | undefined>();
  const j = { progress: initial, onDidChangeProgress: changes.event, report: (p: number | undefined) => { j.progress = p; changes.fire(p); } };
  return j;
}

test('one call when the job starts and one when it ends, none for the reports in between', () => {
  const j = job();
  const calls: boolean[] = [];
  const subscription = onStartOrEnd(j, (running) => calls.push(running));
  for (const p of [1, 2, 3, undefined, undefined, 4, undefined]) j.report(p);
  assert.deepEqual(calls, [true, false, true, false]);
  subscription.dispose();
  j.report(5);
  assert.deepEqual(calls, [true, false, true, false], 'a disposed subscription still heard the job');
});

test('a job already running when the subscription starts is heard when it ends, not started twice', () => {
  const j = job(7);
  const calls: boolean[] = [];
  onStartOrEnd(j, (running) => calls.push(running));
  j.report(8);
  j.report(undefined);
  assert.deepEqual(calls, [false]);
});
