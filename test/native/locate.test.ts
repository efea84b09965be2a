// The one resolution order for the native backend, on folders made here:
// configured, then provisioned, then installed above the code; and what
// counts as a provisioned backend at all.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryDir, entryState, installEntry, removeStale, stagingDir, writeManifest } from '../../src/engine/native/backendStore';
import { locateBackend } from '../../src/engine/native/locateBackend';
import { backendKey, cliStoreDir, TFJS_NODE_VERSION } from '../../src/engine/native/target';

const temp = () => mkdtempSync(join(tmpdir(), 'll-locate-'));

/** An npm-installed tfjs-node: its package.json and, unless told otherwise, a built binding. */
function installedPackage(dir: string, { binding = true } = {}): string {
  mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: TFJS_NODE_VERSION }));
  if (binding) writeFileSync(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), 'binding');
  return dir;
}

/** A provisioned entry as provisionStore leaves it: files, then the manifest. */
function provisioned(store: string): string {
  const dir = installedPackage(entryDir(store));
  mkdirSync(join(dir, 'deps', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'deps', 'lib', 'libtensorflow_cc.so.2'), 'library');
  writeManifest(dir, { format: 1, tfjsNode: TFJS_NODE_VERSION, target: { platform: process.platform, arch: process.arch }, route: 'wheel', tensorflow: '2.21.0', createdAt: '2026-12-01T00:00:00Z' });
  return dir;
}

/** A folder with code in it and tfjs-node installed above it, like a development checkout. */
function checkout(root: string): string {
  installedPackage(join(root, 'node_modules', '@tensorflow', 'tfjs-node'));
  const code = join(root, 'dist');
  mkdirSync(code, { recursive: true });
  return code;
}

test('a configured folder wins over the provisioned copy, which wins over an installed package', () => {
  const root = temp();
  const configured = installedPackage(join(root, 'mine'));
  const store = join(root, 'store');
  const entry = provisioned(store);
  const from = checkout(join(root, 'checkout'));
  assert.equal(locateBackend({ configured, storeDir: store, from }).location?.source, 'configured');
  assert.equal(locateBackend({ configured, storeDir: store, from }).location?.dir, configured);
  const fromStore = locateBackend({ storeDir: store, from }).location;
  assert.equal(fromStore?.source, 'provisioned');
  assert.equal(fromStore?.dir, entry);
  assert.equal(fromStore?.manifest?.route, 'wheel');
  const project = locateBackend({ storeDir: join(root, 'empty-store'), from });
  assert.equal(project.location?.source, 'project');
  assert.equal(project.location?.dir, join(root, 'checkout', 'node_modules', '@tensorflow', 'tfjs-node'));
  assert.deepEqual(project.probes.map((p) => [p.source, p.found]), [['provisioned', false], ['project', true]]);
});

test('a configured folder may be a project that has tfjs-node in node_modules', () => {
  const root = temp();
  const pkg = installedPackage(join(root, 'project', 'node_modules', '@tensorflow', 'tfjs-node'));
  assert.equal(locateBackend({ configured: join(root, 'project') }).location?.dir, pkg);
});

test('a configured folder without a backend is the answer, with the reason; no other copy is used', () => {
  const root = temp();
  const store = join(root, 'store');
  provisioned(store);
  const missing = locateBackend({ configured: join(root, 'nowhere'), storeDir: store, from: checkout(root) });
  assert.equal(missing.location, undefined);
  assert.deepEqual(missing.probes.map((p) => [p.source, p.found]), [['configured', false]]);
  assert.match(missing.probes[0].note, /does not exist/);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.match(locateBackend({ configured: empty }).probes[0].note, /holds no @tensorflow\/tfjs-node/);
  const unbuilt = installedPackage(join(root, 'unbuilt'), { binding: false });
  assert.match(locateBackend({ configured: unbuilt }).probes[0].note, /no built binding .*native install step did not run or failed/);
});

test('a provisioned folder counts only when its manifest parses and every file it lists has its size', () => {
  const store = join(temp(), 'store');
  const entry = provisioned(store);
  assert.equal(entryState(entry).installed, true);
  writeFileSync(join(entry, 'deps', 'lib', 'libtensorflow_cc.so.2'), 'cut short');
  const resized = entryState(entry);
  assert.equal(resized.installed, false);
  assert.match(resized.installed ? '' : resized.why, /libtensorflow_cc\.so\.2 has 9 bytes, the manifest says 7/);
  writeFileSync(join(entry, 'backend.json'), '{"format": 1');
  assert.match(JSON.stringify(entryState(entry)), /backend\.json: /);
  const other = join(temp(), 'store');
  installedPackage(entryDir(other));
  assert.match(JSON.stringify(entryState(entryDir(other))), /backend\.json is missing \(an incomplete set-up\)/);
  assert.equal(locateBackend({ storeDir: other }).location, undefined, 'files without a manifest are never a backend');
});

test('a provisioned copy is looked for under this tfjs-node version, platform and architecture only', () => {
  const store = join(temp(), 'store');
  provisioned(store);
  assert.equal(backendKey(), `tfjs-node-${TFJS_NODE_VERSION}-${process.platform}-${process.arch}`);
  const elsewhere = { platform: 'darwin' as const, arch: 'arm64' };
  assert.equal(locateBackend({ storeDir: store, target: elsewhere }).location, undefined);
  assert.equal(entryDir(store, elsewhere), join(store, `tfjs-node-${TFJS_NODE_VERSION}-darwin-arm64`));
});

test('staging folders of a dead set-up are removed, a live one is kept; none is ever a backend', () => {
  const store = join(temp(), 'store');
  const live = stagingDir(store);
  const dead = join(store, `.staging-${backendKey()}-999999-0badc0de`);
  installedPackage(dead);
  assert.equal(locateBackend({ storeDir: store }).location, undefined);
  const removed = removeStale(store, (pid) => pid === process.pid);
  assert.deepEqual(removed, [`.staging-${backendKey()}-999999-0badc0de`]);
  assert.deepEqual(readdirSync(store), [live.split('/').pop()]);
});

test('installing over an existing entry (a repair) leaves exactly the new one', () => {
  const store = join(temp(), 'store');
  const entry = provisioned(store);
  const staging = stagingDir(store);
  writeFileSync(join(staging, 'marker'), 'new');
  installEntry(staging, entry);
  assert.deepEqual(readdirSync(store), [backendKey()]);
  assert.equal(readFileSync(join(entry, 'marker'), 'utf8'), 'new');
});

test("the command line's store follows LATENT_LAB_HOME, then the platform's cache folder", () => {
  assert.equal(cliStoreDir({ LATENT_LAB_HOME: '/lab', HOME: '/h' }, 'linux'), '/lab/native');
  assert.equal(cliStoreDir({ XDG_CACHE_HOME: '/xdg', HOME: '/h' }, 'linux'), '/xdg/latent-lab/native');
  assert.equal(cliStoreDir({ HOME: '/h' }, 'linux'), '/h/.cache/latent-lab/native');
  assert.equal(cliStoreDir({ HOME: '/h' }, 'darwin'), '/h/Library/Caches/latent-lab/native');
  assert.equal(cliStoreDir({ HOME: '/h', LOCALAPPDATA: 'C:/local' }, 'win32'), join('C:/local', 'latent-lab', 'native'));
});

test('the engine is built against the tfjs-node version package.json pins', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(manifest.devDependencies['@tensorflow/tfjs-node'], TFJS_NODE_VERSION);
  assert.equal(manifest.dependencies, undefined, 'everything the command line runs is bundled: installing it fetches nothing');
});
