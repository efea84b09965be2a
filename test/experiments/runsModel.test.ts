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
import { epochLine, record, tempDir, writeRun } from './runFolders';

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

const nextChange = (model: RunsModel) => new Promise<readonly RunEntry[]>((resolve) => {
  const sub = model.onDidChange((runs) => {
    sub.dispose();
    resolve(runs);
  });
});

test('lists finished, running and half-written runs without throwing', () => {
  const root = tempDir();
  writeRun(root, 'done', { record: record('iwae-k5-a'), checkpoint: true, metrics: epochLine(0, -3, -2.8) });
  writeRun(root, 'live', { record: record('vae-k1-b', { status: 'running', updated: '2026-11-21T00:00:00.000Z', final: undefined }), checkpoint: true });
  writeRun(root, 'killed-before-record', { metrics: '{"type":"start","runId":"x"' });
  writeRun(root, 'garbage', { record: '{"format": "latent-lab-run-rec', checkpoint: true });
  writeRun(root, 'lost-weights', { record: record('iwae-k50-c') });
  writeRun(root, 'foreign-json', { record: '[1, 2, 3]' });
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'README.txt'), 'not a run');
  const model = new RunsModel({ runsFolder: root });
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
  assert.equal(model.runs[0].id, 'live', 'newest first');
  assert.equal(byId.get('killed-before-record')!.status, 'unknown');
  assert.match(byId.get('killed-before-record')!.reason!, /no run\.json/);
  assert.equal(byId.get('garbage')!.status, 'unknown');
  assert.match(byId.get('garbage')!.reason!, /run\.json cannot be read/);
  assert.equal(byId.get('foreign-json')!.status, 'unknown');
  assert.equal(byId.get('lost-weights')!.status, 'failed');
  assert.match(byId.get('lost-weights')!.reason!, /checkpoint\.safetensors is missing/);
  model.dispose();
});

test('a missing runs folder is an empty list, and its creation is noticed', async () => {
  const root = join(tempDir(), 'runs');
  const watcher = new FakeWatcher();
  const model = new RunsModel({ runsFolder: root, watcher, debounceMs: 5 });
  assert.deepEqual(model.runs, []);
  writeRun(root, 'first', { record: record('first') , checkpoint: true });
  const changed = nextChange(model);
  watcher.fire(root);
  assert.deepEqual((await changed).map((r) => r.id), ['first']);
  model.dispose();
});

test('follows file-system changes: new runs, status changes, removals, in one refresh per burst', async () => {
  const root = tempDir();
  const watcher = new FakeWatcher();
  const model = new RunsModel({ runsFolder: root, watcher, debounceMs: 10 });
  let fired = 0;
  model.onDidChange(() => fired++);
  const dir = writeRun(root, 'r1', { record: record('r1', { status: 'running' }) });
  let changed = nextChange(model);
  watcher.fire(join(dir, 'run.json'));
  watcher.fire(join(dir, 'metrics.jsonl'));
  watcher.fire(join(dir, 'checkpoint.safetensors'));
  assert.equal((await changed)[0].status, 'running');
  assert.equal(fired, 1, 'three changes in a burst, one refresh');

  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('r1', { status: 'stopped', message: 'stopped by the user' })));
  changed = nextChange(model);
  watcher.fire(join(dir, 'run.json'));
  const [r1] = await changed;
  assert.equal(r1.status, 'stopped');
  assert.equal(r1.reason, 'stopped by the user');

  // A change that alters nothing visible does not fire.
  const before = fired;
  watcher.fire(join(dir, 'run.json'));
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(fired, before);

  rmSync(dir, { recursive: true });
  changed = nextChange(model);
  watcher.fire(dir);
  assert.deepEqual(await changed, []);

  // Paths outside the runs folder are ignored.
  watcher.fire(join(root, '..', 'elsewhere', 'run.json'));
  await new Promise((r) => setTimeout(r, 40));
  model.dispose();
});

test('a change noticed without any watcher (the training service\'s word) rereads that run', async () => {
  const root = tempDir();
  const model = new RunsModel({ runsFolder: root, debounceMs: 5 });
  const dir = writeRun(root, 'mine', { record: record('mine', { status: 'running' }) });
  let changed = nextChange(model);
  model.notice(dir);
  assert.equal((await changed)[0].status, 'running');
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('mine', { status: 'stopped' })));
  changed = nextChange(model);
  model.notice(dir);
  assert.equal((await changed)[0].status, 'stopped');
  model.dispose();
});

test('a run killed mid-write: truncated metrics line and half-written record are tolerated', async () => {
  const root = tempDir();
  const watcher = new FakeWatcher();
  const metrics = epochLine(0, -5, -4.5) + epochLine(1, -4, -3.6) + '{"type":"epoch","step":15,"epoch":2,"trainBou';
  const dir = writeRun(root, 'cut', { record: record('cut', { status: 'running' }), checkpoint: true, metrics });
  const model = new RunsModel({ runsFolder: root, watcher, debounceMs: 5 });
  const curves = readRunCurves(dir);
  assert.deepEqual(curves.epochs, [1, 2]);
  assert.deepEqual(curves.testIwae, [-4.5, -3.6]);
  writeFileSync(join(dir, 'run.json'), '{"format":"latent-lab-run-record","runId":"cut","sta');
  const changed = nextChange(model);
  watcher.fire(join(dir, 'run.json'));
  const [cut] = await changed;
  assert.equal(cut.status, 'unknown');
  assert.ok(cut.reason);
  // The record comes back whole at the next atomic write.
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record('cut', { status: 'failed', message: 'training process exited' })));
  const again = nextChange(model);
  watcher.fire(join(dir, 'run.json'));
  assert.equal((await again)[0].status, 'failed');
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
  const model = new RunsModel({ runsFolder: root });
  assert.equal(model.rename('r', '  K=5  baseline ').name, 'K=5 baseline');
  assert.deepEqual(model.setTags('r', parseTags('paper, mnist,,paper')).tags, ['paper', 'mnist']);
  assert.equal(model.get('r')!.name, 'K=5 baseline', 'tagging keeps the name');
  assert.equal(model.rename('r', '').name, 'r', 'an empty name goes back to the run id');
  assert.deepEqual(model.get('r')!.tags, ['paper', 'mnist']);
  assert.equal(readFileSync(join(dir, 'run.json'), 'utf8'), runJson);
  assert.ok(existsSync(join(dir, 'labels.json')));
  writeFileSync(join(dir, 'labels.json'), '{ broken');
  assert.equal(new RunsModel({ runsFolder: root }).get('r')!.name, 'r', 'broken labels are ignored');
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
  const model = new RunsModel({ runsFolder: root });
  assert.equal(model.deletableFolder('ok'), join(root, 'ok'));
  for (const id of ['..', '.', '../outside-run', 'link-to-outside', 'plain-folder', 'file.txt', 'missing', '']) {
    assert.throws(() => model.deletableFolder(id), /refusing to touch/, id);
  }
  assert.throws(() => model.rename('../outside-run', 'x'), /refusing to touch/);
  assert.ok(!existsSync(join(outside, 'labels.json')));
  // A runs folder that is itself reached through a link still only yields its own children.
  symlinkSync(root, join(base, 'runs-link'));
  const viaLink = new RunsModel({ runsFolder: join(base, 'runs-link') });
  assert.equal(viaLink.deletableFolder('ok'), join(root, 'ok'));
  assert.throws(() => viaLink.deletableFolder('link-to-outside'), /symbolic link/);
  model.forget('ok');
  assert.equal(model.get('ok'), undefined);
  model.dispose();
  viaLink.dispose();
});
