// The runs view's model: what it lists, how it follows the disk, and that
// renaming, tagging and deleting never reach outside a run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '../../src/extension/emitter';
import { RunsModel, type FolderWatcher } from '../../src/extension/runs/runsModel';
import { readRunCurves } from '../../src/extension/runs/runCurves';
import { parseTags } from '../../src/extension/runs/runLabels';
import type { RunEntry } from '../../src/extension/runs/runEntry';
import { acquireRunLock } from '../../src/engine/train/runLock';
import { ManualClock } from '../extension/helpers/manualClock';
import { epochLine, record, tempDir, writeRun } from './runFolders';
import { syntheticStudy } from '../helpers/studyManifest';

class FakeWatcher implements FolderWatcher {
  private readonly emitter = new Emitter<string>();
  readonly onDidChange = this.emitter.event;
  fire(path: string): void {
    this.emitter.fire(path);
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

const QUIET_MS = 300;

/** A model of `runsFolder` whose quiet time runs on `clock`, and every list it fires. */
function watched(runsFolder: string, clock = new ManualClock()) {
  const watcher = new FakeWatcher();
  const model = new RunsModel({ folders: [{ runsFolder, watcher }], debounceMs: QUIET_MS, clock });
  const fired: (readonly RunEntry[])[] = [];
  model.onDidChange((runs) => fired.push(runs));
  return { model, watcher, clock, fired };
}

test('lists finished, running and half-written runs without throwing', () => {
  const root = tempDir();
  writeRun(root, 'done', { record: record('iwae-k5-a'), checkpoint: true, metrics: epochLine(0, -3, -2.8) });
  const live = acquireRunLock(writeRun(root, 'live', { record: record('vae-k1-b', { status: 'running', updated: '2026-11-21T00:00:00.000Z', final: undefined }), checkpoint: true }));
  writeRun(root, 'killed-before-record', { metrics: '{"type":"start","runId":"x"' });
  writeRun(root, 'garbage', { record: '{"format": "latent-lab-run-rec', checkpoint: true });
  writeRun(root, 'lost-weights', { record: record('iwae-k50-c') });
  writeRun(root, 'foreign-json', { record: '[1, 2, 3]' });
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'README.txt'), 'not a run');
  const model = new RunsModel({ folders: [{ runsFolder: root }] });
  const byId = new Map(model.runs.map((r) => [r.id, r]));
  assert.deepEqual([...byId.keys()].sort(), ['done', 'foreign-json', 'garbage', 'killed-before-record', 'live', 'lost-weights']);
  const done = byId.get('done')!;
  assert.equal(done.status, 'finished');
  assert.equal(done.name, 'iwae-k5-a');
  assert.deepEqual(done.objective, { kind: 'iwae', k: 5, m: 1, estimator: 'standard' });
  assert.equal(done.testNll, 2.4);
  assert.equal(done.bestBound, -2.5);
  assert.deepEqual(done.activeUnits, [2]);
  assert.equal(done.epochs, 3);
  assert.equal(done.totalEpochs, 3);
  assert.equal(done.imagesPerSec, 1234);
  assert.equal(done.wallSeconds, 12.5);
  assert.equal(byId.get('live')!.status, 'running');
  assert.match(byId.get('live')!.reason ?? '', new RegExp(`^being trained by process ${process.pid} on `));
  assert.equal(model.runs[0].id, 'live', 'newest first');
  live.release();
  assert.equal(byId.get('killed-before-record')!.status, 'unknown');
  assert.match(byId.get('killed-before-record')!.reason!, /no run\.json/);
  assert.equal(byId.get('garbage')!.status, 'unknown');
  assert.match(byId.get('garbage')!.reason!, /run\.json is not valid JSON/);
  assert.equal(byId.get('foreign-json')!.status, 'unknown');
  assert.match(byId.get('foreign-json')!.reason!, /not a Latent Lab run record/);
  assert.equal(byId.get('lost-weights')!.status, 'failed');
  assert.match(byId.get('lost-weights')!.reason!, /checkpoint\.safetensors is missing/);
  model.dispose();
});

test('a missing runs folder is an empty list, and its creation is noticed', () => {
  const root = join(tempDir(), 'runs');
  const { model, watcher, clock, fired } = watched(root);
  assert.deepEqual(model.runs, []);
  writeRun(root, 'first', { record: record('first'), checkpoint: true });
  watcher.fire(root);
  clock.advance(QUIET_MS);
  assert.deepEqual(fired.map((runs) => runs.map((r) => r.id)), [['first']]);
  model.dispose();
});

test('follows file-system changes: new runs, status changes, removals, in one refresh per burst', () => {
  const root = tempDir();
  const { model, watcher, clock, fired } = watched(root);
  const dir = writeRun(root, 'r1', { record: record('r1', { status: 'running' }) });
  const lock = acquireRunLock(dir);
  watcher.fire(join(dir, 'run.json'));
  watcher.fire(join(dir, 'metrics.jsonl'));
  clock.advance(QUIET_MS - 1);
  watcher.fire(join(dir, 'checkpoint.safetensors'));
  clock.advance(QUIET_MS - 1);
  assert.equal(fired.length, 0, 'still within the quiet time of the last change');
  clock.advance(1);
  assert.equal(fired.length, 1, 'three changes in a burst, one refresh');
  assert.equal(fired[0][0].status, 'running');

  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('r1', { status: 'stopped', message: 'stopped by the user' })));
  lock.release();
  watcher.fire(join(dir, 'run.json'));
  clock.advance(QUIET_MS);
  assert.equal(fired.length, 2);
  assert.equal(fired[1][0].status, 'stopped');
  assert.equal(fired[1][0].reason, 'stopped by the user');

  watcher.fire(join(dir, 'run.json'));
  clock.advance(QUIET_MS);
  assert.equal(fired.length, 2, 'a change that alters nothing visible does not fire');

  watcher.fire(join(root, '..', 'elsewhere', 'run.json'));
  clock.advance(QUIET_MS);
  assert.equal(fired.length, 2, 'paths outside the runs folder are ignored');

  rmSync(dir, { recursive: true });
  watcher.fire(dir);
  clock.advance(QUIET_MS);
  assert.deepEqual(fired.at(-1), []);
  model.dispose();
});

test('a change noticed without any watcher (the training service\'s word) rereads that run', () => {
  const root = tempDir();
  const clock = new ManualClock();
  const model = new RunsModel({ folders: [{ runsFolder: root }], debounceMs: QUIET_MS, clock });
  const dir = writeRun(root, 'mine', { record: record('mine', { status: 'running' }) });
  const lock = acquireRunLock(dir);
  model.notice(dir);
  clock.advance(QUIET_MS);
  assert.equal(model.get('mine')?.status, 'running');
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('mine', { status: 'stopped' })));
  lock.release();
  model.notice(dir);
  clock.advance(QUIET_MS);
  assert.equal(model.get('mine')?.status, 'stopped');
  model.dispose();
});

test('a run killed mid-write: truncated metrics line and half-written record are tolerated', () => {
  const root = tempDir();
  const metrics = epochLine(0, -5, -4.5) + epochLine(1, -4, -3.6) + '{"type":"epoch","step":15,"epoch":2,"trainBou';
  const dir = writeRun(root, 'cut', { record: record('cut', { status: 'running' }), checkpoint: true, metrics });
  const { model, watcher, clock } = watched(root);
  const curves = readRunCurves(dir);
  assert.deepEqual(curves.epochs, [1, 2]);
  assert.deepEqual(curves.testIwae, [-4.5, -3.6]);
  writeFileSync(join(dir, 'run.json'), '{"format":"latent-lab-run-record","runId":"cut","sta');
  watcher.fire(join(dir, 'run.json'));
  clock.advance(QUIET_MS);
  const cut = model.get('cut')!;
  assert.equal(cut.status, 'unknown');
  assert.match(cut.reason ?? '', /not valid JSON/);
  // The record comes back whole at the next atomic write.
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('cut', { status: 'failed', message: 'training process exited' })));
  watcher.fire(join(dir, 'run.json'));
  clock.advance(QUIET_MS);
  assert.equal(model.get('cut')?.status, 'failed');
  model.dispose();
});

test('a record that parses but breaks its schema names the field, and the run stays listed', () => {
  const root = tempDir();
  const broken = { ...record('odd'), step: -3 };
  writeRun(root, 'odd', { record: JSON.stringify(broken), checkpoint: true });
  const odd = new RunsModel({ folders: [{ runsFolder: root }] }).get('odd')!;
  assert.equal(odd.status, 'unknown');
  assert.match(odd.reason ?? '', /^run\.json does not match its schema: step: /);
});

test('several runs folders (a multi-root workspace) are listed together, each run named apart', () => {
  const [a, b] = [tempDir(), tempDir()];
  writeRun(a, 'same-name', { record: record('in-a', { updated: '2026-11-20T10:00:00.000Z' }), checkpoint: true });
  writeRun(b, 'same-name', { record: record('in-b', { updated: '2026-11-21T10:00:00.000Z' }), checkpoint: true });
  writeRun(b, 'other', { record: record('other', { updated: '2026-11-19T10:00:00.000Z' }), checkpoint: true });
  const clock = new ManualClock();
  const watcher = new FakeWatcher();
  const model = new RunsModel({ folders: [{ runsFolder: a, label: 'digits' }, { runsFolder: b, label: 'faces', watcher }], debounceMs: QUIET_MS, clock });
  assert.deepEqual(model.runs.map((r) => [r.id, r.name]), [['faces:same-name', 'in-b'], ['digits:same-name', 'in-a'], ['faces:other', 'other']]);
  assert.equal(model.get('digits:same-name')?.dir, join(a, 'same-name'));
  assert.equal(model.runsFolder, `${a} · ${b}`);
  assert.equal(model.deletableFolder('faces:other'), join(b, 'other'));
  assert.throws(() => model.deletableFolder('digits:other'), /refusing to touch/);
  writeRun(b, 'new', { record: record('new'), checkpoint: true });
  watcher.fire(join(b, 'new', 'run.json'));
  clock.advance(QUIET_MS);
  assert.ok(model.get('faces:new'));
  assert.equal(model.rename('digits:same-name', 'renamed').name, 'renamed');
  assert.equal(model.get('faces:same-name')?.name, 'in-b', 'the other folder\'s run of the same name is untouched');
  model.dispose();
});

test('curves keep the last event of an epoch repeated after a resume', () => {
  const root = tempDir();
  const dir = writeRun(root, 'resumed', { metrics: epochLine(0, -5, -4) + epochLine(1, -4, -3) + epochLine(1, -4, -2.9) + epochLine(2, -3, -2.5) });
  const c = readRunCurves(dir);
  assert.deepEqual(c.epochs, [1, 2, 3]);
  assert.deepEqual(c.testIwae, [-4, -2.9, -2.5]);
});

test('rename and tags live in labels.json; the trainer-owned files are untouched', () => {
  const root = tempDir();
  const dir = writeRun(root, 'r', { record: record('r'), checkpoint: true });
  const runJson = readFileSync(join(dir, 'run.json'), 'utf8');
  const model = new RunsModel({ folders: [{ runsFolder: root }] });
  assert.equal(model.rename('r', '  K=5  baseline ').name, 'K=5 baseline');
  assert.deepEqual(model.setTags('r', parseTags('paper, mnist,,paper')).tags, ['paper', 'mnist']);
  assert.equal(model.get('r')!.name, 'K=5 baseline', 'tagging keeps the name');
  assert.equal(model.rename('r', '').name, 'r', 'an empty name goes back to the run id');
  assert.deepEqual(model.get('r')!.tags, ['paper', 'mnist']);
  assert.equal(readFileSync(join(dir, 'run.json'), 'utf8'), runJson);
  assert.ok(existsSync(join(dir, 'labels.json')));
  writeFileSync(join(dir, 'labels.json'), '{ broken');
  assert.equal(new RunsModel({ folders: [{ runsFolder: root }] }).get('r')!.name, 'r', 'broken labels are ignored');
  assert.throws(() => parseTags('x'.repeat(41)), /longer than 40/);
  model.dispose();
});

test('delete is only ever offered a run folder directly inside the runs folder', () => {
  const base = tempDir();
  const root = join(base, 'runs');
  writeRun(root, 'ok', { record: record('ok'), checkpoint: true });
  // Things that must never be deleted through the model.
  const outside = writeRun(base, 'outside-run', { record: record('outside'), checkpoint: true });
  symlinkSync(outside, join(root, 'link-to-outside'));
  mkdirSync(join(root, 'plain-folder'));
  writeFileSync(join(root, 'file.txt'), 'x');
  const model = new RunsModel({ folders: [{ runsFolder: root }] });
  assert.equal(model.deletableFolder('ok'), join(root, 'ok'));
  for (const id of ['..', '.', '../outside-run', 'link-to-outside', 'plain-folder', 'file.txt', 'missing', '']) {
    assert.throws(() => model.deletableFolder(id), /refusing to touch/, id);
  }
  assert.throws(() => model.rename('../outside-run', 'x'), /refusing to touch/);
  assert.ok(!existsSync(join(outside, 'labels.json')));
  // A runs folder that is itself reached through a link still only yields its own children.
  symlinkSync(root, join(base, 'runs-link'));
  const viaLink = new RunsModel({ folders: [{ runsFolder: join(base, 'runs-link') }] });
  assert.equal(viaLink.deletableFolder('ok'), join(root, 'ok'));
  assert.throws(() => viaLink.deletableFolder('link-to-outside'), /symbolic link/);
  model.forget('ok');
  assert.equal(model.get('ok'), undefined);
  model.dispose();
  viaLink.dispose();
});

test('K studies beside the runs: listed with their runs, followed when their manifest changes, a damaged one reported', () => {
  const root = tempDir();
  const manifest = syntheticStudy('k', 'running');
  for (const cell of manifest.cells) writeRun(root, cell.run, { record: record(cell.run, { status: cell.k === 1 ? 'finished' : 'running' }), checkpoint: true });
  writeRun(root, 'alone', { record: record('alone'), checkpoint: true });
  writeFileSync(join(root, 'k.study.json'), JSON.stringify(manifest));
  writeFileSync(join(root, 'broken.study.json'), '{"format": "latent-lab-study"');
  const { model, watcher, clock, fired } = watched(root);
  assert.deepEqual(model.studies.map((s) => s.id), ['broken', 'k']);
  const study = model.study('k')!;
  assert.deepEqual(study.runIds, ['k-k1-s1', 'k-vae-k5-s1', 'k-iwae-k5-s1', 'k-vae-k50-s1', 'k-iwae-k50-s1']);
  assert.equal(study.manifest?.status, 'running');
  assert.match(model.study('broken')!.problem!, /broken\.study\.json: not JSON/);
  assert.equal(model.runs.length, 6, 'the study\'s runs are runs too');

  writeFileSync(join(root, 'k.study.json'), JSON.stringify(syntheticStudy('k', 'finished')));
  watcher.fire(join(root, 'k.study.json'));
  clock.advance(QUIET_MS);
  assert.equal(model.study('k')?.manifest?.status, 'finished');
  assert.ok(model.study('k')?.manifest?.results);
  assert.equal(fired.length, 1, 'a changed manifest is one change');
  rmSync(join(root, 'broken.study.json'));
  watcher.fire(join(root, 'broken.study.json'));
  clock.advance(QUIET_MS);
  assert.deepEqual(model.studies.map((s) => s.id), ['k']);
  model.dispose();
});
