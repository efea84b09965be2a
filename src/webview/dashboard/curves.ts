// The Curves tab: the training bound (raw and smoothed), beside it the ESS / K
// of the same steps' log weights, and the held-out bounds per epoch, with the
// x/y axis and smoothing controls they share.
import { ChartPanel, lineOptions, setLineData, type ExportPicture, type LineOptions } from '../common/charts';
import { h } from '../common/dom';
import { formatValue, formatX, subscript } from '../common/format';
import { withAlpha, type Palette } from '../common/theme';
import { dropdown, slider, type Dropdown } from '../common/toolkit';
import { heldOutSeries, trainSeries } from './series';
import type { ViewSettings } from './settings';
import type { DashboardState } from './state';

const yTitles: Record<ViewSettings['yAxis'], string> = {
  bound: 'bound (nats)', nll: 'NLL = −bound (nats)', nllLog: 'NLL = −bound (nats, log)',
};

function hiddenNote(hidden: number): string {
  return hidden ? `${hidden} point${hidden === 1 ? '' : 's'} ≤ 0 cannot be shown on a log axis.` : '';
}

export class CurvesView {
  readonly element: HTMLElement;
  private readonly train: ChartPanel<'line'>;
  private readonly heldOut: ChartPanel<'line'>;
  private readonly ess: ChartPanel<'line'>;
  private readonly xAxis: Dropdown<ViewSettings['xAxis']>;
  private readonly yAxis: Dropdown<ViewSettings['yAxis']>;
  private readonly smoothing: HTMLInputElement;
  private readonly smoothingValue = h('output', { class: 'slider-value' });
  private settings: ViewSettings;
  private shown: DashboardState | undefined;

  constructor(settings: ViewSettings, palette: Palette, change: (patch: Partial<ViewSettings>) => void, onExport: ExportPicture) {
    this.settings = settings;
    this.xAxis = dropdown('X axis', [{ value: 'step', label: 'Step' }, { value: 'epoch', label: 'Epoch' }], settings.xAxis, (xAxis) => change({ xAxis }));
    this.yAxis = dropdown('Y axis', [
      { value: 'bound', label: 'Bound' }, { value: 'nll', label: 'NLL = −bound' }, { value: 'nllLog', label: 'NLL = −bound, log' },
    ], settings.yAxis, (yAxis) => change({ yAxis }));
    this.smoothing = slider('Smoothing (EMA weight)', { min: 0, max: 0.99, step: 0.01, value: settings.smoothing }, (smoothing) => change({ smoothing }));

    const options = (p: Palette): ReturnType<typeof lineOptions> => lineOptions(p, this.axes());
    this.train = new ChartPanel({
      name: 'train-bound', title: 'Training bound', zoomable: true, onExport, type: 'line',
      datasets: [{ label: 'raw', data: [] }, { label: 'smoothed', data: [] }], options,
    }, palette);
    this.train.card.setSubtitle('mean over the steps between reports');
    this.heldOut = new ChartPanel({
      name: 'held-out', title: 'Held-out bounds', zoomable: true, onExport, type: 'line',
      datasets: [{ label: 'ELBO', data: [] }, { label: 'L_K', data: [] }, { label: 'L_5000', data: [] }], options,
    }, palette);
    this.heldOut.card.setSubtitle('after each epoch');
    this.ess = new ChartPanel({
      name: 'train-ess', title: 'Effective sample size / K', zoomable: true, onExport, type: 'line',
      datasets: [{ label: 'ESS / K', data: [] }],
      options: (p) => {
        const o = lineOptions(p, { ...this.axes(), y: { type: 'linear', title: 'ESS / K' }, describeY: (v) => v.toFixed(3), legend: false });
        return { ...o, scales: { ...o.scales, y: { ...o.scales?.y, min: 0, max: 1 } } };
      },
    }, palette);
    this.ess.card.setSubtitle('of the training batches\' log weights, mean over the steps between reports');
    this.ess.card.setNote('1 when the K samples of an example share the weight equally, 1/K when one sample takes it all.');

    const field = (label: string, ...control: HTMLElement[]): HTMLElement => h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), ...control);
    this.element = h('div', { class: 'view curves' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Curve settings' },
        field('X axis', this.xAxis.element),
        field('Y axis', this.yAxis.element),
        field('Smoothing', this.smoothing, this.smoothingValue),
        h('span', { class: 'toolbar-hint' }, 'Drag to zoom · Ctrl+wheel · Shift+drag to pan')),
      h('div', { class: 'grid two' }, this.train.card.element, this.heldOut.card.element, this.ess.card.element));
    this.paint(palette);
  }

  private axes(): LineOptions {
    const { xAxis, yAxis } = this.settings;
    return {
      x: { type: 'linear', title: xAxis },
      y: { type: yAxis === 'nllLog' ? 'logarithmic' : 'linear', title: yTitles[yAxis] },
      describeX: (x) => formatX(x, this.settings.xAxis),
      describeY: formatValue,
      legend: true,
    };
  }

  paint(p: Palette): void {
    const line = p.highContrast ? 3 : 2;
    const [raw, smoothed] = this.train.chart.data.datasets;
    Object.assign(raw, { borderColor: withAlpha(p.blue, p.highContrast ? 0.6 : 0.35), backgroundColor: p.blue, borderWidth: 1 });
    Object.assign(smoothed, { borderColor: p.blue, backgroundColor: p.blue, borderWidth: line });
    const [elbo, iwae, nll] = this.heldOut.chart.data.datasets;
    Object.assign(elbo, { borderColor: p.orange, backgroundColor: p.orange, borderWidth: line, pointRadius: 2.5 });
    Object.assign(iwae, { borderColor: p.blue, backgroundColor: p.blue, borderWidth: line, pointRadius: 2.5 });
    Object.assign(nll, { borderColor: p.green, backgroundColor: p.green, borderWidth: line, borderDash: [5, 4], pointRadius: 4, pointStyle: 'rectRot' });
    Object.assign(this.ess.chart.data.datasets[0], { borderColor: p.purple, backgroundColor: p.purple, borderWidth: line });
    for (const c of [this.train, this.heldOut, this.ess]) {
      c.restyle(p);
      // Not update('none'): in that mode Chart.js keeps the point options it shared before.
      c.chart.update();
    }
  }

  render(state: DashboardState, settings: ViewSettings): void {
    const settingsChanged = settings !== this.settings;
    const axesChanged = settings.xAxis !== this.settings.xAxis || settings.yAxis !== this.settings.yAxis;
    this.settings = settings;
    if (settingsChanged) {
      this.xAxis.set(settings.xAxis);
      this.yAxis.set(settings.yAxis);
      this.smoothing.value = String(settings.smoothing);
    }
    this.smoothingValue.textContent = settings.smoothing.toFixed(2);
    if (axesChanged) {
      for (const c of [this.train, this.heldOut, this.ess]) c.restyle();
    }
    if (settingsChanged || state.train !== this.shown?.train) this.renderTrain(state);
    if (settingsChanged || state.heldOut !== this.shown?.heldOut || state.run?.objective !== this.shown?.run?.objective) this.renderHeldOut(state);
    this.shown = state;
  }

  private renderTrain(state: DashboardState): void {
    const s = trainSeries(state, this.settings);
    const nll = this.settings.yAxis !== 'bound';
    const [raw, smoothed] = this.train.chart.data.datasets;
    raw.label = nll ? '−bound, raw' : 'raw';
    smoothed.label = `${nll ? '−bound, ' : ''}smoothed`;
    smoothed.hidden = this.settings.smoothing === 0;
    this.train.card.setPlaceholder(state.train.length ? null : 'No training steps reported yet.');
    this.train.card.setNote(hiddenNote(s.hidden));
    setLineData(this.train.chart, [s.raw, s.smoothed]);
    this.ess.card.setPlaceholder(s.ess.length ? null : state.train.length ? 'This run did not report ESS / K (logged before it was).' : 'No training steps reported yet.');
    setLineData(this.ess.chart, [s.ess]);
  }

  private renderHeldOut(state: DashboardState): void {
    const s = heldOutSeries(state, this.settings);
    const o = state.run?.objective;
    const k = o ? subscript(o.k * o.m) : 'K';
    const evalK = subscript(state.heldOut.reduce<number | undefined>((last, p) => p.evalK ?? last, undefined) ?? 5000);
    const bound = this.settings.yAxis === 'bound';
    const [elbo, iwae, nll] = this.heldOut.chart.data.datasets;
    elbo.label = bound ? 'ELBO' : '−ELBO';
    iwae.label = bound ? `L${k} (IWAE)` : `−L${k} (IWAE)`;
    nll.label = bound ? `L${evalK} estimate` : `NLL estimate (−L${evalK})`;
    this.heldOut.card.setPlaceholder(state.heldOut.length ? null : 'Held-out bounds appear after the first epoch.');
    this.heldOut.card.setNote(hiddenNote(s.hidden));
    setLineData(this.heldOut.chart, [s.elbo, s.iwae, s.nll]);
  }
}
