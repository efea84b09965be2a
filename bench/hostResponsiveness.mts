// Extension-host responsiveness while a run trains. The training service (the
// code the extension host runs) drives a real training process on the bundled
// digits, IWAE K=5 with Burda's model; this process's event-loop delay is
// sampled with perf_hooks, and each dashboard batch the service posts is
// serialized as postMessage would. Outside VS Code, so the webview's own
// rendering is not in it. One JSON line out.
//   --seconds S   measured time after the first progress event (default 30)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { TrainingService } from '../src/extension/training/trainingService';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const seconds = Number(values.seconds);
const runsFolder = mkdtempSync(join(tmpdir(), 'll-bench-host-'));
const warnings: string[] = [];
const service = new TrainingService({
  workerPath: join(root, 'dist/trainingWorker.js'),
  log: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
});

const delay = monitorEventLoopDelay({ resolution: 1 });
let measuring = false, batches = 0, events = 0, bytes = 0, steps = [0, 0];
const firstProgress = new Promise<void>((resolve) => {
  service.onDidPostEvents(({ events: batch }) => {
    const progress = batch.filter((e) => e.type === 'progress');
    if (!measuring) {
      if (progress.length) resolve();
      return;
    }
    batches++;
    events += batch.length;
    bytes += JSON.stringify(batch).length;
    if (progress.length) steps[1] = progress.at(-1)!.step;
  });
});

try {
  service.start({
    runsFolder, dataPath: join(root, 'examples/mnist'),
    choices: { objective: 'iwae', k: 5, schedule: { kind: 'fixed', epochs: 1000, learningRate: 1e-3 }, seed: 1, runId: 'host-bench' },
  });
  await firstProgress;
  steps = [service.progress?.step ?? 0, service.progress?.step ?? 0];
  measuring = true;
  delay.enable();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  delay.disable();
  measuring = false;
  const ms = (ns: number) => +(ns / 1e6).toFixed(2);
  console.log(JSON.stringify({
    workload: 'host', seconds, event_loop_delay_p50_ms: ms(delay.percentile(50)), event_loop_delay_p99_ms: ms(delay.percentile(99)),
    event_loop_delay_max_ms: ms(delay.max), dashboard_messages_per_s: +(batches / seconds).toFixed(1),
    run_events_per_s: +(events / seconds).toFixed(1), dashboard_kb_per_s: +(bytes / 1024 / seconds).toFixed(1),
    training_steps_per_s: +((steps[1] - steps[0]) / seconds).toFixed(1), warnings: warnings.length,
  }));
} finally {
  await service.dispose();
  rmSync(runsFolder, { recursive: true, force: true });
}
