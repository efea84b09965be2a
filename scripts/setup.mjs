#!/usr/bin/env node
// One command from a fresh clone to a working project: npm packages, a native
// TensorFlow backend for tfjs-node, the bundled MNIST example and the build.
// Idempotent: every step checks first and is skipped when already done.
//
// tfjs-node's own install script downloads libtensorflow from Google's storage.
// Where that host cannot be reached, the same C library is taken from the
// `tensorflow-cpu` wheel on the Python package index (pip mirrors work offline)
// and the N-API binding is compiled against it with node-gyp.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, copyFileSync, cpSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tfjsNode = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const WHEEL = 'tensorflow-cpu==2.21.0';
const cacheDir = process.env.LATENT_LAB_CACHE ?? join(homedir(), '.cache', 'latent-lab');

const log = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

function nativeBackend() {
  // A child process, because a failed dlopen leaves this process unable to retry.
  const r = spawnSync(process.execPath, ['-e',
    "const tf = require('@tensorflow/tfjs-node'); process.stdout.write(tf.getBackend() + ' ' + tf.version.tfjs)"],
  { cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return r.status === 0 && r.stdout.startsWith('tensorflow') ? r.stdout : null;
}

function installPackages() {
  log('npm packages');
  // .npmrc sets ignore-scripts: tfjs-node's download script is run below, under our control.
  if (!run('npm', ['install', '--no-audit', '--no-fund'])) throw new Error('npm install failed');
}

function tryOfficialDownload() {
  log('tfjs-node: trying the official libtensorflow download');
  const r = spawnSync(process.execPath, ['scripts/install.js'], {
    cwd: tfjsNode, timeout: 300_000, encoding: 'utf8',
    env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' },
  });
  if (r.status === 0) return true;
  // Offline this is expected: say why in one line, not with the installer's stack trace.
  const reason = `${r.stderr ?? ''}${r.error?.message ?? ''}`.match(/Error: .*/)?.[0] ?? `exit code ${r.status}`;
  log(`the official download failed (${reason})`);
  return false;
}

function wheelPath() {
  const dir = join(cacheDir, 'wheels');
  const find = () => existsSync(dir) && readdirSync(dir).find((f) => /^tensorflow_cpu-2\.21\.0-.*\.whl$/.test(f));
  if (!find()) {
    mkdirSync(dir, { recursive: true });
    log(`downloading the ${WHEEL} wheel with pip into ${dir}`);
    const pip = ['pip', 'pip3'].find((p) => spawnSync(p, ['--version']).status === 0);
    if (!pip) throw new Error('neither pip nor pip3 is installed; cannot fetch the tensorflow-cpu wheel');
    if (!run(pip, ['download', '--no-deps', '--only-binary=:all:', '-d', dir, WHEEL])) {
      throw new Error(`pip download ${WHEEL} failed`);
    }
  }
  return join(dir, find());
}

function provisionFromWheel() {
  const wheel = wheelPath();
  const staging = join(cacheDir, 'tensorflow-2.21.0-extract');
  rmSync(staging, { recursive: true, force: true });
  log('extracting the TensorFlow C library and headers from the wheel');
  execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
keep = [n for n in z.namelist() if n in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2') or n.startswith('tensorflow/include/')]
z.extractall(sys.argv[2], keep)
`, wheel, staging], { stdio: 'inherit' });

  const deps = join(tfjsNode, 'deps');
  const lib = join(deps, 'lib');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  for (const so of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    copyFileSync(join(staging, 'tensorflow', so), join(lib, so));
  }
  // The binding links -ltensorflow; install.js looks for the 2.9.1 name.
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so'));
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so.2.9.1'));
  symlinkSync('libtensorflow_framework.so.2', join(lib, 'libtensorflow_framework.so'));
  cpSync(join(staging, 'tensorflow', 'include'), join(deps, 'include'), { recursive: true });
  rmSync(staging, { recursive: true, force: true });

  log('compiling the tfjs-node binding against it (node-gyp, local Node headers)');
  const ok = run(process.execPath, ['scripts/install.js'], {
    cwd: tfjsNode,
    env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' },
  });
  // The headers are only needed to compile (about 290 MB).
  rmSync(join(deps, 'include'), { recursive: true, force: true });
  if (!ok) throw new Error('building the tfjs-node binding failed (needs python3, make and g++)');
}

function ensureNativeBackend() {
  let have = nativeBackend();
  if (have) return log(`tfjs-node ready (backend ${have})`);
  const tried = [];
  if (process.env.LATENT_LAB_SKIP_OFFICIAL_DOWNLOAD !== '1') {
    tried.push('the official libtensorflow 2.9.1 download');
    if (tryOfficialDownload()) have = nativeBackend();
  }
  if (!have) {
    tried.push(`libtensorflow from the ${WHEEL} wheel`);
    try {
      provisionFromWheel();
      have = nativeBackend();
    } catch (err) {
      console.error(`[setup] ${err.message}`);
    }
  }
  if (!have) {
    throw new Error(`no native TensorFlow backend for tfjs-node could be installed. Tried: ${tried.join('; ')}. ` +
      'Latent Lab does not fall back to the pure-JavaScript backend (hundreds of times slower).');
  }
  log(`tfjs-node ready (backend ${have})`);
}

try {
  if (!process.argv.includes('--skip-npm')) installPackages();
  ensureNativeBackend();
  if (!run(process.execPath, ['scripts/make-mnist.mjs'])) throw new Error('preparing examples/mnist failed');
  if (!run('bash', ['scripts/ensure-chromium.sh'])) throw new Error('installing chromium failed');
  if (!run(process.execPath, ['scripts/build.mjs'])) throw new Error('build failed');
  if (!run(process.execPath, ['scripts/ensure-code-server.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] })) throw new Error('installing code-server (a real VS Code for the end-to-end test and npm run demo) failed');
  log('done');
} catch (err) {
  console.error(`[setup] FAILED: ${err.message}`);
  process.exit(1);
}
