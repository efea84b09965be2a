#!/usr/bin/env node
// Bundles the extension host, the CLI and the training worker with esbuild.
// tfjs-node stays external: it is a native addon loaded from node_modules.
import * as esbuild from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = {
  absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: true, logLevel: 'info', external: ['@tensorflow/tfjs-node', 'vscode'],
};
const builds = [
  { ...node, entryPoints: { cli: 'src/engine/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { trainingWorker: 'src/engine/worker/trainingWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { evaluationWorker: 'src/engine/worker/evaluationWorker.ts' }, outdir: 'dist' },
  {
    absWorkingDir: root, bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, sourcemap: true,
    logLevel: 'info', entryPoints: {
      dashboard: 'src/webview/dashboard/main.ts',
      experiments: 'src/webview/experiments/main.ts',
      inspector: 'src/webview/inspector/main.ts',
    }, outdir: 'dist/webview',
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
