#!/usr/bin/env node
// Bundles the extension host, the CLI and the engine processes with esbuild.
// tfjs-node stays external to them: the engine loads it at run time from
// wherever src/engine/native/locateBackend.ts finds it. dist/native/ holds
// what a native-backend set-up installs besides the native parts: tfjs-node's
// JavaScript as one bundle, the binding's C++ sources and the Node-API headers.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = {
  absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: true, logLevel: 'info', external: ['@tensorflow/tfjs-node', 'vscode'],
};
// In a provisioned backend the bundle is index.js and the binding sits beside
// it in lib/napi-v8, where tfjs-node's package.json would have node-pre-gyp look.
const bindingBesideBundle = {
  name: 'binding-beside-bundle',
  setup(b) {
    b.onResolve({ filter: /^@mapbox\/node-pre-gyp$/ }, () => ({ path: 'node-pre-gyp', namespace: 'binding-beside-bundle' }));
    b.onLoad({ filter: /.*/, namespace: 'binding-beside-bundle' }, () => ({
      contents: "const { join } = require('path'); module.exports = { find: () => join(__dirname, 'lib', 'napi-v8', 'tfjs_binding.node') };",
      loader: 'js',
    }));
  },
};

const builds = [
  { ...node, entryPoints: { cli: 'src/engine/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { trainingWorker: 'src/engine/worker/trainingWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { evaluationWorker: 'src/engine/worker/evaluationWorker.ts' }, outdir: 'dist' },
  {
    ...node, entryPoints: { 'native/tfjs-node': '@tensorflow/tfjs-node' }, outdir: 'dist', external: [], minify: true, sourcemap: false,
    plugins: [bindingBesideBundle], logLevel: 'warning',
  },
  {
    absWorkingDir: root, bundle: true, platform: 'browser', target: 'es2020', format: 'iife', minify: true, sourcemap: true,
    logLevel: 'info', entryPoints: {
      dashboard: 'src/webview/dashboard/main.ts',
      experiments: 'src/webview/experiments/main.ts',
      inspector: 'src/webview/inspector/main.ts',
    }, outdir: 'dist/webview',
  },
];

function copyNativeSources() {
  const native = join(root, 'dist', 'native');
  for (const [from, to] of [['node_modules/@tensorflow/tfjs-node/binding', 'binding'], ['node_modules/node-api-headers/include', 'node-api-headers']]) {
    rmSync(join(native, to), { recursive: true, force: true });
    mkdirSync(join(native, to), { recursive: true });
    cpSync(join(root, from), join(native, to), { recursive: true });
  }
}

copyNativeSources();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
