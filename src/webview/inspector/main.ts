// The checkpoint inspector webview: the summary the host reads from the file at
// once, the figures a child process computes afterwards, what the evaluation's
// log weights say (bound vs K with its asymptote, ESS, k-hat) and the gradient
// SNR, and the actions on the checkpoint. A file that is not a readable
// checkpoint shows why, never a blank page.
import '../common/zodJitless';
import type { ImageGrid } from '../../shared/events';
import { PARETO_K_BAD } from '../../shared/diagnostics';
import type { RecordedEvaluation } from '../../shared/evaluation';
import {
  InspectorProtocol, type CheckpointProblem, type CheckpointSummary, type Figures, type InspectorAction, type InspectorToWebview,
} from '../../shared/inspectorProtocol';
import { BoundVsKPanel } from '../common/boundVsKPanel';
import { card } from '../common/card';
import { applyChartDefaults, ChartPanel, lineOptions, axis } from '../common/charts';
import { h } from '../common/dom';
import { formatValue, subscript } from '../common/format';
import { connectHost } from '../common/hostLink';
import { drawImageGrid } from '../common/images';
import { readPalette, watchTheme, type Palette } from '../common/theme';
import { button, registerToolkit, setDisabled } from '../common/toolkit';
import { WeightHistograms } from '../common/weightHistograms';
import { SnrChart } from './snrChart';
import { architectureRows, configRows, dataRows, keyValueTable, metricRows } from './tables';

registerToolkit();
const link = connectHost(InspectorProtocol);
let palette = readPalette();
applyChartDefaults(palette);
const app = document.getElementById('app') as HTMLElement;
const act = (action: InspectorAction) => (): void => link.post({ type: 'action', action });
const exportPicture = link.exportPicture(() => summary?.runId ?? 'checkpoint');

let summary: CheckpointSummary | undefined;
let evalK = 5000;
let charts: ChartPanel<'line' | 'bar'>[] = [];
let figuresBox: HTMLElement | undefined;
let unitsBox: HTMLElement | undefined;
let evaluation: HTMLElement | undefined;
let diagnostics: { boundVsK: BoundVsKPanel; histograms: WeightHistograms; snr: SnrChart; gradients: HTMLElement } | undefined;

app.append(h('p', { class: 'card-placeholder standalone' }, 'Reading the checkpoint…'));

function showProblem(p: CheckpointProblem): void {
  summary = undefined;
  const explain = {
    foreign: 'This file is a readable safetensors file, but it was not written by Latent Lab, so there is no model, config or history to show. Open it with another editor (Reopen Editor With…) to see its bytes.',
    corrupt: 'This file is damaged or was cut short (for example, copied while training was writing it). Training writes checkpoints atomically, so the run folder\'s own checkpoint.safetensors is normally intact.',
    unreadable: 'The file could not be opened.',
  }[p.kind];
  app.replaceChildren(h('section', { class: 'problem', role: 'alert', 'data-kind': p.kind },
    h('h1', {}, p.kind === 'foreign' ? 'Not a Latent Lab checkpoint' : p.kind === 'corrupt' ? 'This checkpoint cannot be read' : 'The file cannot be opened'),
    h('p', {}, explain),
    h('pre', { class: 'problem-detail' }, p.message)));
}

function imageCard(title: string, name: string, grid: ImageGrid | undefined, note: string): HTMLElement {
  const canvas = h('canvas', { class: 'image-grid', 'data-figure': name, role: 'img', 'aria-label': title });
  const exportButton = button('Export PNG', { appearance: 'secondary', className: 'export-png', onClick: () => exportPicture(name, canvas.toDataURL('image/png')) });
  const c = card(title, [exportButton], 'figure-card');
  c.body.append(canvas);
  c.setNote(note);
  if (grid) drawImageGrid(canvas, grid);
  else c.setPlaceholder('Not available for this checkpoint.');
  return c.element;
}

function showFigures(f: Figures): void {
  if (!figuresBox || !unitsBox) return;
  const dims = f.traversalDims.map((d) => `z${subscript(d + 1)}`).join(', ');
  figuresBox.replaceChildren(
    imageCard('Reconstructions', 'reconstructions', f.reconstructions, 'Held-out examples (top) and E[x | z = E_q[z | x]] (bottom).'),
    imageCard('Prior samples', 'samples', f.samples, 'E[x | z] for z drawn from the prior.'),
    imageCard('Latent traversals', 'traversals', f.traversals, dims && f.traversalRange ? `One row per unit (${dims}, most active first), swept over [−${f.traversalRange}, ${f.traversalRange}].` : ''),
    ...f.notes.map((n) => h('p', { class: 'card-note' }, n)));
  unitsBox.replaceChildren();
  if (f.activeUnits) {
    const variances = f.activeUnits.variances.flatMap((layer, l) => layer.map((v, u) => ({ label: `${l + 1}.${u + 1}`, v })));
    variances.sort((a, b) => b.v - a.v);
    const panel = new ChartPanel<'bar'>({
      name: 'active-units', title: `Active units: ${f.activeUnits.active.join(' / ')}`, zoomable: false, onExport: exportPicture, type: 'bar',
      datasets: [{ label: 'Cov_x(E_q[z_u])', data: variances.map((x) => Math.max(x.v, 1e-8)), backgroundColor: variances.map((x) => (x.v > f.activeUnits!.threshold ? palette.blue : palette.grid)) }],
      options: (p: Palette) => ({
        scales: { x: axis(p, { type: 'category', title: 'unit (layer.unit), most active first', grid: false }), y: axis(p, { type: 'logarithmic', title: 'variance of the posterior mean' }) },
        plugins: { legend: { display: false } },
      }),
    }, palette);
    panel.chart.data.labels = variances.map((x) => x.label);
    panel.chart.update('none');
    panel.card.setNote(`A unit is active when the variance over x of its posterior mean exceeds ${f.activeUnits.threshold} (Burda et al.).`);
    charts.push(panel);
    unitsBox.append(panel.card.element);
  }
}

function showSummary(s: CheckpointSummary): void {
  summary = s;
  charts.forEach((c) => c.chart.destroy());
  charts = [];
  const inRun = s.run !== undefined;
  const actions = h('div', { class: 'toolbar inspector-actions' },
    button('Resume Training', { appearance: 'primary', onClick: act('resume'), className: 'action-resume' }),
    button(`Evaluate −L${subscript(evalK)}`, { onClick: act('evaluate'), className: 'action-evaluate' }),
    button('Analyze Gradients', { onClick: act('analyzeGradients'), className: 'action-gradients', title: 'Signal-to-noise ratio of the IWAE gradient estimators against K (Rainforth et al. 2018)' }),
    button('Compare With…', { onClick: act('compare'), className: 'action-compare' }),
    button('Reveal Run Folder', { onClick: act('reveal'), className: 'action-reveal' }),
    button('Export Metrics CSV', { onClick: act('exportCsv'), className: 'action-csv' }));
  if (!inRun) for (const b of actions.querySelectorAll('.action-resume')) setDisabled(b as HTMLElement, true);
  evaluation = h('div', { class: 'evaluation', hidden: true, 'aria-live': 'polite' });
  const header = h('header', { class: 'run-header' },
    h('div', { class: 'run-line' }, h('h1', { class: 'run-title' }, s.runId), s.run ? h('span', { class: `status status-${s.run.status}` }, s.run.status) : null),
    h('p', { class: 'run-id', title: s.file }, s.file), actions, evaluation);
  const curves = new ChartPanel<'line'>({
    name: 'curves', title: 'Per-epoch bounds', zoomable: true, onExport: exportPicture, type: 'line',
    datasets: [
      { label: 'train bound', data: s.history.map((e) => ({ x: e.epoch + 1, y: e.trainBound })), borderColor: palette.orange, backgroundColor: palette.orange },
      { label: 'held-out ELBO', data: s.history.map((e) => ({ x: e.epoch + 1, y: e.testElbo })), borderColor: palette.green, backgroundColor: palette.green },
      { label: `held-out L${subscript(s.objective.k * s.objective.m)}`, data: s.history.map((e) => ({ x: e.epoch + 1, y: e.testIwae })), borderColor: palette.blue, backgroundColor: palette.blue },
    ],
    options: (p) => lineOptions(p, { x: { type: 'linear', title: 'epoch' }, y: { type: 'linear', title: 'nats' }, describeX: (x) => `epoch ${x}`, describeY: formatValue, legend: true }),
  }, palette);
  // A short history (a run of a few epochs) would be invisible as bare lines.
  for (const d of curves.chart.data.datasets) Object.assign(d, { pointRadius: s.history.length < 30 ? 3 : 0 });
  curves.chart.update('none');
  if (s.history.length === 0) curves.card.setPlaceholder('No epoch finished before this checkpoint was written.');
  charts.push(curves);
  const tableCard = (title: string, table: HTMLElement): HTMLElement => {
    const c = card(title);
    c.body.append(table);
    return c.element;
  };
  diagnostics?.snr.panel.chart.destroy();
  diagnostics = {
    boundVsK: new BoundVsKPanel(palette, exportPicture), histograms: new WeightHistograms(palette, exportPicture), snr: new SnrChart(palette, exportPicture),
    gradients: h('div', { class: 'evaluation gradients-status', hidden: true, 'aria-live': 'polite' }),
  };
  charts.push(diagnostics.boundVsK.panel, diagnostics.histograms.ess, diagnostics.histograms.paretoK);
  diagnostics.snr.panel.card.body.before(diagnostics.gradients);
  showLogWeights(s.run?.final, 'the run\'s final evaluation');
  figuresBox = h('div', { class: 'grid figures' }, h('p', { class: 'card-placeholder standalone figures-pending' }, 'Drawing reconstructions, samples and traversals…'));
  unitsBox = h('div', { class: 'units' });
  app.replaceChildren(h('div', { class: 'inspector' }, header,
    h('div', { class: 'grid two' }, tableCard('Metrics', keyValueTable(metricRows(s), 'Metrics')), tableCard('Architecture', keyValueTable(architectureRows(s), 'Architecture'))),
    curves.card.element,
    h('div', { class: 'log-weights' }, diagnostics.boundVsK.panel.card.element, diagnostics.histograms.element),
    diagnostics.snr.panel.card.element,
    figuresBox,
    unitsBox,
    h('div', { class: 'grid two' }, tableCard('Training config', keyValueTable(configRows(s), 'Training config')), tableCard('Data', keyValueTable(dataRows(s), 'Data')))));
}

/** The bound-vs-K panel and the weight histograms of an evaluation (`source` says which), or why there are none. */
function showLogWeights(r: RecordedEvaluation | undefined, source: string): void {
  if (!diagnostics) return;
  const none = 'Evaluate computes −L_N and, from the same log weights, L_K for a ladder of K, its 1/K fit and asymptote, JVI, ESS and k̂.';
  const ladder = r && r.boundVsK.length > 0 ? r : undefined;
  const { fit, jackknife, weights } = ladder ?? {};
  diagnostics.boundVsK.show(ladder && { ladder: ladder.boundVsK, ...(weights ? { analysis: { fit, jackknife, weights } } : {}) }, 'bound', none,
    ladder ? `from ${source}: N = ${ladder.k}, ${ladder.examples} held-out examples` : '');
  if (weights) diagnostics.histograms.show(weights, r!.examples, none);
  else diagnostics.histograms.show(undefined, 0, r ? 'This evaluation was recorded before ESS and k̂ were; Evaluate computes them.' : none);
}

function showGradients(m: Extract<InspectorToWebview, { type: 'gradients' }>): void {
  if (!diagnostics) return;
  const status = diagnostics.gradients;
  status.hidden = false;
  if (m.state === 'running') {
    const total = m.total ?? 0;
    status.replaceChildren(h('span', {}, `Drawing gradients: ${total ? Math.floor((100 * (m.done ?? 0)) / total) : 0}%`),
      h('progress', { max: total || 1, value: m.done ?? 0 }), button('Cancel', { onClick: act('cancelGradients'), className: 'action-cancel-gradients' }));
  } else if (m.state === 'done' && m.study) {
    status.hidden = true;
    diagnostics.snr.show(m.study);
  } else {
    status.replaceChildren(h('span', { class: m.state === 'failed' ? 'field-error' : '' }, m.state === 'cancelled' ? 'Gradient analysis cancelled.' : `Gradient analysis failed: ${m.message ?? ''}`));
  }
}

function showEvaluation(m: Extract<InspectorToWebview, { type: 'evaluation' }>): void {
  if (!evaluation) return;
  evaluation.hidden = false;
  const cancel = button('Cancel', { onClick: act('cancelEvaluation'), className: 'action-cancel' });
  if (m.state === 'running') {
    const total = m.total ?? 0;
    evaluation.replaceChildren(
      h('span', {}, `Evaluating −L${subscript(evalK)}: ${m.done ?? 0} of ${total || '…'} examples`),
      h('progress', { max: total || 1, value: m.done ?? 0 }), cancel);
  } else if (m.state === 'done' && m.result) {
    const r = m.result;
    const flagged = `${r.weights.paretoK.above07} of ${r.examples} with k̂ > ${PARETO_K_BAD}`;
    evaluation.replaceChildren(h('span', { class: 'evaluation-result' },
      `Test NLL ${formatValue(r.testNll)} ± ${formatValue(r.standardError)} nats (−L${subscript(r.k)}, ${r.examples} examples, ${flagged}, ${formatValue(r.seconds)} s)`));
    showLogWeights(r, 'Evaluate');
  } else {
    evaluation.replaceChildren(h('span', { class: m.state === 'failed' ? 'field-error' : '' }, m.state === 'cancelled' ? 'Evaluation cancelled.' : `Evaluation failed: ${m.message ?? ''}`));
  }
}

watchTheme(() => {
  palette = readPalette();
  applyChartDefaults(palette);
  for (const c of charts) {
    c.restyle(palette);
    c.chart.update('none');
  }
  diagnostics?.boundVsK.paint(palette);
  diagnostics?.histograms.paint(palette);
  diagnostics?.snr.restyle(palette);
});

link.listen((m) => {
  switch (m.type) {
    case 'summary':
      evalK = m.evalK;
      showSummary(m.summary);
      break;
    case 'problem':
      showProblem(m.problem);
      break;
    case 'figures':
      showFigures(m.figures);
      break;
    case 'figuresFailed':
      figuresBox?.replaceChildren(h('p', { class: 'card-note field-error' }, `Figures could not be computed: ${m.message}`));
      break;
    case 'evaluation':
      showEvaluation(m);
      break;
    case 'gradients':
      showGradients(m);
      break;
  }
  document.body.dataset.view = summary ? 'summary' : 'problem';
});
