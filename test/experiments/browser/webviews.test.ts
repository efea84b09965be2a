// The experiment dashboard and the checkpoint inspector in headless Chromium:
// a hundred runs sorted, selected and compared; a real engine checkpoint shown
// with its parameter count and metrics; foreign and corrupt files shown as
// errors. Screenshots in test-artifacts/experiments/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { encodeSafetensors } from '../../../src/engine/checkpoint/safetensors';
import { readRunRecord, runPaths } from '../../../src/engine/train/runDir';
import { summarizeCheckpointFile } from '../../../src/extension/inspector/checkpointSummary';
import { runEvaluation } from '../../../src/extension/evaluation/evaluationProcess';
import { pngFromDataUrl } from '../../../src/extension/webview/pngExport';
import { ExperimentsFromWebview, type RunRow } from '../../../src/shared/experimentsProtocol';
import { InspectorFromWebview } from '../../../src/shared/inspectorProtocol';
import type { Envelope } from '../../../src/shared/webviewChannel';
import {
  buildWebviews, ensureChromium, launchChromium, openWebview, root, startServer, type AssetServer, type Bundle, type OpenOptions, type WebviewPage,
} from '../../webview/browser';
import { themes } from '../../webview/themes';
import { tempDir } from '../runFolders';
import { syntheticRuns } from '../syntheticRuns';
import { tinyRun } from '../tinyRun';
import { syntheticEvaluation, syntheticSnrStudy } from '../../helpers/evaluationResult';
import { syntheticStudy } from '../../helpers/studyManifest';

const artifacts = join(root, 'test-artifacts', 'experiments');

interface ChartLike { data: { datasets: { label: string; data: unknown[]; errorBars?: number[] }[] } }

/** Each dataset of the chart on canvas[data-chart=name]: its label, how many points, how many error bars. */
function chartData(p: WebviewPage, name: string): Promise<{ label: string; points: number; errorBars: number }[] | undefined> {
  return p.page.evaluate((chartName) => {
    const chart = (window as unknown as { Chart: { getChart(c: Element | null): ChartLike | undefined } }).Chart
      .getChart(document.querySelector(`canvas[data-chart="${chartName}"]`));
    return chart?.data.datasets.map((d) => ({ label: d.label, points: d.data.length, errorBars: (d.errorBars ?? []).filter((e) => e > 0).length }));
  }, name);
}
const worker = { workerPath: join(root, 'src/engine/worker/evaluationWorker.ts'), execArgv: ['--import', 'tsx'] };

async function noErrors(p: WebviewPage): Promise<void> {
  assert.deepEqual(p.pageErrors, []);
  assert.deepEqual(await p.cspViolations(), []);
}

/** The page's compare requests, oldest first. */
async function compareRequests(p: WebviewPage): Promise<(Envelope & { body: { ids: string[] } })[]> {
  return (await p.envelopes()).filter((e) => (e.body as { type: string }).type === 'compare') as (Envelope & { body: { ids: string[] } })[];
}

/** Labels of the comparison chart's datasets. */
function comparedLabels(p: WebviewPage): Promise<string[] | undefined> {
  return p.page.evaluate(() => {
    const chart = (window as unknown as { Chart: { getChart(c: Element | null): ChartLike | undefined } }).Chart
      .getChart(document.querySelector('canvas[data-chart="comparison"]'));
    return chart?.data.datasets.map((d) => d.label);
  });
}

describe('experiment dashboard and inspector in Chromium', { timeout: 120_000 }, () => {
  let server: AssetServer;
  let browser: Browser;

  before(async () => {
    ensureChromium();
    mkdirSync(artifacts, { recursive: true });
    await buildWebviews('experiments', 'inspector');
    server = await startServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const open = (bundle: Bundle, options: OpenOptions): Promise<WebviewPage> => openWebview(browser, server.origin, bundle, options);

  it('lists 100 runs, sorts them, and compares the ticked ones', async () => {
    const p = await open('experiments', { theme: themes.dark, viewport: { width: 1280, height: 1000 } });
    assert.deepEqual((await p.posted())[0], { type: 'ready' });
    const { rows, curves } = syntheticRuns(100);
    await p.send({ type: 'runs', runsFolder: '/work/ws/.latent-lab/runs', runs: rows });
    assert.equal(await p.page.locator('.runs-table tbody tr').count(), 100);
    // The first list preselects the three newest runs with curves and asks for them.
    const [request] = await compareRequests(p);
    const compare = request.body;
    assert.equal(compare.ids.length, 3);
    await p.answer(request.id, { type: 'curves', curves: curves.filter((c) => compare.ids.includes(c.id)) });
    assert.equal((await comparedLabels(p))?.length, 6, 'held-out and train curve per run');

    // Sorted by test NLL, best first, by default; a click on the header reverses it; unknowns stay last.
    const nll = new Map(rows.map((r) => [r.id, r.testNll]));
    const shownNll = async (): Promise<(number | undefined)[]> =>
      (await p.page.locator('.runs-table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).map((id) => nll.get(id!));
    for (const direction of ['ascending', 'descending'] as const) {
      if (direction === 'descending') {
        await p.page.click('th[data-column="nll"]');
        await p.settle();
      }
      assert.equal(await p.page.getAttribute('th[data-column="nll"]', 'aria-sort'), direction);
      const values = await shownNll();
      const known = values.filter((v): v is number => v !== undefined);
      assert.deepEqual(known, [...known].sort((a, b) => (direction === 'ascending' ? a - b : b - a)));
      assert.ok(values.slice(known.length).every((v) => v === undefined), 'runs without a test NLL sort last');
    }
    await p.page.click('th[data-column="k"]');
    await p.settle();
    assert.equal(await p.page.getAttribute('th[data-column="k"]', 'aria-sort'), 'ascending');

    // Tick one more run: the page asks for four.
    const extra = rows.find((r) => !compare.ids.includes(r.id))!;
    await p.page.check(`tr[data-id="${extra.id}"] input[type=checkbox]`);
    await p.settle();
    const again = (await compareRequests(p)).at(-1)!;
    assert.deepEqual(again.body.ids, [...compare.ids, extra.id]);
    await p.answer(again.id, { type: 'curves', curves: curves.filter((c) => again.body.ids.includes(c.id)) });
    assert.equal((await comparedLabels(p))?.length, 8);

    // The comparison exports through the same callback as every chart.
    await p.page.click('.chart-card:has(canvas[data-chart="comparison"]) .export-png');
    const picture = (await p.posted()).at(-1) as { type: string; name: string; dataUrl: string };
    assert.deepEqual([picture.type, picture.name], ['exportPng', 'latent-lab-runs-comparison']);
    assert.ok(pngFromDataUrl(picture.dataUrl).length > 1000);

    // Row actions and every posted message keep to the protocol.
    await p.page.hover(`tr[data-id="${extra.id}"]`);
    await p.page.click(`tr[data-id="${extra.id}"] button[data-action="delete"]`);
    const posted = await p.posted();
    assert.deepEqual(posted.at(-1), { type: 'runAction', action: 'delete', id: extra.id });
    for (const m of posted) assert.ok(ExperimentsFromWebview.safeParse(m).success, JSON.stringify(m));

    // A malformed message changes nothing, nor do curves that come unasked.
    const html = await p.page.evaluate(() => document.getElementById('app')!.innerHTML);
    await p.send({ type: 'runs', runs: 'nope' }, { type: 'curves', curves: [] }, { type: 'curves', curves: [{ id: '../x', epochs: [1], trainBound: [], testIwae: [], testElbo: [] }] });
    assert.equal(await p.page.evaluate(() => document.getElementById('app')!.innerHTML), html);
    await p.page.screenshot({ path: join(artifacts, 'experiments-100-runs-dark.png'), fullPage: false });
    await noErrors(p);
    await p.page.close();
  });

  it('draws the answer to its latest question only, whatever order answers come in', async () => {
    const p = await open('experiments', { theme: themes.dark });
    const { rows, curves } = syntheticRuns(10);
    const answerFor = (ids: string[]) => ({ type: 'curves', curves: curves.filter((c) => ids.includes(c.id)) });
    await p.send({ type: 'runs', runsFolder: '/runs', runs: rows });
    // Compare With… preselects two runs right after the first list.
    const chosen = [rows[5].id, rows[6].id];
    await p.send({ type: 'select', ids: chosen });
    const [first, second] = await compareRequests(p);
    assert.deepEqual(second.body.ids, chosen);
    assert.notDeepEqual(first.body.ids, chosen);
    await p.answer(second.id, answerFor(second.body.ids));
    await p.answer(first.id, answerFor(first.body.ids));
    const names = new Map(rows.map((r) => [r.id, r.name]));
    assert.deepEqual(await comparedLabels(p), chosen.flatMap((id) => [names.get(id), `${names.get(id)} (train)`]));
    // A request the host could not answer leaves the chart as it was.
    await p.page.uncheck(`tr[data-id="${chosen[1]}"] input[type=checkbox]`);
    await p.settle();
    const third = (await compareRequests(p)).at(-1)!;
    await p.sendRaw({ id: 99, replyTo: third.id, error: 'run.json is damaged' });
    assert.ok(p.console.some((m) => m.type === 'warning' && m.text.includes('run.json is damaged')));
    await noErrors(p);
    await p.page.close();
  });

  it('shows a K study: its plan and progress, test NLL, the paired gain, active units and the gap against K, its findings and its runs', async () => {
    const p = await open('experiments', { theme: themes.dark, viewport: { width: 1280, height: 1700 } });
    const finished = syntheticStudy('table-1', 'finished');
    const running = syntheticStudy('longer', 'running', [1, 2, 3]);
    const row = (id: string, status: RunRow['status']): RunRow => ({
      id, name: id, tags: [], status, hasCheckpoint: true, objective: { kind: 'iwae', k: 5, m: 1, estimator: 'standard' }, epochs: 2, totalEpochs: 2, testNll: 95.2,
    });
    const runs = [...finished.cells.map((c) => row(c.run, 'finished')), ...running.cells.slice(0, 2).map((c, i) => row(c.run, i === 0 ? 'finished' : 'running'))];
    const studies = [
      { id: 'longer', manifest: running, runIds: running.cells.map((c) => c.run), active: true },
      { id: 'table-1', manifest: finished, runIds: finished.cells.map((c) => c.run), active: false },
    ];
    await p.send({ type: 'runs', runsFolder: '/work/ws/.latent-lab/runs', runs, studies });
    await p.send({ type: 'selectStudy', id: 'table-1' });
    assert.equal(await p.page.locator('#tab-studies').getAttribute('aria-selected'), 'true', 'the study tab is shown');
    assert.match(await p.page.locator('.study-plan').textContent() ?? '', /^VAE, IWAE at K = 1, 5, 50 · 2 epochs · seed 1 · test NLL −L₅₀₀₀$/);
    assert.match(await p.page.locator('.study-progress').textContent() ?? '', /^5 of 5 runs trained · 200 test examples/);
    const nll = (await chartData(p, 'study-nll'))!;
    assert.deepEqual(nll.map((d) => [d.label, d.points, d.errorBars]), [['VAE', 3, 3], ['IWAE', 3, 3]]);
    assert.deepEqual((await chartData(p, 'study-gain'))!.map((d) => [d.label, d.points]), [['IWAE', 2]], 'at K = 5 and 50: at K = 1 one run is both');
    assert.deepEqual((await chartData(p, 'study-units'))!.map((d) => d.points), [3, 3]);
    assert.deepEqual((await chartData(p, 'study-gap'))!.map((d) => d.points), [3, 3]);
    const verdicts = await p.page.locator('.finding .verdict').allTextContents();
    assert.deepEqual(verdicts, finished.results!.findings.map((f) => f.verdict));
    assert.ok(verdicts.includes('not resolved'), 'one seed: the active units are not resolved');
    assert.match((await p.page.locator('.finding-text').first().textContent()) ?? '', /^VAE's test NLL falls from K = 1 to 5: /);
    assert.equal(await p.page.locator('.study-runs tbody tr').count(), 5);
    assert.ok(await p.page.locator('.study-stop').isHidden() && await p.page.locator('.study-resume').isHidden(), 'a finished study has nothing to stop or resume');
    await p.page.screenshot({ path: join(artifacts, 'experiments-k-study-dark.png'), fullPage: true });

    // The running one: progress, no results yet, and Stop.
    await p.page.locator('.study-header vscode-dropdown').evaluate((el) => {
      (el as HTMLElement & { value: string }).value = 'longer';
      el.dispatchEvent(new Event('change'));
    });
    await p.settle();
    assert.match(await p.page.locator('.study-progress').textContent() ?? '', /^1 of 15 runs trained · the findings appear once every run is trained and evaluated/);
    assert.ok(await p.page.locator('.study-results').isHidden());
    await p.page.click('.study-stop');
    await p.page.hover('.study-runs tbody tr:first-child');
    await p.page.click('.study-runs tbody tr:first-child button[data-run]');
    const posted = await p.posted();
    assert.deepEqual(posted.slice(-2), [{ type: 'studyAction', action: 'stop', id: 'longer' }, { type: 'runAction', action: 'openInspector', id: running.cells[0].run }]);
    for (const m of posted) assert.ok(ExperimentsFromWebview.safeParse(m).success, JSON.stringify(m));
    assert.equal((await p.savedState() as { study?: string }).study, 'longer', 'the choice is remembered');
    await noErrors(p);
    await p.page.close();
  });

  it('shows an empty state with no runs, in the light theme', async () => {
    const p = await open('experiments', { theme: themes.light, viewport: { width: 900, height: 500 } });
    await p.send({ type: 'runs', runsFolder: '/work/ws/.latent-lab/runs', runs: [] });
    assert.ok(await p.page.getByText('No runs yet').isVisible());
    await p.page.screenshot({ path: join(artifacts, 'experiments-empty-light.png') });
    await noErrors(p);
    await p.page.close();
  });

  it('renders a real checkpoint: parameter count, metrics, curves and figures', async () => {
    const { runDir } = await tinyRun();
    const file = runPaths(runDir).checkpoint;
    const report = summarizeCheckpointFile(file);
    assert.ok(report.ok);
    const figures = await runEvaluation(worker, { type: 'figures', checkpoint: file });
    const p = await open('inspector', { theme: themes.dark, viewport: { width: 1280, height: 1500 } });
    assert.deepEqual(await p.envelopes(), [{ id: 0, body: { type: 'ready' } }]);
    await p.send({ type: 'summary', summary: report.summary, evalK: 5000 }, { type: 'figures', figures });
    assert.equal(await p.page.locator('td[data-key="Parameters"]').textContent(), '340');
    const record = readRunRecord(runDir)!;
    const nll = await p.page.locator('td[data-key="Test NLL"]').textContent();
    assert.ok(nll?.startsWith(record.final!.testNll.toLocaleString('en-US', { maximumFractionDigits: 4 })), `${nll} vs ${record.final!.testNll}`);
    assert.match((await p.page.locator('td[data-key="Encoder"]').textContent()) ?? '', /16 → 8 → \[2\]/);
    const drawn = await p.page.locator('canvas[data-figure]').evaluateAll((cs) => cs.map((c) => [(c as HTMLCanvasElement).dataset.figure, (c as HTMLCanvasElement).width > 0]));
    assert.deepEqual(drawn, [['reconstructions', true], ['samples', true], ['traversals', true]]);
    assert.ok(await p.page.locator('canvas[data-chart="active-units"]').count());
    await p.page.click('.action-evaluate');
    await p.page.click('.action-csv');
    await p.send({ type: 'evaluation', state: 'running', done: 5, total: 12 });
    assert.ok(await p.page.locator('.evaluation progress').isVisible());
    await p.page.screenshot({ path: join(artifacts, 'inspector-real-checkpoint-dark.png'), fullPage: true });
    // Figures and charts export through the page's one export callback, named after the run.
    await p.page.click('.figure-card:has(canvas[data-figure="reconstructions"]) .export-png');
    await p.page.click('.chart-card:has(canvas[data-chart="curves"]) .export-png');
    const posted = await p.posted();
    assert.deepEqual(posted.slice(1, 3).map((m) => (m as { action?: string }).action), ['evaluate', 'exportCsv']);
    const exported = posted.slice(3) as { type: string; name: string; dataUrl: string }[];
    assert.deepEqual(exported.map((m) => [m.type, m.name]), [['exportPng', 'tiny-reconstructions'], ['exportPng', 'tiny-curves']]);
    for (const m of exported) assert.ok(pngFromDataUrl(m.dataUrl).length > 100, `${m.name} is a PNG`);
    for (const m of posted) assert.ok(InspectorFromWebview.safeParse(m).success);
    await noErrors(p);
    await p.page.close();
  });

  it('shows what the log weights say (bound vs K with the fit, the asymptote, JVI; ESS and k-hat) and the gradient SNR chart', async () => {
    const { runDir } = await tinyRun();
    const report = summarizeCheckpointFile(runPaths(runDir).checkpoint);
    assert.ok(report.ok);
    const p = await open('inspector', { theme: themes.dark, viewport: { width: 1280, height: 2600 } });
    await p.send({ type: 'summary', summary: report.summary, evalK: 5000 });
    // At once, from the run's final evaluation in run.json.
    const ladderOf = (r: { boundVsK: unknown[] }) => r.boundVsK.length;
    assert.equal((await chartData(p, 'bound-vs-k'))?.[4].points, ladderOf(readRunRecord(runDir)!.final!));
    const evaluated = syntheticEvaluation();
    await p.send({ type: 'evaluation', state: 'done', result: evaluated });
    const bound = (await chartData(p, 'bound-vs-k'))!;
    const byLabel = new Map(bound.map((d) => [d.label, d]));
    assert.equal(byLabel.get('L_K (95% error bars)')?.points, 12);
    assert.equal(byLabel.get('L_K (95% error bars)')?.errorBars, 12, 'an error bar per K');
    assert.equal(byLabel.get('fit L∞ − a/K − b/K²')?.points, 48);
    assert.equal(byLabel.get('L∞ (95% interval)')?.points, 2);
    assert.deepEqual([byLabel.get('JVI order 1')?.points, byLabel.get('JVI order 2')?.points], [1, 1]);
    assert.match(await p.page.locator('.chart-card:has(canvas[data-chart="bound-vs-k"]) .card-note').textContent() ?? '', /L∞ = −86\.90 ± 0\.21 .*0\.002 ± 0\.000 nats above L₅₀₀₀ \(paired\), fitted on K ≥ 50.*JVI at K = 100/);
    // A fit short of Var(w)/E[w]^2 is a trend in grey, and the note says it is no estimate.
    await p.send({ type: 'evaluation', state: 'done', result: { ...evaluated, fit: { ...evaluated.fit!, holds: false, ks: [500, 1000, 2000, 5000] } } });
    const trend = new Map((await chartData(p, 'bound-vs-k'))!.map((d) => [d.label, d]));
    assert.equal(trend.get('a/K fit outside its range')?.points, 48);
    assert.equal(trend.get('trend, not an estimate of log p(x)')?.points, 2);
    assert.ok(!trend.has('L∞ (95% interval)'));
    const trendNote = await p.page.locator('.chart-card:has(canvas[data-chart="bound-vs-k"]) .card-note').textContent() ?? '';
    assert.match(trendNote, /^No estimate of L∞: fewer than four K of the ladder reach Var\(w\)\/E\[w\]² = 120\.0.*the grey line extrapolates the trend of K ≥ 500 to −86\.90, which is not an estimate of log p\(x\)\. k̂ > 0\.7 for \d+ examples/);
    await p.page.locator('.chart-card:has(canvas[data-chart="bound-vs-k"])').screenshot({ path: join(artifacts, 'inspector-bound-trend-dark.png') });
    await p.send({ type: 'evaluation', state: 'done', result: evaluated });
    assert.ok(new Map((await chartData(p, 'bound-vs-k'))!.map((d) => [d.label, d])).has('L∞ (95% interval)'), 'a fit that holds again is drawn as the estimate');
    assert.match(await p.page.locator('.evaluation-result').textContent() ?? '', /\d+ of 1000 with k̂ > 0\.7/);
    const kHat = (await chartData(p, 'pareto-k-histogram'))![0];
    assert.equal(kHat.points, evaluated.weights.paretoK.histogram!.counts.length + 1, 'a step per bin, closed at the right edge');
    assert.equal((await chartData(p, 'ess-histogram'))![0].points, evaluated.weights.essFraction.histogram.counts.length + 1);
    assert.match(await p.page.locator('.chart-card:has(canvas[data-chart="pareto-k-histogram"]) .card-subtitle').textContent() ?? '',
      new RegExp(`^${evaluated.weights.paretoK.above07} of 1,000 above 0.7`));

    await p.page.click('.action-gradients');
    assert.deepEqual((await p.posted()).at(-1), { type: 'action', action: 'analyzeGradients' });
    await p.send({ type: 'gradients', state: 'running', done: 30, total: 120 });
    assert.match(await p.page.locator('.gradients-status').textContent() ?? '', /Drawing gradients: 25%/);
    await p.page.click('.action-cancel-gradients');
    assert.deepEqual((await p.posted()).at(-1), { type: 'action', action: 'cancelGradients' });
    await p.send({ type: 'gradients', state: 'done', study: syntheticSnrStudy() });
    const snr = (await chartData(p, 'gradient-snr'))!;
    assert.equal(snr.length, 6, 'a line per network and estimator');
    assert.ok(snr.every((d) => d.points === 4));
    assert.ok(snr.some((d) => d.label === 'DReG · inference network (slope +0.00 ± 0.03)'), snr.map((d) => d.label).join(' | '));
    assert.ok(snr.some((d) => d.label === 'standard · generative network (slope +0.50 ± 0.01)'));
    assert.ok(await p.page.locator('.gradients-status').isHidden());
    await p.page.locator('.log-weights').screenshot({ path: join(artifacts, 'inspector-log-weights-dark.png') });
    await p.page.locator('.chart-card:has(canvas[data-chart="gradient-snr"])').screenshot({ path: join(artifacts, 'inspector-gradient-snr-dark.png') });
    await p.applyTheme(themes.light);
    await p.page.locator('.inspector').screenshot({ path: join(artifacts, 'inspector-diagnostics-light.png') });
    for (const m of await p.posted()) assert.ok(InspectorFromWebview.safeParse(m).success);
    await noErrors(p);
    await p.page.close();
  });

  it('shows foreign and corrupt files as a clear error, never a blank page', async () => {
    const { runDir } = await tinyRun();
    const dir = tempDir('ll-bad-view-');
    const foreign = join(dir, 'model.safetensors');
    writeFileSync(foreign, encodeSafetensors(new Map([['w', { shape: [1], data: new Float32Array([1]) }]]), { format: 'pt' }));
    const corrupt = join(dir, 'checkpoint.safetensors');
    writeFileSync(corrupt, readFileSync(runPaths(runDir).checkpoint).subarray(0, 300));
    for (const [file, heading, shot] of [[foreign, 'Not a Latent Lab checkpoint', 'inspector-foreign-light.png'], [corrupt, 'This checkpoint cannot be read', 'inspector-corrupt-hc.png']]) {
      const report = summarizeCheckpointFile(file);
      assert.ok(!report.ok);
      const p = await open('inspector', { theme: shot.includes('hc') ? themes.highContrast : themes.light, viewport: { width: 900, height: 600 } });
      await p.send({ type: 'problem', problem: report.problem });
      assert.equal(await p.page.locator('.problem h1').textContent(), heading);
      assert.ok((await p.page.locator('.problem-detail').textContent())?.includes(file));
      await p.page.screenshot({ path: join(artifacts, shot) });
      await noErrors(p);
      await p.page.close();
    }
  });
});
