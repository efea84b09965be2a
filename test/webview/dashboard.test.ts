// The dashboard in headless Chromium: handshake, drawing a recorded run,
// ignoring malformed messages and envelopes, the messages its controls post,
// CSP, and screenshots in the three kinds of theme (test-artifacts/webview/).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FromWebview } from '../../src/shared/protocol';
import { gridCanvasSize } from '../../src/webview/common/images';
import {
  BOUND_VS_K, EPOCHS, LATENT_DIMS, NLL_EPOCHS, PROGRESS_EVENTS, RUN_ID, TILE, TRAVERSAL_DIMS, TRAVERSAL_STEPS,
  eventMessages, malformedMessages, runEvents,
} from './fixtures';
import {
  artifacts, buildWebviews, ensureChromium, launchChromium, openWebview, startServer, type AssetServer, type WebviewPage,
} from './browser';
import { themes } from './themes';

interface ChartSummary { type: string; points: number[]; labels: string[]; xType: string; yType: string }

/** Point counts and axes of the chart on canvas[data-chart=name], read through Chart.getChart. */
function chartSummary(d: WebviewPage, name: string): Promise<ChartSummary | null> {
  return d.page.evaluate((n) => {
    const canvas = document.querySelector(`canvas[data-chart="${n}"]`);
    type C = {
      config: { type: string };
      data: { datasets: { data: unknown[]; label?: string }[] };
      options: { scales: Record<string, { type: string }> };
    };
    const chart = (window as unknown as { Chart: { getChart(c: Element | null): C | undefined } }).Chart.getChart(canvas);
    if (!chart) return null;
    return {
      type: chart.config.type,
      points: chart.data.datasets.map((ds) => ds.data.length),
      labels: chart.data.datasets.map((ds) => ds.label ?? ''),
      xType: chart.options.scales.x.type,
      yType: chart.options.scales.y.type,
    };
  }, name);
}

/** What a malformed message must not change: the markup, and every chart's point counts. */
async function fingerprint(d: WebviewPage): Promise<string> {
  const charts = await Promise.all(['train-bound', 'held-out', 'active-units-1', 'bound-vs-k'].map((n) => chartSummary(d, n)));
  const html = await d.page.evaluate(() => document.getElementById('app')!.innerHTML);
  return JSON.stringify({ charts, html });
}

const everything = runEvents();
const beforeEnd = everything.slice(0, -1);

describe('dashboard webview in Chromium', { timeout: 60_000 }, () => {
  let server: AssetServer | undefined;
  let browser: Browser | undefined;
  let opened: WebviewPage[] = [];

  const open = async (theme = themes.dark, initialState?: unknown): Promise<WebviewPage> => {
    const d = await openWebview(browser!, server!.origin, 'dashboard', { theme, initialState });
    opened.push(d);
    return d;
  };

  /** Every test ends with this: whatever it did, the page threw nothing and broke no CSP rule. */
  const assertClean = async (d: WebviewPage): Promise<void> => {
    assert.deepEqual(d.pageErrors, [], 'page errors');
    assert.deepEqual(await d.cspViolations(), [], 'CSP violations');
    assert.deepEqual(d.console.filter((m) => m.type === 'error'), [], 'console errors');
  };

  before(async () => {
    ensureChromium();
    mkdirSync(artifacts, { recursive: true });
    await buildWebviews('dashboard');
    server = await startServer();
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(opened.map((d) => d.page.close()));
    opened = [];
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('posts ready first and shows the empty state until a run arrives', async () => {
    const d = await open();
    assert.deepEqual(await d.envelopes(), [{ id: 0, body: { type: 'ready' } }]);
    await d.send({ type: 'snapshot', run: null });
    assert.equal(await d.page.locator('.empty-state').isVisible(), true);
    assert.match(await d.page.locator('.empty-state h1').innerText(), /Waiting for a training run/);
    assert.equal(await d.page.locator('vscode-panels').isVisible(), false);
    await d.page.screenshot({ path: join(artifacts, 'dark-empty.png') });
    await assertClean(d);
  });

  it('draws every event of a live run', async () => {
    const d = await open();
    await d.send(...eventMessages(beforeEnd));
    assert.equal(await d.page.locator('.empty-state').isVisible(), false);

    const train = await chartSummary(d, 'train-bound');
    assert.deepEqual(train?.points, [PROGRESS_EVENTS, PROGRESS_EVENTS], 'raw and smoothed train curves');
    const heldOut = await chartSummary(d, 'held-out');
    assert.deepEqual(heldOut?.points, [EPOCHS, EPOCHS, NLL_EPOCHS.length], 'ELBO, L_K and -L_5000 per epoch');
    assert.deepEqual(heldOut?.labels, ['ELBO', 'L₅ (IWAE)', 'L₅₀₀₀ estimate']);
    assert.deepEqual((await chartSummary(d, 'active-units-1'))?.points, [LATENT_DIMS]);
    assert.equal((await chartSummary(d, 'active-units-1'))?.yType, 'logarithmic');
    const boundVsK = await chartSummary(d, 'bound-vs-k');
    assert.deepEqual(boundVsK?.points, [2, 2, 2, 48, BOUND_VS_K.ks.length, 1, 1], 'the interval\'s edges, L_inf, the fit, the ladder, J_1 and J_2');
    assert.equal(boundVsK?.xType, 'logarithmic');
    const { histogram } = BOUND_VS_K.analysis.weights.paretoK;
    assert.deepEqual((await chartSummary(d, 'pareto-k-histogram'))?.points, [histogram!.counts.length + 1]);
    assert.deepEqual((await chartSummary(d, 'train-ess'))?.points, [PROGRESS_EVENTS], 'ESS / K beside the training bound');

    const header = await d.page.locator('.run-header').innerText();
    assert.match(header, new RegExp(RUN_ID));
    assert.match(header, /IWAE · K = 5 · DReG/);
    assert.match(header, /step 6,000 \/ 6,000/);
    assert.match(header, /images\/s/);
    assert.match(header, /ESS\/K 0\.\d\d/);
    assert.match(await d.page.locator('.status').innerText(), /running/i);
    assert.equal(await d.page.locator('vscode-button.stop').isVisible(), true);

    await d.send(...eventMessages(everything.slice(-1)));
    assert.match(await d.page.locator('.status').innerText(), /finished/i);
    assert.equal(await d.page.locator('vscode-button.stop').isVisible(), false);
    await assertClean(d);
  });

  it('draws the image grids tile by tile', async () => {
    const d = await open();
    await d.send(...eventMessages(everything));
    const grids = await d.page.evaluate(() => [...document.querySelectorAll('[data-grid]')].map((g) => ({
      name: g.getAttribute('data-grid'),
      labels: [...g.querySelectorAll('.row-label')].map((l) => l.textContent),
      canvases: [...g.querySelectorAll('canvas')].map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let bright = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] > 128) bright++;
        return { width: c.width, height: c.height, bright };
      }),
    })));
    const byName = Object.fromEntries(grids.map((g) => [g.name, g]));
    const row = (cols: number): { width: number; height: number } => gridCanvasSize({ rows: 1, cols, height: TILE, width: TILE });
    assert.equal(byName.reconstructions.canvases.length, 2);
    assert.deepEqual(byName.reconstructions.labels, ['data', 'recon']);
    assert.equal(byName.samples.canvases.length, 1);
    assert.equal(byName.traversals.canvases.length, TRAVERSAL_DIMS.length);
    assert.deepEqual(byName.traversals.labels, TRAVERSAL_DIMS.map((dim) => `z${dim}`));
    for (const g of [byName.reconstructions, byName.samples]) {
      for (const c of g.canvases) {
        assert.deepEqual({ width: c.width, height: c.height }, row(8));
        assert.ok(c.bright > 500, `${g.name}: digit strokes drawn (${c.bright} bright pixels)`);
      }
    }
    for (const c of byName.traversals.canvases) {
      assert.deepEqual({ width: c.width, height: c.height }, row(TRAVERSAL_STEPS));
      assert.ok(c.bright > 500);
    }
    await assertClean(d);
  });

  it('ignores malformed messages without changing anything', async () => {
    const d = await open();
    await d.send(...eventMessages(everything));
    const before = await fingerprint(d);
    const warningsBefore = d.console.filter((m) => m.type === 'warning').length;
    const bad = malformedMessages();
    for (const { message } of bad) await d.send(message);
    assert.equal(await fingerprint(d), before);
    const warnings = d.console.filter((m) => m.type === 'warning').slice(warningsBefore);
    assert.equal(warnings.length, bad.length, 'one warning per malformed message');
    assert.ok(warnings.every((w) => w.text.includes('malformed message')));
    assert.deepEqual(await d.posted(), [{ type: 'ready' }]);
    await assertClean(d);
  });

  it('ignores what does not come in a well-formed envelope, and answers to nothing it asked', async () => {
    const d = await open();
    await d.send(...eventMessages(everything));
    const before = await fingerprint(d);
    const warningsBefore = d.console.filter((m) => m.type === 'warning').length;
    const snapshot = { type: 'snapshot', run: null };
    const bad = [
      snapshot, { body: snapshot }, { id: -1, body: snapshot }, { id: 'x', body: snapshot }, { id: 1, body: snapshot, extra: 1 },
      { id: 2, error: 'no request named' }, { id: 3, replyTo: 0, body: snapshot, error: 'both' },
      { id: 4, replyTo: 0, body: snapshot },
    ];
    await d.sendRaw(...bad);
    assert.equal(await fingerprint(d), before, 'the run is still drawn');
    const warnings = d.console.filter((m) => m.type === 'warning').slice(warningsBefore).map((w) => w.text);
    assert.equal(warnings.length, bad.length, 'one warning each');
    assert.ok(warnings.slice(0, -1).every((w) => w.startsWith('[latent-lab] ignoring a malformed message from the extension host')), warnings.join('\n'));
    assert.match(warnings.at(-1)!, /ignoring an answer from the extension host to message 0, which is no request waiting for one/);
    await assertClean(d);
  });

  it('replaces everything on a snapshot', async () => {
    const d = await open();
    await d.send(...eventMessages(everything));
    const firstEpoch = everything.findIndex((e) => e.type === 'epoch');
    await d.send({ type: 'snapshot', run: { runId: 'other-run', status: 'stopped', events: everything.slice(0, firstEpoch + 1) } });
    assert.deepEqual((await chartSummary(d, 'train-bound'))?.points, [PROGRESS_EVENTS / EPOCHS, PROGRESS_EVENTS / EPOCHS]);
    assert.deepEqual((await chartSummary(d, 'held-out'))?.points, [1, 1, 0]);
    assert.match(await d.page.locator('.run-id').innerText(), /other-run/);
    assert.match(await d.page.locator('.status').innerText(), /stopped/i);
    await d.send({ type: 'snapshot', run: null });
    assert.equal(await d.page.locator('.empty-state').isVisible(), true);
    await assertClean(d);
  });

  it('posts stopTraining, refreshImages, traversal and exportPng from its controls', async () => {
    const d = await open();
    await d.send(...eventMessages(beforeEnd));
    const posted = async (): Promise<unknown[]> => (await d.posted()).slice(1);

    await d.page.locator('vscode-button.stop').click();
    await d.settle();
    assert.deepEqual(await posted(), [{ type: 'stopTraining' }]);
    assert.equal(await d.page.locator('vscode-button.stop').getAttribute('disabled'), '', 'no second stop while stopping');

    await d.page.locator('canvas[data-chart="train-bound"]').scrollIntoViewIfNeeded();
    await d.page.locator('.chart-card', { has: d.page.locator('canvas[data-chart="train-bound"]') }).locator('vscode-button.export-png').click();
    const exported = (await posted())[1] as { type: string; name: string; dataUrl: string };
    assert.equal(exported.type, 'exportPng');
    assert.equal(exported.name, `${RUN_ID}-train-bound`);
    assert.ok(FromWebview.safeParse(exported).success);
    assert.ok(exported.dataUrl.length > 5000, 'a real picture');

    await d.page.locator('#tab-images').click();
    await d.settle();
    await d.page.locator('vscode-button.refresh-images').click();
    assert.deepEqual((await posted())[2], { type: 'refreshImages' });

    await d.page.locator('vscode-button.apply-traversal').click();
    assert.deepEqual((await posted())[3], { type: 'traversal', dims: [], range: 3 }, 'most active units by default');

    await d.page.locator('.traversal-controls vscode-checkbox').click();
    await d.page.locator('.traversal-controls vscode-text-field input').fill('0, x');
    await d.page.locator('vscode-button.apply-traversal').click();
    assert.equal((await posted()).length, 4, 'nothing sent for bad dims');
    assert.match(await d.page.locator('.field-error').innerText(), /"x" is not a dimension/);

    await d.page.locator('.traversal-controls vscode-text-field input').fill('0, 3, 7-9, 3');
    await d.page.locator('.traversal-controls vscode-dropdown').click();
    await d.page.locator('.traversal-controls vscode-option[value="2"]').click();
    await d.page.locator('vscode-button.apply-traversal').click();
    const traversal = (await posted())[4];
    assert.deepEqual(traversal, { type: 'traversal', dims: [0, 3, 7, 8, 9], range: 2 });
    assert.ok(FromWebview.safeParse(traversal).success);
    assert.deepEqual(await d.page.locator('.field-error').innerText(), '');

    for (const message of await d.posted()) assert.ok(FromWebview.safeParse(message).success, JSON.stringify(message).slice(0, 80));
    const saved = await d.savedState() as Record<string, unknown>;
    assert.deepEqual({ auto: saved.traversalAuto, dims: saved.traversalDims, range: saved.traversalRange, tab: saved.tab },
      { auto: false, dims: [0, 3, 7, 8, 9], range: 2, tab: 'images' });
    await assertClean(d);
  });

  it('zooms, keeps the newest point in view while live, and resets', async () => {
    const d = await open();
    await d.send(...eventMessages(beforeEnd.filter((e) => e.type !== 'progress' || e.step <= 3000)));
    const canvas = d.page.locator('canvas[data-chart="train-bound"]');
    const reset = d.page.locator('.chart-card', { has: canvas }).locator('vscode-button.reset-zoom');
    const state = (): Promise<{ min: number; max: number; zoomed: boolean; area: { left: number; right: number; top: number; bottom: number } }> => d.page.evaluate(() => {
      type Z = { scales: { x: { min: number; max: number } }; chartArea: { left: number; right: number; top: number; bottom: number }; isZoomedOrPanned(): boolean };
      const c = (window as unknown as { Chart: { getChart(e: Element | null): Z } }).Chart.getChart(document.querySelector('canvas[data-chart="train-bound"]'));
      return { min: c.scales.x.min, max: c.scales.x.max, zoomed: c.isZoomedOrPanned(), area: { ...c.chartArea } };
    });
    const box = (await canvas.boundingBox())!;
    const { area } = await state();
    assert.equal(await reset.getAttribute('disabled'), '', 'nothing to reset yet');

    // Drag a box over the second half of the steps, out past the right edge.
    const y = box.y + (area.top + area.bottom) / 2;
    await d.page.mouse.move(box.x + area.left + (area.right - area.left) * 0.5, y - 40);
    await d.page.mouse.down();
    await d.page.mouse.move(box.x + area.right + 20, y + 40, { steps: 5 });
    await d.page.mouse.up();
    await d.settle();
    const zoomed = await state();
    assert.ok(zoomed.zoomed, 'drag zooms');
    assert.ok(zoomed.max >= 3000 && zoomed.min > 1000, `window ${zoomed.min}..${zoomed.max} ends at the newest step`);
    assert.equal(await reset.getAttribute('disabled'), null, 'Reset zoom enabled once zoomed');

    await d.send(...eventMessages(beforeEnd.filter((e) => e.type === 'progress' && e.step > 3000 && e.step <= 3600)));
    const followed = await state();
    assert.ok(followed.max >= 3600, `window slid to ${followed.min}..${followed.max}`);
    assert.ok(Math.abs((followed.max - followed.min) - (zoomed.max - zoomed.min)) < 1e-6, 'same width');

    await reset.click();
    await d.settle();
    assert.equal((await state()).zoomed, false);
    assert.equal(await reset.getAttribute('disabled'), '');

    await d.page.mouse.move(box.x + (area.left + area.right) / 2, y);
    await d.page.mouse.wheel(0, -300);
    await d.settle();
    assert.equal((await state()).zoomed, false, 'a plain wheel scrolls the page');
    await d.page.keyboard.down('Control');
    await d.page.mouse.wheel(0, -300);
    await d.page.keyboard.up('Control');
    await d.settle();
    assert.equal((await state()).zoomed, true, 'Ctrl+wheel zooms');
    await assertClean(d);
  });

  it('remembers view settings through setState and restores them', async () => {
    const d = await open();
    await d.send(...eventMessages(everything));
    await d.page.locator('.curves input.slider').fill('0.9');
    await d.page.locator('.curves vscode-dropdown[aria-label="Y axis"]').click();
    await d.page.locator('.curves vscode-option[value="nllLog"]').click();
    await d.settle();
    const saved = await d.savedState() as Record<string, unknown>;
    assert.equal(saved.smoothing, 0.9);
    assert.equal(saved.yAxis, 'nllLog');
    assert.equal((await chartSummary(d, 'train-bound'))?.yType, 'logarithmic');

    const again = await open(themes.dark, { ...saved, xAxis: 'epoch', tab: 'units' });
    await again.send({ type: 'snapshot', run: { runId: RUN_ID, status: 'finished', events: everything } });
    assert.equal(await again.page.locator('.curves input.slider').inputValue(), '0.9');
    const train = await chartSummary(again, 'train-bound');
    assert.equal(train?.yType, 'logarithmic');
    assert.deepEqual(train?.labels, ['−bound, raw', '−bound, smoothed']);
    assert.equal(await again.page.locator('vscode-panels').getAttribute('activeid'), 'tab-units');
    assert.equal(await again.page.locator('canvas[data-chart="active-units-1"]').isVisible(), true);
    await again.page.locator('#tab-curves').click();
    await again.settle();
    assert.equal((await chartSummary(again, 'held-out'))?.yType, 'logarithmic');
    await again.page.screenshot({ path: join(artifacts, 'dark-curves-nll-log-epoch.png') });
    await assertClean(d);
    await assertClean(again);
  });

  it('follows the theme and looks right in light, dark and high contrast', async () => {
    const d = await open(themes.light);
    await d.send(...eventMessages(beforeEnd));
    /** What the page draws with: body colours, and the train chart's tick and line colours. */
    const colours = (): Promise<{ background: string; ticks: string; line: string }> => d.page.evaluate(() => {
      type C = { options: { scales: { x: { ticks: { color: string } } } }; data: { datasets: { borderColor: string }[] } };
      const c = (window as unknown as { Chart: { getChart(e: Element | null): C } }).Chart.getChart(document.querySelector('canvas[data-chart="train-bound"]'));
      return { background: getComputedStyle(document.body).backgroundColor, ticks: c.options.scales.x.ticks.color, line: c.data.datasets[1].borderColor };
    });
    const rgb = (hex: string): string => {
      const n = (i: number): number => Number.parseInt(hex.slice(i, i + 2), 16);
      return `rgb(${n(1)}, ${n(3)}, ${n(5)})`;
    };
    for (const [name, theme] of Object.entries(themes)) {
      await d.applyTheme(theme);
      assert.deepEqual(await colours(), {
        background: rgb(theme.vars['editor-background']), ticks: rgb(theme.vars.descriptionForeground), line: rgb(theme.vars['charts-blue']),
      }, `${name}: colours re-read from the theme`);
      for (const tab of ['curves', 'images', 'units']) {
        await d.page.locator(`#tab-${tab}`).click();
        await d.settle();
        await d.page.screenshot({ path: join(artifacts, `${name}-${tab}.png`), fullPage: true });
      }
      await d.page.locator('#tab-curves').click();
    }
    await assertClean(d);
  });
});
