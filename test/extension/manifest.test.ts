// package.json as VS Code reads it agrees with the code, and the extension host's
// bundle never loads TensorFlow (training belongs in the training process).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COMMANDS, DASHBOARD_VIEW_TYPE, DEFAULT_SETTINGS, SETTINGS_SECTION, TRAINING_CONTEXT_KEY } from '../../src/extension/contributions';
import { buildBundles, type Bundles } from './helpers/bundles';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
let bundles: Bundles;

before(async () => {
  bundles = await buildBundles();
});
after(() => bundles.remove());

test('every command the extension registers is contributed in the Latent Lab category', () => {
  const contributed = new Map<string, { title: string; category: string }>(manifest.contributes.commands.map((c: { command: string }) => [c.command, c]));
  for (const id of Object.values(COMMANDS)) {
    assert.equal(contributed.get(id)?.category, 'Latent Lab', `${id} is contributed`);
  }
  const titles = Object.values(COMMANDS).map((id) => contributed.get(id)?.title);
  for (const title of ['Train IWAE', 'Train VAE', 'Stop Training', 'Open Dashboard', 'Evaluate Checkpoint']) assert.ok(titles.includes(title), title);
});

test('the palette offers Stop Training while the context key the extension sets says a run trains', () => {
  const entry = manifest.contributes.menus.commandPalette.find((m: { command: string }) => m.command === COMMANDS.stopTraining);
  assert.equal(entry?.when, TRAINING_CONTEXT_KEY);
});

test('the settings are contributed with the defaults the code falls back to', () => {
  const properties = manifest.contributes.configuration.properties;
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    assert.equal(properties[`${SETTINGS_SECTION}.${key}`]?.default, value, `${SETTINGS_SECTION}.${key}`);
  }
});

test('the manifest runs the extension where the data is, limits it in Restricted Mode and restores the dashboard', () => {
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(manifest.capabilities.untrustedWorkspaces.description, /Restricted Mode/);
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${DASHBOARD_VIEW_TYPE}`));
  assert.match(manifest.devDependencies['@types/vscode'], /^~1\.100\./);
  assert.match(manifest.engines.vscode, /^\^1\.100\./);
});

test('the extension host bundle requires vscode but never loads TensorFlow; the training process does', () => {
  const code = readFileSync(bundles.extension, 'utf8');
  assert.match(code, /require\("vscode"\)/);
  assert.doesNotMatch(code, /require\("@tensorflow\/tfjs-node"\)/);
  assert.doesNotMatch(code, /function loadTfjsNode/);
  const worker = readFileSync(bundles.worker, 'utf8');
  assert.match(worker, /function loadTfjsNode/);
  assert.doesNotMatch(worker, /require\("@tensorflow\/tfjs-node"\)/, 'tfjs-node is loaded from the resolved folder, not by package name');
});
