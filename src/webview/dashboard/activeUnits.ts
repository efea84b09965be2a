// Active units (Burda et al.): the variance over held-out x of E_q[z_u | x],
// one bar per latent dimension and a chart per stochastic layer, on a log axis
// with the activity threshold drawn across.
import type { ActiveUnitsEvent } from '../../shared/events';
import { axis, ChartPanel, referenceLineOptions, type ExportPicture } from '../common/charts';
import { h } from '../common/dom';
import { formatInt, formatValue } from '../common/format';
import { withAlpha, type Palette } from '../common/theme';
import type { DashboardState } from './state';

/** The log axis starts a decade below everything shown, so zero variances draw as empty bars. */
function logFloor(variances: readonly number[], threshold: number): number {
  const smallest = Math.min(threshold, ...variances.filter((v) => v > 0));
  return 10 ** (Math.floor(Math.log10(smallest)) - 1);
}

interface Layer {
  panel: ChartPanel<'bar'>;
  /** The variances as reported, for tooltips and colours (bars are clamped to the axis floor). */
  raw: number[];
  floor: number;
}

export class ActiveUnitsView {
  readonly element = h('div', { class: 'units-layers' });
  private layers: Layer[] = [];
  private shown: ActiveUnitsEvent | null | undefined;
  private threshold = 0.01;

  constructor(private palette: Palette, private readonly onExport: ExportPicture) {}

  private layer(index: number, total: number): Layer {
    const name = total > 1 ? `layer ${index + 1}` : '';
    const layer: Layer = { raw: [], floor: this.threshold / 10, panel: undefined as unknown as ChartPanel<'bar'> };
    layer.panel = new ChartPanel<'bar'>({
      name: `active-units-${index + 1}`, title: total > 1 ? `Active units · layer ${index + 1}` : 'Active units',
      zoomable: false, onExport: this.onExport, type: 'bar',
      datasets: [{ label: 'variance', data: [], borderWidth: 0, barPercentage: 0.9, categoryPercentage: 0.95 }],
      options: (p) => ({
        scales: {
          x: axis(p, { type: 'category', title: 'latent dimension', grid: false }),
          y: { ...axis(p, { type: 'logarithmic', title: 'variance of E_q[z | x]' }), min: layer.floor },
        },
        plugins: {
          legend: { display: false },
          referenceLines: referenceLineOptions(p, [{ axis: 'y', value: this.threshold, label: `threshold ${this.threshold}`, color: p.red }]),
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? `z${items[0].label}${name ? ` (${name})` : ''}` : ''),
              label: (item) => {
                const v = layer.raw[item.dataIndex] ?? 0;
                return ` variance ${formatValue(v)} · ${v > this.threshold ? 'active' : 'inactive'}`;
              },
            },
          },
        },
      }),
    }, this.palette);
    return layer;
  }

  paint(p: Palette): void {
    this.palette = p;
    for (const l of this.layers) {
      this.colourBars(l);
      l.panel.restyle(p);
      l.panel.chart.update();
    }
  }

  private colourBars(l: Layer): void {
    const p = this.palette;
    const dataset = l.panel.chart.data.datasets[0];
    dataset.backgroundColor = l.raw.map((v) => (v > this.threshold ? p.blue : withAlpha(p.muted, p.highContrast ? 0.8 : 0.45)));
    dataset.hoverBackgroundColor = l.raw.map((v) => (v > this.threshold ? p.blue : p.muted));
  }

  render(state: DashboardState): void {
    const event = state.activeUnits;
    if (event === this.shown) return;
    this.shown = event;
    if (!event) {
      this.rebuild(0);
      this.element.replaceChildren(h('p', { class: 'card-placeholder standalone' }, 'Active units are measured after each epoch.'));
      return;
    }
    this.threshold = event.threshold;
    if (this.layers.length !== event.variances.length) this.rebuild(event.variances.length);
    event.variances.forEach((variances, i) => {
      const l = this.layers[i];
      l.raw = [...variances];
      l.floor = logFloor(variances, event.threshold);
      l.panel.chart.data.labels = variances.map((_, d) => String(d));
      l.panel.chart.data.datasets[0].data = variances.map((v) => Math.max(v, l.floor));
      const active = event.active[i] ?? variances.filter((v) => v > event.threshold).length;
      l.panel.card.setSubtitle(`${active} of ${variances.length} active · step ${formatInt(event.step)}`);
      this.colourBars(l);
      l.panel.restyle();
      // Not update('none'): bar colours change with the data, and that mode keeps shared element options.
      l.panel.chart.update();
    });
  }

  private rebuild(count: number): void {
    for (const l of this.layers) l.panel.chart.destroy();
    this.layers = Array.from({ length: count }, (_, i) => this.layer(i, count));
    this.element.replaceChildren(...this.layers.map((l) => l.panel.card.element));
  }
}
