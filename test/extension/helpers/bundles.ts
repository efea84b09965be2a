// The training worker, the command line and the extension host bundled as
// scripts/build.mjs bundles them, but into a folder of the test's own: test
// files run in parallel, and one must never fork a worker another is rewriting.
// The folder sits under dist/ so that the bundles find node_modules.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export interface Bundles {
  worker: string;
  evaluationWorker: string;
  cli: string;
  extension: string;
  remove(): void;
}

export async function buildBundles(): Promise<Bundles> {
  const root = process.cwd();
  mkdirSync(join(root, 'dist'), { recursive: true });
  const outdir = mkdtempSync(join(root, 'dist', '.test-'));
  await esbuild.build({
    absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent',
    external: ['@tensorflow/tfjs-node', 'vscode'], outdir,
    entryPoints: {
      trainingWorker: 'src/engine/worker/trainingWorker.ts', evaluationWorker: 'src/engine/worker/evaluationWorker.ts',
      cli: 'src/engine/cli/main.ts', extension: 'src/extension/extension.ts',
    },
  });
  return {
    worker: join(outdir, 'trainingWorker.js'), evaluationWorker: join(outdir, 'evaluationWorker.js'), cli: join(outdir, 'cli.js'), extension: join(outdir, 'extension.js'),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
