// The dashboard's throttle: few posts for many events, and nothing but progress ever dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/shared/events';
import { EventThrottle } from '../../src/extension/training/eventThrottle';
import { ManualClock } from './helpers/manualClock';
import { end, epoch, images, progress } from './helpers/events';

test('a burst of thousands of progress events becomes a couple of posts carrying the newest progress', () => {
  const clock = new ManualClock();
  const posts: RunEvent[][] = [];
  const throttle = new EventThrottle((events) => posts.push(events), 100, clock);
  for (let step = 1; step <= 5000; step++) throttle.push(progress(step));
  clock.advance(100);
  assert.equal(posts.length, 2, 'the first event at once, the rest in one batch after the interval');
  assert.deepEqual(posts.flat().map((e) => e.step), [1, 5000]);
});

test('over a long run posts stay within one per interval, and epoch, images and end events all arrive in order', () => {
  const clock = new ManualClock();
  const posts: RunEvent[][] = [];
  const throttle = new EventThrottle((events) => posts.push(events), 100, clock);
  const expected: number[] = [];
  for (let step = 1; step <= 3000; step++) {
    throttle.push(progress(step));
    if (step % 100 === 0) {
      throttle.push(epoch(step / 100 - 1, step));
      throttle.push(images(step));
      expected.push(step);
    }
    clock.advance(1); // 1000 events a second
  }
  throttle.push(end(3000));
  throttle.flush();
  assert.ok(posts.length <= 3000 / 100 + 2, `${posts.length} posts for 3 s of events`);
  const all = posts.flat();
  assert.deepEqual(all.filter((e) => e.type === 'epoch').map((e) => e.step), expected);
  assert.deepEqual(all.filter((e) => e.type === 'images').map((e) => e.step), expected);
  assert.equal(all.at(-1)?.type, 'end');
  const steps = all.map((e) => e.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'order is kept');
  assert.ok(all.filter((e) => e.type === 'progress').length < 3000 / 10, 'progress is thinned');
});

test('flush posts at once and dispose drops what is pending', () => {
  const clock = new ManualClock();
  const posts: RunEvent[][] = [];
  const throttle = new EventThrottle((events) => posts.push(events), 100, clock);
  throttle.push(progress(1));
  throttle.push(epoch(0, 2));
  assert.equal(posts.length, 1);
  throttle.flush();
  assert.deepEqual(posts.map((p) => p.map((e) => e.type)), [['progress'], ['epoch']]);
  throttle.push(progress(3));
  throttle.dispose();
  clock.advance(1000);
  assert.equal(posts.length, 2);
});
