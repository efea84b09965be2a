#!/usr/bin/env node
// `npm run pack:cli`: the build, then `npm pack` of the command line into
// dist/ (what goes in is decided by .npmignore: dist/cli.js and dist/native).
// The tarball installs with `npm install -g` on a machine that has never seen
// this repository; its first `latent-lab train` sets up the native backend.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

try {
  run(process.execPath, ['scripts/build.mjs']);
  const name = run('npm', ['pack', '--pack-destination', 'dist', '--silent']).trim().split('\n').pop();
  console.log(join(root, 'dist', name));
} catch (err) {
  console.error(`[pack:cli] FAILED: ${err.message}`);
  process.exit(1);
}
