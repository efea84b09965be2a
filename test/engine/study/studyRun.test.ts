// Running a study with stand-in processes: every cell trained and evaluated
// once, at most `parallel` at a time; a stop saves and a rerun resumes; a
// failing run fails the study by name and spares the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { StudyPlan } from '../../../src/shared/study';
import type { RunStatus } from '../../../src/shared/events';
import type { Dataset } from '../../../src/engine/data/dataset';
import { createRunConfig } from '../../../src/engine/train/newRun';
import { appendEvent, createRunDir, writeRunRecord } from '../../../src/engine/train/runDir';
import { StudyRun, manifestPath, openStudy, readStudy, type ChildRun, type Launch } from '../../../src/engine/study/studyRun';

const data: Dataset = { x: new Float32Array(40).fill(1), n: 10, d: 4, kind: 'binary', source: 'tiny.npy' };

const plan = (overrides: Partial<StudyPlan> = {}): StudyPlan => ({
  name: 'q', data: 'tiny.npy', objectives: ['vae', 'iwae'], ks: [1, 5], seeds: [1], schedule: { kind: 'fixed', epochs: 1 },
  evalK: 50, evalSeed: 0, trainArgs: ['--hidden', '8'], ...overrides,
});

/** What a train process leaves behind: its run record, and one epoch in metrics.jsonl. */
function leaveRun(dir: string, status: RunStatus): void {
  createRunDir(dir);
  const config = createRunConfig({ objective: 'iwae', k: 5, schedule: { kind: 'fixed', epochs: 1, learningRate: 1e-3 } }, data, data, 'tiny.npy');
  const time = new Date(0).toISOString();
  writeRunRecord(dir, { format: 'latent-lab-run-record', runId: basename(dir), status, config, created: time, updated: time, step: 1, epoch: status === 'finished' ? 1 : 0 });
  if (status === 'finished') appendEvent(dir, { type: 'epoch', step: 1, epoch: 0, trainBound: -80, testElbo: -85, testIwae: -84, time: 1 });
}

interface Behaviour {
  /** Per run folder name; default finish at once. */
  train?: (run: string) => 'finish' | 'fail' | 'wait';
}

/** Stand-ins for `latent-lab train` and `eval`, recording every call and the most that ran at once. */
function fakeCli(b: Behaviour = {}) {
  const calls: string[][] = [];
  let running = 0, most = 0;
  const launch: Launch = (args) => {
    calls.push(args);
    running += 1;
    most = Math.max(most, running);
    let stop = () => undefined as void;
    const done = new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const finish = (code: number, stdout = '') => setImmediate(() => { running -= 1; resolve({ code, stdout }); });
      if (args[0] === 'eval') {
        finish(0, JSON.stringify({ testNll: 80, perExample: Array.from({ length: 6 }, (_, i) => -80 - i), activeUnits: [7] }) + '\n');
        return;
      }
      const dir = args[args.indexOf(args.includes('--resume') ? '--resume' : '--out') + 1];
      const mode = b.train?.(basename(dir)) ?? 'finish';
      if (mode === 'wait') {
        leaveRun(dir, 'running');
        stop = () => { leaveRun(dir, 'stopped'); finish(0); };
      } else {
        leaveRun(dir, mode === 'finish' ? 'finished' : 'failed');
        finish(mode === 'finish' ? 0 : 1, '{"type":"end","status":"failed"}\n');
      }
    });
    const child: ChildRun = { done, stop: () => stop() };
    return child;
  };
  return { launch, calls, most: () => most };
}

const folder = () => mkdtempSync(join(tmpdir(), 'll-study-'));
const quiet = () => undefined;

test('every cell is trained and evaluated once, at most `parallel` at a time, and the manifest holds the findings', async () => {
  const runs = folder();
  const cli = fakeCli();
  const done = await new StudyRun(runs, openStudy(runs, plan()), cli.launch, quiet).run(2);
  assert.equal(done.status, 'finished');
  const trains = cli.calls.filter((a) => a[0] === 'train');
  assert.deepEqual(trains.map((a) => basename(a[a.indexOf('--out') + 1])).sort(), ['q-iwae-k5-s1', 'q-k1-s1', 'q-vae-k5-s1']);
  assert.deepEqual(trains.find((a) => a.some((x) => x.endsWith('q-vae-k5-s1')))!.slice(-2), ['--hidden', '8'], 'train options pass through');
  assert.equal(cli.calls.filter((a) => a[0] === 'eval').length, 3);
  assert.equal(cli.most(), 2, 'two at once, never more');
  const saved = readStudy(manifestPath(runs, 'q'))!;
  assert.equal(saved.status, 'finished');
  assert.ok(saved.results!.findings.length > 0 && saved.results!.points.length === 4);
  const again = fakeCli();
  await new StudyRun(runs, openStudy(runs, plan()), again.launch, quiet).run(1);
  assert.equal(again.calls.length, 0, 'a finished study starts nothing again');
});

test('a stop saves every running cell and starts no more; the rerun resumes the stopped ones and trains the rest', async () => {
  const runs = folder();
  const cli = fakeCli({ train: (run) => (run === 'q-k1-s1' ? 'wait' : 'finish') });
  const study = new StudyRun(runs, openStudy(runs, plan()), cli.launch, quiet);
  const running = study.run(1);
  await new Promise((r) => setImmediate(r));
  study.stop();
  const stopped = await running;
  assert.equal(stopped.status, 'stopped');
  assert.equal(cli.calls.length, 1, 'nothing is started after the stop');
  const rerun = fakeCli();
  const finished = await new StudyRun(runs, openStudy(runs, plan()), rerun.launch, quiet).run(1);
  assert.equal(finished.status, 'finished');
  const trains = rerun.calls.filter((a) => a[0] === 'train');
  assert.deepEqual(trains[0].slice(0, 3), ['train', '--resume', join(runs, 'q-k1-s1')]);
  assert.equal(trains.length, 3);
});

test('a failing run fails the study by name; the other runs are still trained and evaluated', async () => {
  const runs = folder();
  const cli = fakeCli({ train: (run) => (run === 'q-vae-k5-s1' ? 'fail' : 'finish') });
  const done = await new StudyRun(runs, openStudy(runs, plan()), cli.launch, quiet).run(1);
  assert.equal(done.status, 'failed');
  assert.match(done.message!, /q-vae-k5-s1 failed \(exit 1\)/);
  assert.equal(cli.calls.filter((a) => a[0] === 'eval').length, 2);
  assert.equal(done.results, undefined);
});

test('a study of the same name with another plan, and a damaged manifest, are clear errors naming the file', () => {
  const runs = folder();
  writeFileSync(manifestPath(runs, 'q'), JSON.stringify(openStudy(runs, plan())));
  assert.throws(() => openStudy(runs, plan({ ks: [1, 50] })), /q\.study\.json: a study of this name with another plan exists/);
  writeFileSync(manifestPath(runs, 'q'), '{"format": "latent-lab-study", "version": 1}');
  assert.throws(() => readStudy(manifestPath(runs, 'q')), /q\.study\.json: not a Latent Lab study manifest \(plan/);
  writeFileSync(manifestPath(runs, 'q'), '{"cut sho');
  assert.throws(() => readStudy(manifestPath(runs, 'q')), /q\.study\.json: not JSON/);
});
