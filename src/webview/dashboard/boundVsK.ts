// How the bound L_K on held-out points grows with the number of samples K:
// the gap between K = 1 (the ELBO) and large K is what IWAE training buys.
import { ChartPanel, lineOptions, setLineData, type ExportPicture } from '../common/charts';
import { formatInt, formatValue } from '../common/format';
import type { Palette } from '../common/theme';
import { boundVsKSeries } from './series';
import type { ViewSettings } from './settings';
import type { DashboardState } from './state';

const yTitles: Record<ViewSettings['yAxis'], string> = { bound: 'L_K (nats)', nll: '−L_K (nats)', nllLog: '−L_K (nats, log)' };

export class BoundVsKView {
  readonly panel: ChartPanel<'line'>;
  private shown: { event?: DashboardState['boundVsK']; yAxis?: ViewSettings['yAxis'] } = {};
  private yAxis: ViewSettings['yAxis'] = 'bound';
  private ks: number[] = [];

  constructor(palette: Palette, onExport: ExportPicture) {
    this.panel = new ChartPanel({
      name: 'bound-vs-k', title: 'Bound vs K', zoomable: false, onExport, type: 'line',
      datasets: [{ label: 'L_K', data: [] }],
      options: (p) => {
        const o = lineOptions(p, {
          x: { type: 'logarithmic', title: 'K (samples, log)' },
          y: { type: this.yAxis === 'nllLog' ? 'logarithmic' : 'linear', title: yTitles[this.yAxis] },
          describeX: (k) => `K = ${formatInt(k)}`,
          describeY: formatValue,
          legend: false,
        });
        // Ticks at the Ks evaluated, whatever their decades.
        const x = { ...o.scales?.x, ticks: { ...o.scales?.x?.ticks, callback: (v: number | string) => formatInt(Number(v)) }, afterBuildTicks: (scale: { ticks: { value: number }[] }) => void (scale.ticks = this.ks.map((value) => ({ value }))) };
        return { ...o, scales: { ...o.scales, x } } as typeof o;
      },
    }, palette);
    this.paint(palette);
  }

  paint(p: Palette): void {
    Object.assign(this.panel.chart.data.datasets[0], {
      borderColor: p.purple, backgroundColor: p.purple, borderWidth: p.highContrast ? 3 : 2, pointRadius: 4, pointHoverRadius: 6,
    });
    this.panel.restyle(p);
    // Not update('none'): in that mode Chart.js keeps the point options it shared before.
    this.panel.chart.update();
  }

  render(state: DashboardState, settings: ViewSettings): void {
    const event = state.boundVsK;
    if (event === this.shown.event && settings.yAxis === this.shown.yAxis) return;
    this.shown = { event, yAxis: settings.yAxis };
    this.panel.card.setPlaceholder(event ? null : 'Bound vs K is measured in the final evaluation, after the last epoch.');
    if (!event) return;
    this.ks = [...event.ks];
    if (settings.yAxis !== this.yAxis) {
      this.yAxis = settings.yAxis;
      this.panel.restyle();
    }
    const s = boundVsKSeries(event, settings.yAxis);
    this.panel.card.setSubtitle(`held-out points · step ${formatInt(event.step)}`);
    this.panel.card.setNote(s.hidden ? `${s.hidden} point(s) ≤ 0 cannot be shown on a log axis.` : '');
    this.panel.chart.data.datasets[0].label = settings.yAxis === 'bound' ? 'L_K' : '−L_K';
    setLineData(this.panel.chart, [s.points]);
  }
}
