// package.json contributes what the runs view, the experiment dashboard and the
// inspector register, and the bundles they need are built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHECKPOINT_EDITOR_VIEW_TYPE, EXPERIMENTS_VIEW_TYPE, EXPERIMENT_COMMANDS, RUNS_VIEW_ID } from '../../src/extension/experiments/experimentIds';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

test('every experiment command is contributed in the Latent Lab category', () => {
  const contributed = new Map<string, { category: string }>(manifest.contributes.commands.map((c: { command: string }) => [c.command, c]));
  for (const id of Object.values(EXPERIMENT_COMMANDS)) assert.equal(contributed.get(id)?.category, 'Latent Lab', id);
});

test('the runs view lives in a Latent Lab activity bar container with an icon', () => {
  const [container] = manifest.contributes.viewsContainers.activitybar;
  assert.equal(container.id, 'latentLab');
  assert.equal(readFileSync(container.icon, 'utf8').includes('<svg'), true);
  assert.ok(manifest.contributes.views.latentLab.some((v: { id: string }) => v.id === RUNS_VIEW_ID));
  const itemMenus = manifest.contributes.menus['view/item/context'].map((m: { command: string }) => m.command);
  for (const id of [EXPERIMENT_COMMANDS.renameRun, EXPERIMENT_COMMANDS.tagRun, EXPERIMENT_COMMANDS.deleteRun, EXPERIMENT_COMMANDS.openRunInspector]) {
    assert.ok(itemMenus.includes(id), id);
  }
});

test('the inspector opens run checkpoints by default and other .safetensors only when asked', () => {
  const editor = manifest.contributes.customEditors.find((e: { viewType: string }) => e.viewType === CHECKPOINT_EDITOR_VIEW_TYPE);
  assert.equal(editor.priority, 'default');
  assert.deepEqual(editor.selector.map((s: { filenamePattern: string }) => s.filenamePattern), ['checkpoint.safetensors', '*.latentlab.safetensors']);
  const explorer = manifest.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === EXPERIMENT_COMMANDS.inspectCheckpoint);
  assert.equal(explorer.when, 'resourceExtname == .safetensors');
});

test('a window reload restores the experiment dashboard: VS Code activates the extension for its serializer', () => {
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${EXPERIMENTS_VIEW_TYPE}`));
});

test('the build makes the evaluation process and both webview bundles', () => {
  const build = readFileSync('scripts/build.mjs', 'utf8');
  for (const entry of ['src/engine/worker/evaluationWorker.ts', 'src/engine/worker/trainingWorker.ts', 'src/webview/experiments/main.ts', 'src/webview/inspector/main.ts']) assert.ok(build.includes(entry), entry);
});
