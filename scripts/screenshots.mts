// `npm run screenshots -- RUN_DIR`: the README's pictures, taken in a real VS
// Code (code-server) with the packaged extension. The finished run RUN_DIR is
// copied into a fresh example workspace; its dashboard (curves, then images) and
// its checkpoint in the inspector are saved as docs/images/*.png at 1440x900.
import type { Frame } from 'playwright-core';
import { closeSideBarAndToasts, runDirArgument, withScreenshotSession } from './screenshotSession.ts';
import { chartHasPoints, gridDrawn, runCommand, UI_TIMEOUT_MS, webviewFrame } from './workbench.ts';

const runDir = runDirArgument('usage: npm run screenshots -- RUN_DIR   (a finished run folder, e.g. runs/reproduce/iwae-k50)');

await withScreenshotSession('screenshots', runDir, {}, async ({ page, runId, shoot }) => {
  // Idle, the dashboard shows the newest run of the workspace: the one copied in.
  await runCommand(page, 'Latent Lab: Open Dashboard');
  const dashboard = await webviewFrame(page, 'main#app', 'the dashboard');
  await dashboard.waitForFunction(chartHasPoints, { name: 'held-out', min: 10 }, { timeout: UI_TIMEOUT_MS, polling: 500 });
  await closeSideBarAndToasts(page);
  await shoot('dashboard-curves');
  await dashboard.locator('#tab-images').click({ timeout: UI_TIMEOUT_MS });
  await dashboard.waitForFunction(gridDrawn, 'reconstructions', { timeout: UI_TIMEOUT_MS, polling: 500 });
  await shoot('dashboard-images');

  await runCommand(page, 'Latent Lab: Focus on Runs View');
  await page.locator('.part.sidebar .monaco-list-row', { hasText: runId }).click({ timeout: UI_TIMEOUT_MS });
  const inspector: Frame = await webviewFrame(page, '.inspector table.kv[aria-label="Architecture"]', 'the checkpoint inspector');
  await inspector.locator('td[data-key="Test NLL"]', { hasText: / nats/ }).waitFor({ timeout: UI_TIMEOUT_MS });
  await closeSideBarAndToasts(page);
  await shoot('checkpoint-inspector');
});
