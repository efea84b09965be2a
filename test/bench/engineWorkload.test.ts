// The benchmark's own engine workload runs on every path and prints the line
// bench/run.mjs reads. Nothing here is timed: a bench that no longer runs
// (an engine API it calls changed) fails here, not on the next `npm run bench`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';

const root = join(__dirname, '..', '..');
const SHORT = ['--batch', '4', '--k', '2', '--window-s', '0.05', '--windows', '1', '--warmup', '1', '--eval-k', '20', '--eval-n', '1'];

for (const [path, extra] of [['graph', []], ['graph', ['--steps-per-call', '1']], ['eager', []]] as const) {
  test(`bench/engineWorkload.mts on the ${path} path${extra.length ? ' with one step per call' : ''} prints its JSON line`, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'engineWorkload.mts'), '--path', path, ...extra, ...SHORT],
      { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(line.framework, `engine-${path}`);
    assert.ok(line.train_images_per_s > 0 && line.eval_images_per_s > 0, r.stdout);
    assert.equal(line.steps_per_call, extra.length ? 1 : path === 'graph' ? 25 : 1);
  });
}

test('bench/engineWorkload.mts --role evaluation measures -L_K alone, with the evaluation process\'s threads', () => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TF_NUM_')));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'engineWorkload.mts'), '--role', 'evaluation', ...SHORT],
    { cwd: root, encoding: 'utf8', env: clean });
  assert.equal(r.status, 0, r.stderr);
  const line = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(line.framework, 'engine-evaluation');
  assert.ok(line.eval_images_per_s > 0 && line.train_images_per_s === undefined, r.stdout);
  assert.deepEqual(line.tf_threads, { intra: '1', inter: String(availableParallelism()) });
});
