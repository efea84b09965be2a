// The extension's K study against the real command line in a real process: the
// arguments it is started with, a study stopped mid-way (every run saved) and
// resumed to its findings, and one study at a time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StudyPlan } from '../../src/shared/study';
import { manifestPath, readStudy } from '../../src/engine/study/studyRun';
import { readRunRecord } from '../../src/engine/train/runDir';
import { StudyBusyError, StudyService, studyArguments, trainedRuns, type StudyOutcome, type StudyProgress } from '../../src/extension/study/studyService';
import { buildBundles, type Bundles } from './helpers/bundles';
import { MemoryLog } from './helpers/memoryLog';
import { writeTinyDataset } from './helpers/tinyDataset';

let bundles: Bundles;
let dataPath: string;
const scratch = mkdtempSync(join(tmpdir(), 'll-study-service-'));

before(async () => {
  bundles = await buildBundles();
  dataPath = writeTinyDataset(scratch, 1000);
});
after(() => {
  bundles.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const plan = (name: string, epochs: number): StudyPlan => ({
  name, data: dataPath, objectives: ['vae', 'iwae'], ks: [1, 3], seeds: [1], schedule: { kind: 'fixed', epochs }, evalK: 10, evalSeed: 0,
  trainArgs: ['--hidden', '8', '--latent', '2', '--batch-size', '20', '--eval-examples', '20'],
});

test('the study is started as the command line takes it, and resumed by name', () => {
  assert.deepEqual(studyArguments({ runsFolder: '/w/runs', plan: plan('s', 2) }), [
    'study', '--data', dataPath, '--objectives', 'vae,iwae', '--k', '1,3', '--epochs', '2', '--seeds', '1', '--name', 's', '--runs', '/w/runs',
    '--eval-k', '10', '--eval-seed', '0', '--json', '--', '--hidden', '8', '--latent', '2', '--batch-size', '20', '--eval-examples', '20',
  ]);
  assert.deepEqual(studyArguments({ runsFolder: '/w/runs', plan: { ...plan('s', 2), schedule: { kind: 'burda' } } }).slice(7, 9), ['--schedule', 'burda']);
  assert.deepEqual(studyArguments({ runsFolder: '/w/runs', name: 's' }), ['study', '--resume', 's', '--runs', '/w/runs', '--json']);
});

test('a study stopped mid-way keeps every run; resumed, it finishes with its findings; one study at a time', { timeout: 300_000 }, async () => {
  const runsFolder = join(scratch, 'runs');
  const log = new MemoryLog();
  const studies = new StudyService({ cliPath: bundles.cli, log });
  const seen: (StudyProgress | undefined)[] = [];
  studies.onDidChangeProgress((p) => seen.push(p));
  const ended: StudyOutcome[] = [];
  studies.onDidEnd((o) => ended.push(o));

  // Stopped once the first run has reported an epoch: it saves, and nothing after it starts.
  const firstEpoch = new Promise<void>((resolve) => studies.onDidChangeProgress((p) => p?.note?.includes('epoch 1') && resolve()));
  const started = studies.start({ runsFolder, plan: plan('t', 3) });
  assert.deepEqual([started.name, started.phase], ['t', 'running']);
  assert.throws(() => studies.start({ runsFolder, plan: plan('u', 1) }), StudyBusyError);
  await firstEpoch;
  const stopped = await studies.stop();
  assert.equal(stopped?.status, 'stopped', stopped?.message);
  assert.equal(stopped?.manifest?.status, 'stopped');
  assert.ok(seen.some((p) => p?.phase === 'stopping'), 'the stop was reported');
  assert.equal(seen.at(-1), undefined, 'and the end');
  assert.equal(studies.progress, undefined);
  const first = readRunRecord(join(runsFolder, 't-k1-s1'));
  assert.equal(first?.status, 'stopped', 'the run that was training kept its checkpoint');
  assert.equal(trainedRuns(runsFolder, 't').trained, 0);

  const resumed = studies.resume({ runsFolder, name: 't' });
  assert.equal(resumed.runs, 3);
  const done = await new Promise<StudyOutcome>((resolve) => studies.onDidEnd(resolve));
  assert.equal(done.status, 'finished', done.message);
  assert.deepEqual(trainedRuns(runsFolder, 't'), { trained: 3, runs: 3 });
  const manifest = readStudy(manifestPath(runsFolder, 't'))!;
  assert.deepEqual(done.manifest, manifest);
  assert.ok(manifest.results && manifest.results.findings.length > 0);
  assert.deepEqual(ended.map((o) => o.status), ['stopped', 'finished']);
  assert.ok(log.messages('info').some((m) => m.startsWith('[K study] training t-k1-s1')), 'the study\'s notes reach the log');
  assert.throws(() => studies.resume({ runsFolder, name: 'nope' }), /nope\.study\.json: no such study/);
  await studies.dispose();
});
