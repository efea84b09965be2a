// Run folders through the command line as a user meets them: one writer at a
// time, a dead run's folder reused, what a resume may change, a relative data
// path, a closed stdout, a run that diverges before its first checkpoint, and
// options or files that cannot work, each refused in one line naming the problem.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readEvents, readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { npyBytes } from '../data/fixtures';
import { writeTinyDataset } from '../extension/helpers/tinyDataset';
import { LiveCli, ownLines, runCli } from './helpers/cli';

const scratch = () => mkdtempSync(join(tmpdir(), 'll-cli-runs-'));
let data: string;
/** 20,000 examples: 900 steps an epoch, so a process killed at its start event has certainly not reached its first checkpoint. */
let bigData: string;
before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  data = writeTinyDataset(scratch(), 1000); // 900 training examples: 45 steps an epoch
  bigData = writeTinyDataset(scratch(), 20_000);
});

const small = ['--hidden', '16', '--latent', '2', '--k', '3', '--eval-k', '20', '--nll-examples', '20', '--eval-examples', '50'];
const tensorBoardFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
const starts = (dir: string) => readEvents(dir).filter((e) => e.type === 'start').length;

/** Exit 1 and exactly one line of its own on stderr, matching `pattern`. */
function refused(r: ReturnType<typeof runCli>, pattern: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  const lines = ownLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
}

test('a second writer of a run folder is refused, naming the run and the process that holds it', async () => {
  const out = join(scratch(), 'run');
  const first = new LiveCli(['train', '--data', data, ...small, '--epochs', '100', '--out', out, '--json']);
  await first.line('stdout', /"type":"checkpoint"/);
  const holder = new RegExp(`^latent-lab: ${out}: process ${first.pid} on \\S+ \\(cli\\.js train .*, since [\\d-]+T[\\d:.]+Z\\) is training in this run folder`);
  refused(runCli(['train', '--data', data, ...small, '--out', out]), holder);
  refused(runCli(['train', '--resume', out, '--max-steps', '5']), holder);
  assert.equal(readRunRecord(out)?.status, 'running', 'the refused processes wrote nothing');
  first.child.kill('SIGINT');
  assert.deepEqual(await first.exited, { code: 0, signal: null });
  assert.equal(starts(out), 1, 'one writer: one start event');
  assert.equal(tensorBoardFiles(out).length, 1);
  assert.equal(readRunRecord(out)?.status, 'stopped');
  assert.ok(!existsSync(join(out, 'run.lock')), 'the lock goes with its run');
});

test('a run killed before its first checkpoint leaves a folder that a new run starts clean in', async () => {
  const out = join(scratch(), 'run');
  const dead = new LiveCli(['train', '--data', bigData, ...small, '--epochs', '3', '--out', out, '--json']);
  await dead.line('stdout', /"type":"start"/);
  dead.child.kill('SIGKILL');
  await dead.exited;
  assert.ok(!existsSync(runPaths(out).checkpoint), 'killed before any checkpoint');
  assert.ok(existsSync(join(out, 'run.lock')), 'and its lock left behind');
  const again = runCli(['train', '--data', data, ...small, '--epochs', '1', '--out', out, '--max-steps', '5', '--json']);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(starts(out), 1, 'metrics.jsonl holds the new run only');
  assert.deepEqual(readEvents(out).filter((e) => e.type === 'progress').map((e) => e.step), [5]);
  const logs = tensorBoardFiles(out);
  assert.equal(logs.length, 1, `one TensorBoard file: ${logs}`);
  assert.ok(!logs[0].includes(`.${dead.pid}.`), 'and it is the new run\'s');
  assert.equal(readRunRecord(out)?.status, 'stopped');
});

test('--resume applies what can change (recorded in run.json) and refuses what cannot, naming it', () => {
  const out = join(scratch(), 'run');
  const first = runCli(['train', '--data', data, ...small, '--epochs', '2', '--out', out, '--max-steps', '10']);
  assert.equal(first.status, 0, first.stderr);
  refused(runCli(['train', '--resume', out, '--k', '50', '--objective', 'vae', '--epochs', '1']),
    /^latent-lab: --resume continues the run as its checkpoint defines it: --objective, --k cannot change \(only --epochs, --eval-k, --nll-every and --nll-examples can/);
  refused(runCli(['train', '--resume', out, '--schedule', 'burda']), /--schedule cannot change/);
  const resumed = runCli(['train', '--resume', out, '--epochs', '3', '--eval-k', '25', '--max-steps', '5', '--json']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const start = JSON.parse(resumed.stdout.split('\n')[0]);
  assert.equal(start.totalSteps, 3 * 45, 'the longer schedule is the one trained');
  const record = readRunRecord(out)!;
  assert.deepEqual(record.config.training.schedule, { kind: 'fixed', epochs: 3, learningRate: 1e-3 });
  assert.equal(record.config.training.evalK, 25);
  assert.deepEqual(record.resumes?.map(({ time: _t, ...r }) => r), [{ step: 10, changes: { epochs: { from: 2, to: 3 }, evalK: { from: 20, to: 25 } } }]);
  assert.equal(loadCheckpoint(runPaths(out).checkpoint).config.training.evalK, 25, 'and so is the checkpoint');
});

test('a relative --data path is stored absolute, so the run resumes from any folder', () => {
  const home = scratch();
  writeFileSync(join(home, 'bars.npy'), readFileSync(data));
  const first = runCli(['train', '--data', 'bars.npy', ...small, '--epochs', '1', '--out', 'run', '--max-steps', '5'], { cwd: home });
  assert.equal(first.status, 0, first.stderr);
  assert.equal(readRunRecord(join(home, 'run'))?.config.data.path, join(home, 'bars.npy'));
  const resumed = runCli(['train', '--resume', join(home, 'run'), '--max-steps', '5'], { cwd: scratch() });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /stopped: .* \(step 10\)/);
});

test('options that contradict each other, an empty --out, or an --out that cannot be a run folder are refused, writing nothing', () => {
  const cwd = scratch();
  const file = join(cwd, 'notes.txt');
  writeFileSync(file, 'mine');
  const other = join(cwd, 'papers');
  mkdirSync(other);
  writeFileSync(join(other, 'draft.tex'), 'mine too');
  const cases: [string[], RegExp][] = [
    [['--m', '4', '--objective', 'iwae'], /--m 4 sets the groups of MIWAE and PIWAE; it means nothing for --objective iwae/],
    [['--layers', '2', '--hidden', '16'], /layers = 2 is Burda et al\.'s two-layer model, and hidden or latent sizes describe a one-layer model/],
    [['--out', ''], /--out is empty; name a run folder/],
    [['--out', file], new RegExp(`${file}: exists and is not a folder`)],
    [['--out', other], new RegExp(`${other}: holds files that are not a run's \\(draft\\.tex\\); train into a new or empty folder`)],
    [['--out', 'a', '--resume', 'b'], /choose either --resume .* or --out/],
  ];
  for (const [args, pattern] of cases) refused(runCli(['train', '--data', data, '--epochs', '1', ...args], { cwd }), pattern);
  assert.deepEqual(readdirSync(cwd).sort(), ['notes.txt', 'papers']);
  assert.deepEqual(readdirSync(other), ['draft.tex']);
});

for (const json of [true, false]) {
  test(`a closed stdout (${json ? '--json' : 'progress lines'} | head -1) stops the run cleanly, and run.json says why`, async () => {
    const out = join(scratch(), 'run');
    const run = new LiveCli(['train', '--data', data, ...small, '--epochs', '50', '--out', out, ...(json ? ['--json'] : [])]);
    await run.line('stdout', /./);
    run.child.stdout.destroy();
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.ok(!run.stderr.some((l) => /EPIPE|^\s+at /.test(l)), run.stderr.join('\n'));
    const record = readRunRecord(out)!;
    assert.deepEqual([record.status, record.message], ['stopped', 'stopped: its output was closed (EPIPE)']);
    assert.equal(loadCheckpoint(runPaths(out).checkpoint).state.step, record.step, 'its checkpoint is where run.json says');
    assert.equal(readEvents(out).at(-1)?.type, 'end', 'metrics.jsonl has the whole story');
    assert.ok(!existsSync(join(out, 'run.lock')));
  });
}

test('a run that diverges before its first checkpoint says so, in one step number, and --resume says why it cannot', () => {
  const dir = scratch();
  const values = Array.from({ length: 2000 * 16 }, (_, i) => Math.sin(i * 12.9898) * 40);
  const real = join(dir, 'real.npy');
  writeFileSync(real, npyBytes('<f4', [2000, 16], values));
  const out = join(dir, 'run');
  const r = runCli(['train', '--data', real, '--hidden', '8', '--latent', '2', '--epochs', '50', '--lr', '10000', '--out', out, '--eval-k', '20']);
  const diverged = /training diverged at step (\d+): the bound is (NaN|-?Infinity); no checkpoint had been written yet, so there is nothing to resume/;
  refused(r, new RegExp(`^latent-lab: ${diverged.source}$`));
  assert.match(r.stdout, new RegExp(`failed: ${out} \\(no checkpoint\\)`));
  assert.doesNotMatch(r.stdout + r.stderr, /the last checkpoint \(step 0\) is kept/);
  const record = readRunRecord(out)!;
  assert.deepEqual([record.status, record.step], ['failed', 0]);
  assert.equal(readEvents(out).find((e) => e.type === 'end')?.step, record.step);
  const step = diverged.exec(r.stderr)![1];
  refused(runCli(['train', '--resume', out]),
    new RegExp(`^latent-lab: ${out}: nothing to resume: the run failed before its first checkpoint \\(training diverged at step ${step}: the bound is \\w+\\); start it again instead`));
});

test('a K the machine cannot hold is refused with the numbers, before anything is written or looped over', () => {
  const cwd = scratch();
  refused(runCli(['train', '--data', data, '--k', '1e20', '--epochs', '1'], { cwd }),
    /^latent-lab: the per-epoch held-out bounds \(1e\+20 samples for each of 100 examples\) would hold at least [\d.e+]+ bytes at once, and this machine has [\d.]+ GiB of memory/);
  assert.deepEqual(readdirSync(cwd), []);
  const out = join(cwd, 'run');
  assert.equal(runCli(['train', '--data', data, ...small, '--epochs', '1', '--out', out, '--max-steps', '3']).status, 0);
  refused(runCli(['eval', out, '--k', '1e20']), /^latent-lab: -L_N with N = 1e\+20 \(N log weights for each of 100 examples\) would hold at least 4\.0e\+22 bytes at once/);
});
