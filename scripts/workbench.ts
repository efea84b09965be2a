// Driving VS Code's workbench (code-server) from Playwright, as a user would:
// commands from the palette, quick picks, webview frames and what is drawn in
// them. Shared by the end-to-end test and the README screenshots.
import type { Frame, Page } from 'playwright-core';

/** Longest wait on any one UI state. */
export const UI_TIMEOUT_MS = 60_000;

/** Matches an element whose whole text is `text` (quick pick labels hold highlight spans). */
export function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export const quickPickTitled = (page: Page, title: string) => page.locator('.quick-input-widget .quick-input-title', { hasText: exactly(title) });

/** How long the palette is given to list a command before it is opened again. */
const PALETTE_RETRY_MS = 5_000;

/** F1, the command's title, Enter: as a user runs a command. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Enter only once the command is the one highlighted, or a neighbour would run.
  const command = page.locator('.quick-input-list .monaco-list-row.focused .label-name', { hasText: exactly(title) });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  // The palette lists what was registered when it opened: right after the window loads an extension's
  // commands may be missing from it, so it is opened again until they are there.
  for (;;) {
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const listed = await command.waitFor({ timeout: PALETTE_RETRY_MS }).then(() => true, () => false);
    if (listed) break;
    if (Date.now() > deadline) throw new Error(`the command palette does not list "${title}" after ${UI_TIMEOUT_MS / 1000} s`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
}

/** Answers the quick pick titled `title` with the item labelled `label`. */
export async function pick(page: Page, title: string, label: string): Promise<void> {
  await quickPickTitled(page, title).waitFor({ timeout: UI_TIMEOUT_MS });
  await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exactly(label) }) }).click({ timeout: UI_TIMEOUT_MS });
}

/** Polls `probe` until it gives a value: for states no single locator can wait on. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A webview's document (outer iframe.webview.ready, inner #active-frame): the first frame holding `selector`. */
export async function webviewFrame(page: Page, selector: string, what: string): Promise<Frame> {
  await page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  return until(`a webview frame holding ${what} (${selector})`, UI_TIMEOUT_MS, async () => {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    return undefined;
  });
}

// What the predicates below touch in the webview, typed here because this
// project's Node-side type checking has no DOM library.
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface WebviewWindow {
  document: { querySelector(selector: string): Canvas | null; querySelectorAll(selector: string): ArrayLike<Canvas> };
  /** Chart.js, which the dashboard exposes for tests. */
  Chart: { getChart(canvas: Canvas): { data: { datasets: { data: unknown[] }[] } } | undefined };
}

// Functions, not strings: the webview's CSP forbids eval, and Playwright
// evaluates string predicates with it.
/** True once some series of the chart drawn on canvas[data-chart=name] has `min` points. */
export function chartHasPoints({ name, min }: { name: string; min: number }): boolean {
  const w = globalThis as unknown as WebviewWindow;
  const canvas = w.document.querySelector(`canvas[data-chart="${name}"]`);
  const chart = canvas && w.Chart.getChart(canvas);
  return chart ? chart.data.datasets.some((d) => d.data.length >= min) : false;
}

/** True once the image grid holds at least two rows (data above reconstruction) with pixels that are not all blank. */
export function gridDrawn(grid: string): boolean {
  const rows = Array.from((globalThis as unknown as WebviewWindow).document.querySelectorAll(`[data-grid="${grid}"] canvas`));
  return rows.length >= 2 && rows.every((c) => {
    const pixels = c.width > 0 ? c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data : undefined;
    return pixels !== undefined && Array.from(pixels).some((v, i) => i % 4 !== 3 && v > 0);
  });
}

