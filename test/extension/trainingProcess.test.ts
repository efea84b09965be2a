// The host's side of the training channel, against stand-in workers that
// misbehave on purpose: garbage messages, crashes, refusing to stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/shared/events';
import { TrainingProcess, type RunRequest } from '../../src/extension/training/trainingProcess';
import { ManualClock } from './helpers/manualClock';
import { MemoryLog } from './helpers/memoryLog';
import { record as runRecord } from '../experiments/runFolders';

const dir = mkdtempSync(join(tmpdir(), 'll-process-'));

/** A stand-in worker: `body` runs in the child with `send` and the first request in `request`. */
function fakeWorker(name: string, body: string, options: { sendsReady?: boolean } = {}): string {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, `
const send = (m, callback) => process.send(m, callback);
${options.sendsReady === false ? '' : 'send({ type: "ready", pid: process.pid });'}
process.on('message', (request) => {
  if (request.type !== 'start' && request.type !== 'resume') return;
  ${body}
});
setInterval(() => {}, 1000);
`);
  return path;
}

const request = (runDir: string): RunRequest => ({
  type: 'start', runDir, dataPath: '/data.npy', choices: { objective: 'iwae', schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 } },
});
const start = { type: 'start', runId: 'r', objective: { kind: 'iwae', k: 5, m: 1, estimator: 'standard' }, totalSteps: 10, dataset: 'd', step: 0, time: 0 };
const endEvent = { type: 'end', status: 'finished', step: 10, time: 1 };

test('malformed messages from the training process are dropped with a warning; the valid ones get through', async () => {
  const worker = fakeWorker('garbage', `
    send(null); send('hello'); send(42); send({ type: 'event' }); send({ type: 'event', event: { type: 'nope' } });
    send({ type: 'event', event: { ...${JSON.stringify(start)}, totalSteps: -1 } }); send({ type: 'ready', pid: 'x' });
    send({ type: 'event', event: ${JSON.stringify(start)} });
    send({ type: 'event', event: { type: 'progress', step: 5, epoch: 0, trainBound: 'NaN', imagesPerSec: 1, learningRate: 1, time: 1 } });
    send({ type: 'event', event: ${JSON.stringify(endEvent)} }, () => process.exit(0));
  `);
  const log = new MemoryLog();
  const trainer = new TrainingProcess(request(join(dir, 'garbage-run')), { workerPath: worker, log });
  const events: RunEvent[] = [];
  trainer.onEvent((e) => events.push(e));
  const outcome = await trainer.exited;
  assert.deepEqual(events.map((e) => e.type), ['start', 'end']);
  assert.deepEqual(outcome, { status: 'finished', step: 10 });
  const warnings = log.messages('warn');
  assert.equal(warnings.length, 8, warnings.join('\n'));
  assert.ok(warnings.every((w) => w.startsWith('ignoring a malformed message from the training process')));
});

test('a process that crashes is reported with its exit code and last stderr lines, and run.json is marked failed', async () => {
  const runDir = join(dir, 'crash-run');
  const worker = fakeWorker('crash', `
    require('fs').mkdirSync(request.runDir, { recursive: true });
    require('fs').writeFileSync(request.runDir + '/run.json', ${JSON.stringify(JSON.stringify(runRecord('r', { status: 'running', step: 7, epoch: 0, final: undefined })))});
    send({ type: 'event', event: ${JSON.stringify(start)} }, () => {
      for (let i = 0; i < 30; i++) console.error('noise ' + i);
      console.error('Error: out of memory');
      process.exit(3);
    });
  `);
  const log = new MemoryLog();
  const trainer = new TrainingProcess(request(runDir), { workerPath: worker, log });
  const output: string[] = [];
  trainer.onOutput((line) => output.push(line));
  const outcome = await trainer.exited;
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.exit?.code, 3);
  assert.equal(outcome.exit?.signal, null);
  assert.equal(outcome.exit?.stderr.length, 20, 'the last lines, bounded');
  assert.equal(outcome.exit?.stderr.at(-1), 'Error: out of memory');
  assert.equal(output.length, 31, 'every line is passed on for the output channel');
  assert.equal(outcome.message, 'the training process exited with code 3; no checkpoint had been written yet, so there is nothing to resume');
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  assert.equal(record.status, 'failed');
  assert.equal(record.message, outcome.message);
  assert.equal(record.step, 7, 'the rest of the record is kept');
});

test('a refusal before training (bad data) is a failure with the worker\'s own message', async () => {
  const worker = fakeWorker('refuse', `send({ type: 'error', message: '/data.npy: no such file' }, () => process.exit(1));`);
  const outcome = await new TrainingProcess(request(join(dir, 'refused-run')), { workerPath: worker, log: new MemoryLog() }).exited;
  assert.deepEqual(outcome, { status: 'failed', message: '/data.npy: no such file' });
});

test('a process that ignores stop is terminated at the stop deadline, then killed at the kill deadline; the run counts as stopped', async () => {
  const worker = fakeWorker('stubborn', `
    process.on('SIGTERM', () => console.error('ignoring SIGTERM'));
    send({ type: 'event', event: ${JSON.stringify(start)} });
  `);
  const log = new MemoryLog();
  const clock = new ManualClock();
  const trainer = new TrainingProcess(request(join(dir, 'stubborn-run')), { workerPath: worker, log, stopTimeoutMs: 60_000, killTimeoutMs: 5_000, clock });
  await new Promise<void>((resolve) => trainer.onEvent(() => resolve()));
  const terminating = () => log.messages('warn').filter((w) => /did not stop in time; terminating it/.test(w)).length;
  const outcome = trainer.stop();
  clock.advance(59_999);
  assert.equal(terminating(), 0, 'the run has until the stop deadline');
  const ignored = new Promise<void>((resolve) => trainer.onOutput((line) => line === 'ignoring SIGTERM' && resolve()));
  clock.advance(1);
  assert.equal(terminating(), 1, 'then SIGTERM');
  await ignored;
  clock.advance(5_000);
  const ended = await outcome;
  assert.equal(ended.status, 'stopped');
  assert.equal(ended.exit?.signal, 'SIGKILL');
  assert.match(ended.message ?? '', /did not stop in time and was killed by SIGKILL/);
  assert.deepEqual(ended.exit?.stderr, ['ignoring SIGTERM']);
});

test('stopping before the process is ready ends it without starting a run', async () => {
  const worker = fakeWorker('slow', 'send({ type: "error", message: "should never be asked" });', { sendsReady: false });
  const trainer = new TrainingProcess(request(join(dir, 'never-run')), { workerPath: worker, log: new MemoryLog() });
  const outcome = await trainer.stop();
  assert.deepEqual(outcome, { status: 'stopped', message: 'stopped before the run started' });
});
