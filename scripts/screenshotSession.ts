// What the README's screenshot scripts share: a fresh code-server with the
// packaged extension, an example workspace holding a copy of one finished run,
// a Chromium page on the workbench at 1440x900, and the pictures saved to
// docs/images/ (with one of the workbench in test-artifacts/ when a step fails).
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import {
  checkoutBackend, ensureCodeServer, installExtension, packageExtension, prepareWorkspace, root, startCodeServer, writeUserSettings,
} from './codeServer.ts';
import { runCommand, UI_TIMEOUT_MS } from './workbench.ts';

export interface ScreenshotSession {
  page: Page;
  /** The workspace's runs folder. */
  runs: string;
  /** The copied run's id (run.json), as the runs view lists it. */
  runId: string;
  /** Saves the page as docs/images/<name>.png. */
  shoot(name: string): Promise<void>;
}

/** The run folder named on the command line, or the usage and exit. */
export function runDirArgument(usage: string): string {
  const dir = process.argv[2];
  if (!dir) {
    console.error(usage);
    process.exit(2);
  }
  return resolve(dir);
}

/** Runs `steps` in a session named `name` (its state under .vscode-test/<name>), with `settings` beside the usual ones. */
export async function withScreenshotSession(name: string, runDir: string, settings: Record<string, unknown>,
  steps: (s: ScreenshotSession) => Promise<void>): Promise<void> {
  const state = join(root, '.vscode-test', name);
  const userDataDir = join(state, 'user-data');
  const extensionsDir = join(state, 'extensions');
  const workspace = join(state, 'workspace');
  const runs = join(workspace, '.latent-lab', 'runs');
  const runId = recordedRunId(runDir);
  rmSync(state, { recursive: true, force: true });
  const entry = ensureCodeServer();
  installExtension(entry, packageExtension(), extensionsDir, userDataDir);
  writeUserSettings(userDataDir, {
    'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true, 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'chat.commandCenter.enabled': false, 'git.openRepositoryInParentFolders': 'never', ...checkoutBackend(), ...settings,
  });
  prepareWorkspace(workspace);
  mkdirSync(runs, { recursive: true });
  cpSync(runDir, join(runs, basename(runDir)), { recursive: true });

  const server = await startCodeServer({ entry, userDataDir, extensionsDir, folder: workspace, logFile: join(state, 'code-server.log') });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] }).catch(async (err) => {
    await server.stop();
    throw err;
  });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  try {
    await page.goto(server.url);
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="mnist"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await steps({ page, runs, runId, shoot: (file) => shoot(page, file) });
  } catch (err) {
    const failed = join(root, 'test-artifacts', `${name}-FAILED.png`);
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: failed }).then(() => console.error(`[screenshots] the workbench when it failed: ${failed}`), () => undefined);
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

function recordedRunId(runDir: string): string {
  const file = join(runDir, 'run.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { runId: string }).runId;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}; name a finished run folder`);
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = join(root, 'docs', 'images', `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`[screenshots] ${file}`);
}

export async function closeToasts(page: Page): Promise<void> {
  for (const toast of await page.locator('.notification-toast .codicon-notifications-clear').all()) await toast.click().catch(() => undefined);
}

/** More room for the webview, and no notification over it. */
export async function closeSideBarAndToasts(page: Page): Promise<void> {
  await closeToasts(page);
  if (await page.locator('.part.sidebar').isVisible()) {
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}
