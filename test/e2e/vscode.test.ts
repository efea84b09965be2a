// The extension as a user meets it: packaged as a VSIX, installed into a real
// VS Code (code-server 4.100.3, VS Code 1.100) that has never run it, driven
// through Debian's Chromium. User data, extensions and workspaces live in a
// temporary folder outside this checkout, and code-server starts with nothing
// that leads back into it (no NODE_PATH, no node_modules/.bin): the first
// Train IWAE has to set up the native backend, for real (here through the
// tensorflow-cpu wheel, the official hosts being out of reach). Each step
// leaves a screenshot in test-artifacts/e2e/; a failing step says which one it
// was and keeps its screenshot, code-server's log and VS Code's own logs (the
// extension host's output included).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { readRunRecord, runPaths } from '../../src/engine/train/runDir';
import {
  ensureCodeServer, EXTENSION_ID, installExtension, packageExtension, prepareWorkspace, root, startCodeServer, writeUserSettings, type CodeServer,
} from '../../scripts/codeServer';
import {
  chartHasPoints, exactly, gridDrawn, pick, quickPickTitled, runCommand, UI_TIMEOUT_MS, until, webviewFrame,
} from '../../scripts/workbench';

const artifacts = join(root, 'test-artifacts', 'e2e');
// One folder per test process (several engineers run `npm test` on one machine), outside the checkout.
const states = join(tmpdir(), 'latent-lab-e2e');
const state = join(states, String(process.pid));
const userDataDir = join(state, 'user-data');
const extensionsDir = join(state, 'extensions');
const trustedWorkspace = join(state, 'workspace');
const secondWorkspace = join(state, 'second-workspace');
const untrustedWorkspace = join(state, 'untrusted-workspace');
const CHROMIUM = '/usr/bin/chromium';

/** The whole flow, installs and builds excluded (they are in `before`). */
const FLOW_TIMEOUT_MS = 14 * 60_000;
/** From Enter on the last pick to the first points of the training curve (process start, tfjs-node load, first steps). */
const FIRST_POINTS_TIMEOUT_MS = 120_000;
/** The native backend's set-up: pip's download of the wheel, unpacking about 1 GB, compiling the binding. */
const SET_UP_TIMEOUT_MS = 6 * 60_000;
/** One epoch of 9,000 digits at K = 5 (seconds here; generous for a slow CI machine), then the held-out evaluation and the images. */
const FIRST_EPOCH_TIMEOUT_MS = 180_000;

let entry = '';
let server: CodeServer | undefined;
let browser: Browser | undefined;

/** Whether a process with this id is running (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

before(() => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  // Left behind by runs that were killed before their `after`.
  if (existsSync(states)) for (const pid of readdirSync(states)) if (!alive(Number(pid))) rmSync(join(states, pid), { recursive: true, force: true });
  // Both are no-ops when `npm run setup` already did them; they make this file runnable alone.
  entry = ensureCodeServer();
  installExtension(entry, packageExtension(), extensionsDir, userDataDir);
  writeUserSettings(userDataDir, {
    // Trust stays on: the example workspace is trusted through the real
    // dialog, and the last step needs Restricted Mode.
    'security.workspace.trust.enabled': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    // No extension gallery is reachable from here.
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.commandCenter.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    // Train IWAE offers this many epochs first: enough (3-4 s an epoch here)
    // that the run is still going when the test stops it. Should stopping
    // fail, the training process goes with code-server's process group.
    'latentLab.epochs': 30,
  });
  prepareWorkspace(trustedWorkspace);
  prepareWorkspace(secondWorkspace);
  prepareWorkspace(untrustedWorkspace);
}, { timeout: 15 * 60_000 });

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  // VS Code's own logs: the extension host's, with Latent Lab's output channel.
  const logs = join(userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(artifacts, 'vscode-logs'), { recursive: true });
  rmSync(state, { recursive: true, force: true });
});

let shots = 0;

/** Runs one step; its screenshot is taken whether it passes or fails. */
async function step(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  const file = join(artifacts, `${String(++shots).padStart(2, '0')}-${name}.png`);
  try {
    await body();
  } catch (err) {
    const failed = file.replace(/\.png$/, '-FAILED.png');
    await page.screenshot({ path: failed }).catch(() => undefined);
    throw new Error(`e2e step "${name}" failed: ${(err as Error).message}\n  screenshot: ${failed}\n  code-server log: ${server?.logFile}\n  VS Code logs: ${join(artifacts, 'vscode-logs')}`,
      { cause: err });
  }
  await page.screenshot({ path: file });
}

async function openWorkbench(page: Page, folder: string, trust: 'trust' | 'restrict'): Promise<void> {
  await page.goto(`${server!.origin}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
  const button = trust === 'trust' ? "Yes, I trust the authors" : "No, I don't trust the authors";
  await page.locator('.monaco-dialog-box').getByRole('button', { name: button }).click({ timeout: UI_TIMEOUT_MS });
  await page.locator('.monaco-dialog-box').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  // The command palette lists what the workbench knows when it opens: wait until it knows the extension.
  await page.locator('.part.activitybar [aria-label^="Latent Lab"]').first().waitFor({ timeout: UI_TIMEOUT_MS });
}

test('Latent Lab in code-server: first training sets up the backend, dashboard, stop, runs view, inspector, experiments, reload, a second window, Restricted Mode', { timeout: FLOW_TIMEOUT_MS }, async () => {
  server = await startCodeServer({
    entry, userDataDir, extensionsDir, folder: trustedWorkspace, logFile: join(artifacts, 'code-server.log'),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // launch() gives every run a fresh temporary profile (--user-data-dir).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  await step(page, 'workspace-trusted', async () => {
    await openWorkbench(page, trustedWorkspace, 'trust');
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="mnist"]').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  /** The first three quick picks of Train IWAE, answered as a new user would; the fourth is left open. */
  const trainIwaeUntilLastPick = async (p: Page) => {
    await runCommand(p, 'Latent Lab: Train IWAE');
    await pick(p, 'Train IWAE (1/4)', 'mnist');
    await pick(p, 'Train IWAE (2/4)', 'K = 5');
    await pick(p, 'Train IWAE (3/4)', '30 epochs');
    await quickPickTitled(p, 'Train IWAE (4/4)').waitFor({ timeout: UI_TIMEOUT_MS });
  };
  const trainIwae = async (p: Page) => {
    await trainIwaeUntilLastPick(p);
    await pick(p, 'Train IWAE (4/4)', 'No run config');
  };
  // A toast counts once it has slid in, so that its screenshot shows it.
  const toast = (p: Page, text: string | RegExp) => p.locator('.notification-toast.notification-fade-in-done', { hasText: text });
  const storeDir = join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'native');
  const setUpPrompt = /needs TensorFlow's native library to train, and it is not set up on this machine yet/;

  await step(page, 'train-iwae-picks', () => trainIwaeUntilLastPick(page));
  await step(page, 'set-up-prompt', async () => {
    await pick(page, 'Train IWAE (4/4)', 'No run config');
    await toast(page, setUpPrompt).getByRole('button', { name: 'Set Up' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.match(await toast(page, setUpPrompt).textContent() ?? '', /about 300 MB.*into .*globalStorage/);
  });

  await step(page, 'set-up-cancelled', async () => {
    await toast(page, setUpPrompt).getByRole('button', { name: 'Set Up' }).click({ timeout: UI_TIMEOUT_MS });
    const progress = toast(page, 'setting up the native backend');
    await progress.waitFor({ timeout: UI_TIMEOUT_MS });
    // Cancelled while the wheel route runs (pip, unpacking or compiling).
    await toast(page, /tensorflow-cpu/).waitFor({ timeout: SET_UP_TIMEOUT_MS });
    await progress.getByRole('button', { name: 'Cancel' }).click({ timeout: UI_TIMEOUT_MS });
    await toast(page, 'the set-up was cancelled; nothing was installed').waitFor({ timeout: UI_TIMEOUT_MS });
    const left = existsSync(storeDir) ? readdirSync(storeDir) : [];
    assert.deepEqual(left, [], `nothing is left in ${storeDir}`);
  });

  await step(page, 'set-up-progress', async () => {
    await trainIwae(page);
    await toast(page, setUpPrompt).getByRole('button', { name: 'Set Up' }).click({ timeout: UI_TIMEOUT_MS });
    await toast(page, /setting up the native backend.*(compiling|extracting|downloading)/).waitFor({ timeout: SET_UP_TIMEOUT_MS });
  });
  await step(page, 'set-up-done', async () => {
    await toast(page, 'the native backend is ready').waitFor({ timeout: SET_UP_TIMEOUT_MS });
    assert.deepEqual(readdirSync(storeDir), ['tfjs-node-4.22.0-linux-x64'], 'one backend, no staging folder');
    const manifest = JSON.parse(readFileSync(join(storeDir, 'tfjs-node-4.22.0-linux-x64', 'backend.json'), 'utf8'));
    assert.equal(manifest.route, 'wheel', 'the official hosts are out of reach here');
  });
  console.log(`[e2e] native backend set up after ${elapsed()}`);

  let dashboard: Frame | undefined;
  // The training that asked for the set-up starts by itself.
  await step(page, 'dashboard-curves', async () => {
    dashboard = await webviewFrame(page, 'main#app', 'the dashboard');
    await dashboard.locator('.run-header .status-running').waitFor({ timeout: FIRST_POINTS_TIMEOUT_MS });
    await dashboard.waitForFunction(chartHasPoints, { name: 'train-bound', min: 2 }, { timeout: FIRST_POINTS_TIMEOUT_MS, polling: 500 });
  });
  console.log(`[e2e] training curve has points after ${elapsed()}`);

  await step(page, 'dashboard-images', async () => {
    await dashboard!.waitForFunction(gridDrawn, 'reconstructions', { timeout: FIRST_EPOCH_TIMEOUT_MS, polling: 1000 });
    await dashboard!.locator('#tab-images').click({ timeout: UI_TIMEOUT_MS });
    await dashboard!.locator('[data-grid="reconstructions"] canvas').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  });
  console.log(`[e2e] reconstructions drawn after ${elapsed()}`);

  await step(page, 'dashboard-curves-after-epoch', async () => {
    await dashboard!.locator('#tab-curves').click({ timeout: UI_TIMEOUT_MS });
    await dashboard!.waitForFunction(chartHasPoints, { name: 'held-out', min: 2 }, { timeout: UI_TIMEOUT_MS, polling: 500 });
  });

  let runId = '';
  await step(page, 'stopped', async () => {
    runId = (await dashboard!.locator('.run-header .run-id').textContent({ timeout: UI_TIMEOUT_MS })) ?? '';
    await runCommand(page, 'Latent Lab: Stop Training');
    await dashboard!.locator('.run-header .status-stopped').waitFor({ timeout: UI_TIMEOUT_MS });
    const runs = join(trustedWorkspace, '.latent-lab', 'runs');
    const dirs = readdirSync(runs).map((d) => join(runs, d));
    assert.equal(dirs.length, 1, `one run folder under ${runs}`);
    assert.equal(readRunRecord(dirs[0])?.runId, runId);
    assert.equal(readRunRecord(dirs[0])?.status, 'stopped');
    assert.ok(readFileSync(runPaths(dirs[0]).checkpoint).length > 0, 'the stopped run kept a checkpoint');
  });
  console.log(`[e2e] run ${runId} stopped after ${elapsed()}`);

  const rows = page.locator('.part.sidebar .monaco-list-row');
  const runRow = rows.filter({ hasText: runId });
  await step(page, 'runs-view', async () => {
    await runCommand(page, 'Latent Lab: Focus on Runs View');
    let shown: string[] = [];
    // The tree re-renders its rows as runs change, so rows are read, not held.
    await until(`the run's row in the runs view to say "stopped"`, UI_TIMEOUT_MS, async () => {
      shown = await rows.allTextContents();
      return shown.some((text) => text.includes(runId) && /\bstopped\b/.test(text)) || undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the view shows: ${shown.length ? shown.join(' | ') : 'no rows'}`);
    });
  });

  await step(page, 'checkpoint-inspector', async () => {
    await runRow.click({ timeout: UI_TIMEOUT_MS });
    const inspector = await webviewFrame(page, '.inspector table.kv[aria-label="Architecture"]', 'the checkpoint inspector');
    assert.equal(await inspector.locator('.run-title').textContent(), runId);
    // Burda et al.'s one-stochastic-layer model, as Train IWAE builds it by default.
    await inspector.locator('td[data-key="Encoder"]', { hasText: exactly('784 → 200 → 200 → [50]') }).waitFor({ timeout: UI_TIMEOUT_MS });
    await inspector.locator('td[data-key="Train bound"]', { hasText: / nats$/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    await inspector.locator('td[data-key="Status"]', { hasText: /^stopped/ }).waitFor({ timeout: UI_TIMEOUT_MS });
  });

  await step(page, 'experiment-dashboard', async () => {
    await runCommand(page, 'Latent Lab: Open Experiment Dashboard');
    await webviewFrame(page, `.runs-table tbody tr[data-id="${runId}"]`, "the experiment dashboard's row of the run");
  });

  // VS Code hands both dashboards back to their serializers; each page says ready and is sent its state again.
  await step(page, 'restored-after-reload', async () => {
    const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: UI_TIMEOUT_MS });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    await webviewFrame(page, `.runs-table tbody tr[data-id="${runId}"]`, 'the restored experiment dashboard');
    // A restored webview in a background tab loads when its tab is shown.
    await page.locator('.tabs-container .tab', { hasText: `Latent Lab: ${runId}` }).click({ timeout: UI_TIMEOUT_MS });
    const restored = await webviewFrame(page, 'main#app .run-header', 'the restored training dashboard');
    // The header is there before the replayed snapshot fills it.
    await restored.locator('.run-header .run-id', { hasText: exactly(runId) }).waitFor({ timeout: UI_TIMEOUT_MS });
    await restored.locator('.run-header .status-stopped').waitFor({ timeout: UI_TIMEOUT_MS });
  });

  const second = await context.newPage();
  await step(second, 'second-window-trains-without-set-up', async () => {
    await openWorkbench(second, secondWorkspace, 'trust');
    await runCommand(second, 'Latent Lab: Show Native Backend');
    await toast(second, /uses the native backend in .*globalStorage.*\(provisioned copy\): tfjs-node 4\.22\.0, TensorFlow 2\.21\.0; set up .* by the TensorFlow-wheel route/)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await trainIwae(second);
    const other = await webviewFrame(second, 'main#app', 'the dashboard of the second window');
    await other.waitForFunction(chartHasPoints, { name: 'train-bound', min: 2 }, { timeout: FIRST_POINTS_TIMEOUT_MS, polling: 500 });
    assert.equal(await toast(second, setUpPrompt).count(), 0, 'no set-up prompt: the backend is shared');
    await runCommand(second, 'Latent Lab: Stop Training');
    await other.locator('.run-header .status-stopped').waitFor({ timeout: UI_TIMEOUT_MS });
  });
  await second.close();

  const restricted = await context.newPage();
  await step(restricted, 'restricted-mode-refuses', async () => {
    await openWorkbench(restricted, untrustedWorkspace, 'restrict');
    await runCommand(restricted, 'Latent Lab: Train IWAE');
    await restricted.locator('.notification-toast', { hasText: 'training is disabled in Restricted Mode' }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.equal(await quickPickTitled(restricted, 'Train IWAE (1/4)').count(), 0,
      'no training quick pick in Restricted Mode');
  });
  console.log(`[e2e] done after ${elapsed()}`);
});
