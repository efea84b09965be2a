#!/usr/bin/env node
// One command from a fresh clone to a working project: npm packages, a native
// TensorFlow backend for tfjs-node, the bundled MNIST example and the build.
// Idempotent: every step checks first and is skipped when already done.
//
// The native step is scripts/setup-backend.mts, on the provisioning code the
// extension and `latent-lab setup` use: Google's prebuilt libtensorflow and
// binding, or where that host cannot be reached the C library from the
// `tensorflow-cpu` wheel (pip mirrors work offline) with the binding compiled here.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const log = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

function installPackages() {
  log('npm packages');
  // .npmrc sets ignore-scripts: tfjs-node's download script would fail offline; its native parts come from scripts/setup-backend.mts.
  if (!run('npm', ['install', '--no-audit', '--no-fund'])) throw new Error('npm install failed');
}

try {
  if (!process.argv.includes('--skip-npm')) installPackages();
  // The native set-up compiles against sources that the build copies into dist/native.
  if (!run(process.execPath, ['scripts/build.mjs'])) throw new Error('build failed');
  if (!run(process.execPath, ['--import', 'tsx', 'scripts/setup-backend.mts'])) throw new Error('no native TensorFlow backend for tfjs-node could be installed (see above); Latent Lab does not fall back to the pure-JavaScript backend');
  if (!run(process.execPath, ['scripts/make-mnist.mjs'])) throw new Error('preparing examples/mnist failed');
  if (!run('bash', ['scripts/ensure-chromium.sh'])) throw new Error('installing chromium failed');
  if (!run(process.execPath, ['scripts/ensure-code-server.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] })) throw new Error('installing code-server (a real VS Code for the end-to-end test and npm run demo) failed');
  log('done');
} catch (err) {
  console.error(`[setup] FAILED: ${err.message}`);
  process.exit(1);
}
