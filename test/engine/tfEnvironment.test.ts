// The thread pools a process gives TensorFlow: training's by default, an
// evaluation process's when its entry point asks before TensorFlow loads, and
// always what the user set. Each case runs in a fresh process, as the
// environment is read once per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** TF_NUM_INTRAOP/INTEROP_THREADS after loading tfEnvironment (and calling setThreads(role)) in a process with `env`. */
function threadsIn(env: Record<string, string>, role?: string): [string, string] {
  const script = `const { setThreads } = require(${JSON.stringify(join(root, 'src/engine/tfEnvironment.ts'))});` +
    `${role ? `setThreads(${JSON.stringify(role)});` : ''}console.log(JSON.stringify([process.env.TF_NUM_INTRAOP_THREADS, process.env.TF_NUM_INTEROP_THREADS]));`;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TF_NUM_')));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', env: { ...clean, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim());
}

test('a training process gets intra-op threads on every core and two inter-op threads; an evaluation process one intra-op thread and an inter-op thread per core', () => {
  const cores = String(availableParallelism());
  assert.deepEqual(threadsIn({}), [cores, '2']);
  assert.deepEqual(threadsIn({}, 'evaluation'), ['1', cores]);
  assert.deepEqual(threadsIn({}, 'training'), [cores, '2']);
});

test('what the user set wins in either role', () => {
  assert.deepEqual(threadsIn({ TF_NUM_INTRAOP_THREADS: '3' }, 'evaluation'), ['3', String(availableParallelism())]);
  assert.deepEqual(threadsIn({ TF_NUM_INTRAOP_THREADS: '3', TF_NUM_INTEROP_THREADS: '5' }, 'evaluation'), ['3', '5']);
  assert.deepEqual(threadsIn({ TF_NUM_INTEROP_THREADS: '1' }), [String(availableParallelism()), '1']);
});

test('the evaluation worker sets its threads before TensorFlow loads: it imports nothing that loads it, and the answer only after setThreads', () => {
  const source = readFileSync(join(root, 'src/engine/worker/evaluationWorker.ts'), 'utf8');
  const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  assert.deepEqual(imports, ['../tfEnvironment', '../../shared/evaluationProtocol']);
  assert.ok(source.indexOf('setThreads(') < source.indexOf("import('./evaluationAnswer')"), 'the answer is imported before the threads are set');
});

test('latent-lab eval and analyze weights set evaluation threads before they import the code that loads TensorFlow', () => {
  const source = readFileSync(join(root, 'src/engine/cli/main.ts'), 'utf8');
  for (const command of ["import('./eval')", "import('./analyze')).analyzeWeightsCommand"]) {
    const at = source.indexOf(command);
    assert.ok(at > 0 && source.lastIndexOf("setThreads('evaluation')", at) > source.lastIndexOf('.action(', at), `${command} without setThreads('evaluation') in its action`);
  }
});
