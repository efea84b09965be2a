// A window and a terminal on one run folder: whichever trains it first holds
// it, the other is refused with the holder named, the runs view shows the run
// as running, and nothing the refused side does touches the run's files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunChoices } from '../../src/shared/trainingProtocol';
import { readRunRecord } from '../../src/engine/train/runDir';
import { RunFolderBusy } from '../../src/engine/train/runLock';
import { readRunEntry } from '../../src/extension/runs/runEntry';
import { TrainingProcess } from '../../src/extension/training/trainingProcess';
import { TrainingService, type RunEnded } from '../../src/extension/training/trainingService';
import { LiveCli, ownLines, runCli } from '../cli/helpers/cli';
import { buildBundles, type Bundles } from './helpers/bundles';
import { MemoryLog } from './helpers/memoryLog';
import { writeTinyDataset } from './helpers/tinyDataset';

let bundles: Bundles;
let dataPath: string;
before(async () => {
  bundles = await buildBundles();
  dataPath = writeTinyDataset(mkdtempSync(join(tmpdir(), 'll-one-writer-data-')), 1000);
});
after(() => bundles.remove());

const cliArgs = ['--hidden', '16', '--latent', '2', '--k', '3', '--eval-k', '10', '--eval-examples', '50', '--nll-examples', '20'];
const choices = (runId: string): RunChoices => ({
  objective: 'iwae', k: 3, schedule: { kind: 'fixed', epochs: 100, learningRate: 1e-3 }, hidden: [16], latent: 4, evalK: 10, evalExamples: 50, nllExamples: 20, runId,
});

test('a run a terminal trains is refused by the window, shown as running, and left untouched', async () => {
  const runDir = join(mkdtempSync(join(tmpdir(), 'll-one-writer-')), 'run');
  const terminal = new LiveCli(['train', '--data', dataPath, ...cliArgs, '--epochs', '100', '--out', runDir, '--json'], { script: bundles.cli });
  await terminal.line('stdout', /"type":"checkpoint"/);
  const holder = new RegExp(`${runDir}: process ${terminal.pid} on \\S+ \\(cli\\.js train .*\\) is training in this run folder`);

  const entry = readRunEntry(runDir);
  assert.equal(entry.status, 'running');
  assert.match(entry.reason ?? '', new RegExp(`^being trained by process ${terminal.pid} on `));

  const log = new MemoryLog();
  const service = new TrainingService({ workerPath: bundles.worker, log });
  assert.throws(() => service.resume({ runDir }), (err: Error) => err instanceof RunFolderBusy && holder.test(err.message));

  // A window that got past that check (it raced the terminal): its training process refuses, and the host marks nothing.
  const window = new TrainingProcess({ type: 'resume', runDir }, { workerPath: bundles.worker, log });
  const outcome = await window.exited;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.message ?? '', holder);
  const record = readRunRecord(runDir)!;
  assert.deepEqual([record.status, record.message], ['running', undefined], 'the host did not mark the terminal\'s run as failed');

  terminal.child.kill('SIGINT');
  assert.deepEqual(await terminal.exited, { code: 0, signal: null });
  assert.equal(readRunEntry(runDir).status, 'stopped');
  await service.dispose();
});

test('a run the window trains is refused by a terminal, naming the window\'s training process', async () => {
  const runsFolder = mkdtempSync(join(tmpdir(), 'll-one-writer-'));
  const service = new TrainingService({ workerPath: bundles.worker, log: new MemoryLog() });
  const ended = new Promise<RunEnded>((resolve) => service.onDidEnd(resolve));
  const checkpointed = new Promise<void>((resolve) => service.onDidPostEvents(({ events }) => events.some((e) => e.type === 'checkpoint') && resolve()));
  const { pid, runDir } = service.start({ runsFolder, dataPath, choices: choices('windows'), cwd: runsFolder });
  await checkpointed;
  assert.equal(readRunEntry(runDir).status, 'running');
  const refused = runCli(['train', '--resume', runDir, '--max-steps', '5'], { script: bundles.cli });
  assert.equal(refused.status, 1);
  assert.match(ownLines(refused.stderr).join('\n'), new RegExp(`^latent-lab: ${runDir}: process ${pid} on \\S+ \\(trainingWorker\\.js.*\\) is training in this run folder`));
  void service.stop();
  const { outcome } = await ended;
  assert.equal(outcome.status, 'stopped');
  assert.deepEqual([readRunRecord(runDir)?.status, readRunRecord(runDir)?.message], ['stopped', 'stopped from VS Code']);
  await service.dispose();
});
