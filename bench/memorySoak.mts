// Memory over a long run: the trainer (graph path, IWAE K=5, Burda's model, the
// bundled digits, with its per-epoch evaluation, images and checkpoints) runs
// for --minutes; the tensor count and RSS are sampled at every progress event.
// Growth is measured from the end of the first minute (after warm-up: the graph
// session, caches and allocator pools) to the end. One JSON line out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tf } from '../src/engine/tf';
import { loadSplit } from '../src/engine/data/load';
import { createRunConfig } from '../src/engine/train/newRun';
import { runTraining } from '../src/engine/train/trainer';
import { GraphStepPath } from '../src/engine/graph/graphStepPath';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
const { train, test } = await loadSplit('examples/mnist');
const runDir = join(mkdtempSync(join(tmpdir(), 'll-soak-')), 'run');
const config = createRunConfig({ objective: 'iwae', k: 5, schedule: { kind: 'fixed', epochs: 10_000, learningRate: 1e-3 }, seed: 1, runId: 'soak', nllExamples: 100, evalK: 500 },
  train, test, 'examples/mnist');
const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 60_000;
const samples: { minute: number; tensors: number; rssMb: number }[] = [];
const steps = new GraphStepPath();
try {
  await runTraining({ runDir, config, train, test, steps }, {
    onEvent: (e) => {
      if (e.type === 'progress') samples.push({ minute: elapsed(), tensors: tf.memory().numTensors, rssMb: process.memoryUsage().rss / 2 ** 20 });
    },
    shouldStop: () => elapsed() >= minutes,
  });
} finally {
  steps.dispose();
  rmSync(join(runDir, '..'), { recursive: true, force: true });
}
const warm = samples.find((s) => s.minute >= Math.min(1, minutes / 2)) ?? samples[0];
const last = samples.at(-1)!;
const after = samples.filter((s) => s.minute >= warm.minute);
console.log(JSON.stringify({
  workload: 'memory', minutes: +elapsed().toFixed(1), samples: samples.length,
  tensors_after_warmup: warm.tensors, tensors_at_end: last.tensors, tensors_max_after_warmup: Math.max(...after.map((s) => s.tensors)),
  rss_mb_after_warmup: Math.round(warm.rssMb), rss_mb_at_end: Math.round(last.rssMb), rss_mb_max_after_warmup: Math.round(Math.max(...after.map((s) => s.rssMb))),
}));
