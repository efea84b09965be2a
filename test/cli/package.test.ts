// The command line as a user installs it: `npm run pack:cli`, `npm install -g`
// of the tarball into a fresh prefix, and `latent-lab train` in a temporary
// folder outside this repository, with an empty cache and nothing on NODE_PATH.
// Its first training sets the native backend up for real (here the official
// hosts are out of reach, so through the tensorflow-cpu wheel and a compiled
// binding), then trains one epoch; a second command reuses that backend.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { npyBytes, write } from '../data/fixtures';

/** This environment minus what would lead a process back into the checkout. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_PATH' || key.startsWith('npm_') || key === 'INIT_CWD' || key === 'LATENT_LAB_TFJS_NODE') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(':').filter((p) => !p.startsWith(process.cwd())).join(':');
  return { ...env, TF_CPP_MIN_LOG_LEVEL: '3', ...extra };
}

test('the packed CLI installs into a fresh prefix, sets up its backend on first need and trains one epoch there', { timeout: 15 * 60_000 }, () => {
  const packed = spawnSync(process.execPath, ['scripts/pack-cli.mjs'], { encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = packed.stdout.trim().split('\n').pop() ?? '';
  assert.match(tarball, /latent-lab-\d+\.\d+\.\d+\.tgz$/);

  const home = mkdtempSync(join(tmpdir(), 'll-newuser-'));
  // The backend is most of a gigabyte.
  after(() => rmSync(home, { recursive: true, force: true }));
  const prefix = join(home, 'prefix');
  const cache = join(home, 'cache');
  const work = join(home, 'work');
  const env = cleanEnv({ XDG_CACHE_HOME: cache });
  const installed = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: home, env, encoding: 'utf8' });
  assert.equal(installed.status, 0, installed.stderr);
  const bin = join(prefix, 'bin', 'latent-lab');
  assert.ok(existsSync(bin), `npm linked ${bin}`);
  assert.deepEqual(readdirSync(join(prefix, 'lib', 'node_modules')), ['latent-lab'], 'nothing else was installed: everything is bundled');

  // 300 8x8 images of two kinds of stripes, in [0, 1].
  const values = Array.from({ length: 300 * 64 }, (_, i) => (Math.floor(i / 64) % 2 === 0 ? (i % 8) / 7 : (Math.floor((i % 64) / 8)) / 7));
  write(join(work, 'stripes.npy'), npyBytes('<f4', [300, 64], values));
  const train = spawnSync(bin, ['train', '--data', 'stripes.npy', '--epochs', '1', '--hidden', '16', '--latent', '2', '--k', '2',
    '--eval-k', '20', '--nll-examples', '20', '--seed', '3', '--out', 'run', '--json'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(train.status, 0, train.stderr.slice(-3000));
  assert.match(train.stderr, /no native TensorFlow backend yet: setting one up in .*latent-lab\/native/);
  assert.match(train.stderr, /set up: .*tfjs-node-4\.22\.0-linux-x64 \((official|wheel) route, TensorFlow [\d.]+\)/);
  const events = train.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.at(-1).type, 'end');
  assert.equal(events.at(-1).status, 'finished');
  assert.ok(existsSync(join(work, 'run', 'checkpoint.safetensors')));
  const manifest = JSON.parse(readFileSync(join(cache, 'latent-lab', 'native', 'tfjs-node-4.22.0-linux-x64', 'backend.json'), 'utf8'));
  assert.equal(manifest.tfjsNode, '4.22.0');

  const doctor = spawnSync(bin, ['doctor', '--json'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(doctor.status, 0, doctor.stderr);
  const report = JSON.parse(doctor.stdout);
  assert.equal(report.backend.source, 'provisioned');
  assert.equal(report.backend.route, manifest.route);
  assert.equal(report.backend.tensorflow, manifest.tensorflow);
  const evaluated = spawnSync(bin, ['eval', 'run', '--k', '10', '--examples', '10', '--json'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.doesNotMatch(evaluated.stderr, /setting one up/, 'the second command reuses the backend');
  assert.ok(Number.isFinite(JSON.parse(evaluated.stdout).testNll));
});
