// `npm run screenshots:study -- RUN_DIR`: the README's pictures of a K study
// and of what a checkpoint's log weights and gradients say, taken in a real
// VS Code (code-server) with the packaged extension. A K study of the VAE and
// the IWAE at K = 1, 5, 50 on the bundled digits is run from the palette
// (Run K Study, its five quick picks answered as a user would, two epochs a
// run: a short study, which the captions say), and shown in the runs view and
// the experiment dashboard; the trained run RUN_DIR (Burda et al.'s one-layer
// model) is opened in the inspector, its final evaluation's ladder, ESS and
// k-hat shown at once, and analyzed for its gradient SNR. The pictures go to docs/images/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { closeSideBarAndToasts, closeToasts, runDirArgument, withScreenshotSession } from './screenshotSession.ts';
import { chartHasPoints, pick, quickPickTitled, runCommand, UI_TIMEOUT_MS, until, webviewFrame } from './workbench.ts';

const runDir = runDirArgument('usage: npm run screenshots:study -- RUN_DIR   (a finished run of Burda et al.\'s one-layer model, e.g. runs/iwae-k5-…)');
/** Five runs of two epochs, each evaluated at -L_5000 on the 1,000 test digits: about a quarter of an hour on two busy cores. */
const STUDY_TIMEOUT_MS = 90 * 60_000;
/** The quick look of Analyze Gradients on Burda et al.'s model. */
const GRADIENTS_TIMEOUT_MS = 30 * 60_000;

await withScreenshotSession('study-screenshots', runDir, { 'latentLab.epochs': 2 }, async ({ page, runs, runId, shoot }) => {
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
  await expandStudy(page, name);
  await until('the study\'s first run to report an epoch', STUDY_TIMEOUT_MS, async () => (await page.locator('.notification-toast', { hasText: /epoch 1/ }).count()) || undefined);
  await shoot('k-study-running');

  await until('the K study to finish', STUDY_TIMEOUT_MS, async () => (manifestStatus(runs, name) === 'finished' ? true : undefined));
  await studies.locator('.study-results:not([hidden]) .finding').first().waitFor({ timeout: UI_TIMEOUT_MS });
  await closeToasts(page);
  await expandStudy(page, name);
  await shoot('k-study-view');
  await studies.locator('.findings').scrollIntoViewIfNeeded();
  await shoot('k-study-findings');
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
  await shoot('inspector-log-weights');
  await inspector.locator('.chart-card:has(canvas[data-chart="gradient-snr"])').scrollIntoViewIfNeeded();
  await shoot('inspector-gradient-snr');
});

/** Opens the study's row in the runs view by its twistie (a click on the row shows the study instead). */
async function expandStudy(page: Page, name: string): Promise<void> {
  const row = page.locator('.part.sidebar .monaco-list-row', { hasText: name });
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click({ timeout: UI_TIMEOUT_MS });
  await page.locator('.part.sidebar .monaco-list-row[aria-expanded="true"]', { hasText: name }).waitFor({ timeout: UI_TIMEOUT_MS });
}

function manifestStatus(runs: string, name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(runs, `${name}.study.json`), 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}
