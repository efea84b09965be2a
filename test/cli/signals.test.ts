// Signals as a terminal sends them, in each phase of a run of the built CLI:
// once stops at the next step or batch keeping the checkpoint, twice aborts at
// once with run.json saying so; SIGTERM alike. Each phase is made long (-L_N
// of 10,000 held-out examples), and the signal is sent when the run's own
// output says the phase has begun, so the stop is heard inside it. (The images, drawn in one
// go, and the phases' exact checkpoints are test/engine/stopPhases.test.ts.)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { writeTinyDataset } from '../extension/helpers/tinyDataset';
import { LiveCli, runCli } from './helpers/cli';

let data: string;
before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  // 90,000 training examples in batches of 1,000: 90 steps an epoch; 10,000 held out.
  data = writeTinyDataset(mkdtempSync(join(tmpdir(), 'll-signals-data-')), 100_000);
});

const STEPS = 90;
/** -L_5000 of all 10,000 held-out examples, one estimator call each: tens of seconds. */
const slowNll = ['--eval-k', '5000', '--nll-examples', '0'];
const run = (epochs: number, extra: string[] = []) => {
  const out = join(mkdtempSync(join(tmpdir(), 'll-signals-')), 'run');
  const cli = new LiveCli(['train', '--data', data, '--hidden', '16', '--latent', '2', '--k', '3', '--batch-size', '1000', '--eval-examples', '50',
    '--epochs', String(epochs), '--out', out, '--json', ...extra]);
  return { out, cli };
};
const stateOf = (out: string) => loadCheckpoint(runPaths(out).checkpoint).state;

test('Ctrl-C once during the final evaluation stops it, keeps the checkpoint, and the run resumes to its end', async () => {
  const { out, cli } = run(1, slowNll);
  await cli.line('stderr', /^final evaluation: /);
  cli.child.kill('SIGINT');
  await cli.line('stderr', /^stopping: the run ends at its next step or batch, keeping its checkpoint \(Ctrl-C again aborts at once\)$/);
  assert.deepEqual(await cli.exited, { code: 0, signal: null });
  assert.ok(!cli.events.some((e) => e.type === 'boundVsK'));
  assert.deepEqual(cli.events.at(-1), { ...cli.events.at(-1), type: 'end', status: 'stopped', step: STEPS });
  const record = readRunRecord(out)!;
  assert.deepEqual([record.status, record.message, record.final], ['stopped', 'stopped by Ctrl-C (SIGINT)', undefined]);
  assert.deepEqual([stateOf(out).step, stateOf(out).epoch], [STEPS, 1]);
  const resumed = runCli(['train', '--resume', out, '--eval-k', '20', '--nll-examples', '100']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal(readRunRecord(out)?.status, 'finished');
});

test('Ctrl-C once during the per-epoch evaluation stops inside it, checkpointing the epoch\'s steps', async () => {
  const { out, cli } = run(2, ['--nll-every', '1', ...slowNll]);
  await cli.line('stdout', new RegExp(`"type":"progress","step":${STEPS},`));
  cli.child.kill('SIGINT');
  assert.deepEqual(await cli.exited, { code: 0, signal: null });
  assert.ok(!cli.events.some((e) => e.type === 'epoch'), 'the epoch\'s evaluation did not finish');
  assert.deepEqual([stateOf(out).step, stateOf(out).epoch, stateOf(out).stepInEpoch], [STEPS, 0, STEPS]);
  assert.equal(readRunRecord(out)?.status, 'stopped');
});

test('SIGTERM once during training stops after the step, keeping a checkpoint there', async () => {
  const { out, cli } = run(100);
  await cli.line('stdout', /"type":"progress"/);
  cli.child.kill('SIGTERM');
  assert.deepEqual(await cli.exited, { code: 0, signal: null });
  const record = readRunRecord(out)!;
  assert.deepEqual([record.status, record.message], ['stopped', 'stopped by SIGTERM']);
  assert.equal(stateOf(out).step, record.step);
  assert.equal(cli.events.at(-1)?.step, record.step);
});

test('a second signal aborts at once: run.json says stopped at the last checkpoint, by both signals, and the lock goes', async () => {
  const { out, cli } = run(1, slowNll);
  await cli.line('stderr', /^final evaluation: /);
  // Frozen, the process cannot act on the first before the second arrives: both wait, and are handled one after the other
  // (in either order: the threads of a process take signals as they come).
  cli.child.kill('SIGSTOP');
  cli.child.kill('SIGINT');
  cli.child.kill('SIGTERM');
  cli.child.kill('SIGCONT');
  const { code, signal } = await cli.exited;
  assert.equal(signal, null);
  const [first, second] = code === 143 ? ['Ctrl-C (SIGINT)', 'SIGTERM'] : ['SIGTERM', 'Ctrl-C (SIGINT)'];
  assert.equal(code, second === 'SIGTERM' ? 143 : 130);
  const record = readRunRecord(out)!;
  assert.deepEqual([record.status, record.message], ['stopped', `stopped by ${first}, then aborted by a second ${second}; the last checkpoint (step ${STEPS}) is kept`]);
  assert.equal(stateOf(out).step, STEPS);
  assert.ok(!existsSync(join(out, 'run.lock')));
  const resumed = runCli(['train', '--resume', out, '--eval-k', '20', '--nll-examples', '100']);
  assert.equal(resumed.status, 0, resumed.stderr);
});
