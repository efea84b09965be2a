// `npm run screenshots -- RUN_DIR`: the README's pictures, taken in a real VS
// Code (code-server) with the packaged extension. The finished run RUN_DIR is
// copied into a fresh example workspace; its dashboard (curves, then images) and
// its checkpoint in the inspector are saved as docs/images/*.png at 1440x900.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import {
  checkoutBackend, ensureCodeServer, installExtension, packageExtension, prepareWorkspace, root, startCodeServer, writeUserSettings, type CodeServer,
} from './codeServer.ts';
import { chartHasPoints, gridDrawn, runCommand, UI_TIMEOUT_MS, webviewFrame } from './workbench.ts';

const runDir = process.argv[2] && resolve(process.argv[2]);
if (!runDir) {
  console.error('usage: npm run screenshots -- RUN_DIR   (a finished run folder, e.g. runs/reproduce/iwae-k50)');
  process.exit(2);
}
const state = join(root, '.vscode-test', 'screenshots');
const userDataDir = join(state, 'user-data');
const extensionsDir = join(state, 'extensions');
const workspace = join(state, 'workspace');
const images = join(root, 'docs', 'images');
const runId = basename(runDir);

let server: CodeServer | undefined;
let browser: Browser | undefined;
try {
  rmSync(state, { recursive: true, force: true });
  const entry = ensureCodeServer();
  installExtension(entry, packageExtension(), extensionsDir, userDataDir);
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true, 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'chat.commandCenter.enabled': false, 'git.openRepositoryInParentFolders': 'never', ...checkoutBackend(),
  });
  prepareWorkspace(workspace);
  const runs = join(workspace, '.latent-lab', 'runs');
  mkdirSync(runs, { recursive: true });
  cpSync(runDir, join(runs, runId), { recursive: true });

  server = await startCodeServer({ entry, userDataDir, extensionsDir, folder: workspace, logFile: join(state, 'code-server.log') });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(server.url);
  await page.locator('.explorer-folders-view .monaco-list-row[aria-label="mnist"]').waitFor({ timeout: UI_TIMEOUT_MS });

  // Idle, the dashboard shows the newest run of the workspace: the one copied in.
  await runCommand(page, 'Latent Lab: Open Dashboard');
  const dashboard = await webviewFrame(page, 'main#app', 'the dashboard');
  await dashboard.waitForFunction(chartHasPoints, { name: 'held-out', min: 10 }, { timeout: UI_TIMEOUT_MS, polling: 500 });
  await closeSideBarAndToasts(page);
  await shoot(page, 'dashboard-curves');
  await dashboard.locator('#tab-images').click({ timeout: UI_TIMEOUT_MS });
  await dashboard.waitForFunction(gridDrawn, 'reconstructions', { timeout: UI_TIMEOUT_MS, polling: 500 });
  await shoot(page, 'dashboard-images');

  await runCommand(page, 'Latent Lab: Focus on Runs View');
  await page.locator('.part.sidebar .monaco-list-row', { hasText: runId }).click({ timeout: UI_TIMEOUT_MS });
  const inspector: Frame = await webviewFrame(page, '.inspector table.kv[aria-label="Architecture"]', 'the checkpoint inspector');
  await inspector.locator('td[data-key="Test NLL"]', { hasText: / nats/ }).waitFor({ timeout: UI_TIMEOUT_MS });
  await closeSideBarAndToasts(page);
  await shoot(page, 'checkpoint-inspector');
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = join(images, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`[screenshots] ${file}`);
}

/** More room for the webview, and no notification over it. */
async function closeSideBarAndToasts(page: Page): Promise<void> {
  for (const toast of await page.locator('.notification-toast .codicon-notifications-clear').all()) await toast.click().catch(() => undefined);
  if (await page.locator('.part.sidebar').isVisible()) {
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}
