// A real run folder from the engine, small enough for a test: 4x4 binary
// "images" (bars), hidden [8], latent 2, one epoch. Made once per test process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSplit } from '../../src/engine/data/load';
import { createRunConfig } from '../../src/engine/train/newRun';
import { runTraining } from '../../src/engine/train/trainer';
import { GraphStepPath } from '../../src/engine/graph/graphStepPath';
import { tempDir } from './runFolders';

export interface TinyRun {
  runsFolder: string;
  runDir: string;
  dataPath: string;
}

let made: Promise<TinyRun> | undefined;

/** 120 rows of 16 values: one horizontal or vertical bar of a 4x4 grid, with a little noise. */
function barsCsv(): string {
  const rows: string[] = [];
  for (let i = 0; i < 120; i++) {
    const bar = i % 8;
    const cells = Array.from({ length: 16 }, (_, p) => {
      const on = bar < 4 ? Math.floor(p / 4) === bar : p % 4 === bar - 4;
      const flip = (i * 31 + p * 17) % 23 === 0;
      return on !== flip ? 1 : 0;
    });
    rows.push(cells.join(','));
  }
  return rows.join('\n') + '\n';
}

export function tinyRun(): Promise<TinyRun> {
  made ??= (async () => {
    const base = tempDir('ll-tiny-');
    const dataPath = join(base, 'bars.csv');
    writeFileSync(dataPath, barsCsv());
    const runsFolder = join(base, 'runs');
    const runDir = join(runsFolder, 'tiny');
    const { train, test } = await loadSplit(dataPath);
    const config = createRunConfig({
      objective: 'iwae', k: 3, hidden: [8], latent: 2, schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 },
      seed: 7, batchSize: 10, evalK: 20, runId: 'tiny',
    }, train, test, dataPath);
    const steps = new GraphStepPath();
    const result = await runTraining({ runDir, config, train, test, steps }).finally(() => steps.dispose());
    if (result.status !== 'finished') throw new Error(`the tiny run ended ${result.status}: ${result.message}`);
    return { runsFolder, runDir, dataPath };
  })();
  return made;
}
