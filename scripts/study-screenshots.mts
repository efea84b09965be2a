// `npm run screenshots:study -- RUN_DIR`: the README's pictures of a K study
// and of what a checkpoint's log weights and gradients say, taken in a real
// VS Code (code-server) with the packaged extension. A K study of the VAE and
// the IWAE at K = 1, 5, 50 on the bundled digits is run from the palette
// (Run K Study, its five quick picks answered as a user would, two epochs a
// run: a short study, which the captions say), and shown in the runs view and
// the experiment dashboard; the trained run RUN_DIR (Burda et al.'s one-layer
// model) is opened in the inspector, evaluated there for the ladder, ESS and
// k-hat, and analyzed for its gradient SNR. The pictures go to docs/images/.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import {
  checkoutBackend, ensureCodeServer, installExtension, packageExtension, prepareWorkspace, root, startCodeServer, writeUserSettings, type CodeServer,
} from './codeServer.ts';
import { chartHasPoints, pick, quickPickTitled, runCommand, UI_TIMEOUT_MS, until, webviewFrame } from './workbench.ts';

const runDir = process.argv[2] && resolve(process.argv[2]);
if (!runDir) {
  console.error('usage: npm run screenshots:study -- RUN_DIR   (a finished run of Burda et al.\'s one-layer model, e.g. runs/iwae-k5-…)');
  process.exit(2);
}
const state = join(root, '.vscode-test', 'study-screenshots');
const userDataDir = join(state, 'user-data');
const extensionsDir = join(state, 'extensions');
const workspace = join(state, 'workspace');
const runs = join(workspace, '.latent-lab', 'runs');
const images = join(root, 'docs', 'images');
const runId = basename(runDir);
/** Five runs of two epochs, each evaluated at -L_5000 on the 1,000 test digits: tens of minutes on two busy cores. */
const STUDY_TIMEOUT_MS = 90 * 60_000;
/** The quick look of Analyze Gradients on Burda et al.'s model. */
const GRADIENTS_TIMEOUT_MS = 30 * 60_000;

let server: CodeServer | undefined;
let browser: Browser | undefined;
try {
  rmSync(state, { recursive: true, force: true });
  const entry = ensureCodeServer();
  installExtension(entry, packageExtension(), extensionsDir, userDataDir);
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true, 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'chat.commandCenter.enabled': false, 'git.openRepositoryInParentFolders': 'never', 'latentLab.epochs': 2, ...checkoutBackend(),
  });
  prepareWorkspace(workspace);
  mkdirSync(runs, { recursive: true });
  cpSync(runDir, join(runs, runId), { recursive: true });

  server = await startCodeServer({ entry, userDataDir, extensionsDir, folder: workspace, logFile: join(state, 'code-server.log') });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(server.url);
  await page.locator('.explorer-folders-view .monaco-list-row[aria-label="mnist"]').waitFor({ timeout: UI_TIMEOUT_MS });

  // Run K Study, as a user answers it: the digits, both objectives and K = 1, 5, 50 (picked at first), the epochs setting, one seed.
  await runCommand(page, 'Latent Lab: Run K Study');
  await pick(page, 'Run K Study (1/5)', 'mnist');
  for (const step of ['Run K Study (2/5)', 'Run K Study (3/5)']) {
    await quickPickTitled(page, step).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Enter');
  }
  await pick(page, 'Run K Study (4/5)', '2 epochs');
  await pick(page, 'Run K Study (5/5)', 'One seed (1)');
  const studies = await webviewFrame(page, '.study-view', 'the experiment dashboard\'s K study');
  const name = await until('the study\'s name in the dashboard', UI_TIMEOUT_MS, async () =>
    (await studies.locator('.study-header vscode-dropdown').evaluate((el) => (el as unknown as { value: string }).value).catch(() => '')) || undefined);
  console.log(`[screenshots] K study ${name} started`);

  // While it runs: its runs grouped under it in the runs view, the progress notification.
  await runCommand(page, 'Latent Lab: Focus on Runs View');
  const studyRow = page.locator('.part.sidebar .monaco-list-row', { hasText: name });
  await studyRow.waitFor({ timeout: UI_TIMEOUT_MS });
  await until('the study\'s first run to report an epoch', STUDY_TIMEOUT_MS, async () => (await page.locator('.notification-toast', { hasText: /epoch 1/ }).count()) || undefined);
  if ((await studyRow.getAttribute('aria-expanded')) !== 'true') await studyRow.click();
  await shoot(page, 'k-study-running');

  await until('the K study to finish', STUDY_TIMEOUT_MS, async () => (manifestStatus(name) === 'finished' ? true : undefined));
  await studies.locator('.study-results:not([hidden]) .finding').first().waitFor({ timeout: UI_TIMEOUT_MS });
  await closeToasts(page);
  await shoot(page, 'k-study-view');
  await studies.locator('.findings').scrollIntoViewIfNeeded();
  await shoot(page, 'k-study-findings');
  console.log(`[screenshots] K study ${name} finished`);

  // The trained run in the inspector: its final evaluation's ladder, fit, ESS and k-hat at once; then its gradient SNR.
  await page.locator('.part.sidebar .monaco-list-row', { hasText: runId }).click({ timeout: UI_TIMEOUT_MS });
  const inspector: Frame = await webviewFrame(page, '.inspector .log-weights', 'the checkpoint inspector');
  await inspector.waitForFunction(chartHasPoints, { name: 'bound-vs-k', min: 5 }, { timeout: UI_TIMEOUT_MS, polling: 500 });
  await inspector.locator('.action-gradients').click({ timeout: UI_TIMEOUT_MS });
  await pick(page, 'Analyze Gradients', 'Quick look');
  await inspector.waitForFunction(chartHasPoints, { name: 'gradient-snr', min: 3 }, { timeout: GRADIENTS_TIMEOUT_MS, polling: 1000 });
  await closeSideBarAndToasts(page);
  await inspector.locator('.log-weights').scrollIntoViewIfNeeded();
  await shoot(page, 'inspector-log-weights');
  await inspector.locator('.chart-card:has(canvas[data-chart="gradient-snr"])').scrollIntoViewIfNeeded();
  await shoot(page, 'inspector-gradient-snr');

} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}

function manifestStatus(name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(runs, `${name}.study.json`), 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

async function shoot(page: Page, file: string): Promise<void> {
  const path = join(images, `${file}.png`);
  await page.screenshot({ path });
  console.log(`[screenshots] ${path}`);
}

async function closeToasts(page: Page): Promise<void> {
  for (const toast of await page.locator('.notification-toast .codicon-notifications-clear').all()) await toast.click().catch(() => undefined);
}

/** More room for the webview, and no notification over it. */
async function closeSideBarAndToasts(page: Page): Promise<void> {
  await closeToasts(page);
  if (await page.locator('.part.sidebar').isVisible()) {
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}

