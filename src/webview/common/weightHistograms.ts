// How evenly each held-out example's N importance weights share their mass:
// the histogram of ESS / N over the examples (log axis: it spans 1/N to 1) and
// of Pareto k-hat with the 0.5 and 0.7 lines that say whether -L_N can be
// trusted (Vehtari et al.), as steps filled to the axis.
import { PARETO_K_BAD, PARETO_K_GOOD, type WeightDiagnostics } from '../../shared/diagnostics';
import { ChartPanel, lineOptions, referenceLineOptions, setLineData, type ExportPicture, type ReferenceLine } from './charts';
import { histogramSteps } from './diagnosticsSeries';
import { h } from './dom';
import { formatInt, formatValue } from './format';
import { withAlpha, type Palette } from './theme';

export class WeightHistograms {
  readonly element: HTMLElement;
  readonly ess: ChartPanel<'line'>;
  readonly paretoK: ChartPanel<'line'>;
  private shown: WeightDiagnostics | undefined;

  constructor(palette: Palette, onExport: ExportPicture) {
    const histogram = (name: string, title: string, x: 'linear' | 'logarithmic', xTitle: string, lines: (p: Palette) => ReferenceLine[]) => new ChartPanel<'line'>({
      name, title, zoomable: false, onExport, type: 'line',
      datasets: [{ label: 'examples', data: [], stepped: 'after', fill: 'origin', pointRadius: 0 }],
      options: (p) => {
        const o = lineOptions(p, { x: { type: x, title: xTitle }, y: { type: 'linear', title: 'examples' }, describeX: formatValue, describeY: formatInt, legend: false });
        return { ...o, interaction: { mode: 'index', intersect: false }, plugins: { ...o.plugins, referenceLines: referenceLineOptions(p, lines(p)) } };
      },
    }, palette);
    this.ess = histogram('ess-histogram', 'Effective sample size', 'logarithmic', 'ESS / N (log)', () => []);
    this.paretoK = histogram('pareto-k-histogram', 'Pareto k̂', 'linear', 'k̂ of each example\'s N weights', (p) => [
      { axis: 'x', value: PARETO_K_GOOD, label: `${PARETO_K_GOOD}`, color: p.orange },
      { axis: 'x', value: PARETO_K_BAD, label: `${PARETO_K_BAD}`, color: p.red },
    ]);
    this.element = h('div', { class: 'grid two weight-histograms' }, this.ess.card.element, this.paretoK.card.element);
    this.paint(palette);
  }

  paint(p: Palette): void {
    for (const [panel, colour] of [[this.ess, p.blue], [this.paretoK, p.purple]] as const) {
      Object.assign(panel.chart.data.datasets[0], { borderColor: colour, backgroundColor: withAlpha(colour, 0.35), borderWidth: p.highContrast ? 2 : 1.5 });
      panel.restyle(p);
      panel.chart.update();
    }
  }

  show(w: WeightDiagnostics | undefined, examples: number, placeholder: string): void {
    this.element.hidden = false;
    for (const panel of [this.ess, this.paretoK]) panel.card.setPlaceholder(w ? null : placeholder);
    if (!w || w === this.shown) return;
    this.shown = w;
    const e = w.essFraction;
    this.ess.card.setSubtitle(`median ${formatValue(Number(e.median.toPrecision(3)))} of N · ${formatInt(examples)} examples`);
    this.ess.card.setNote(`ESS = (Σw)² / Σw²: N when the weights are equal, 1 when one dominates. Mean ESS / N ${formatValue(Number(e.mean.toPrecision(3)))}; 5–95%: ${formatValue(Number(e.p5.toPrecision(2)))} – ${formatValue(Number(e.p95.toPrecision(2)))}.`);
    setLineData(this.ess.chart, [histogramSteps(e.histogram)]);
    const k = w.paretoK;
    this.paretoK.card.setSubtitle(`${formatInt(k.above07)} of ${formatInt(examples)} above ${PARETO_K_BAD} · ${formatInt(k.above05)} above ${PARETO_K_GOOD}`);
    this.paretoK.card.setNote([
      `Below ${PARETO_K_GOOD} the weights have a finite variance; above ${PARETO_K_BAD} −L_N is not reliable for that example at any practical N.`,
      k.notEstimable ? `${formatInt(k.notEstimable)} example(s) not estimable (fewer than 5 distinct tail weights).` : '',
    ].filter(Boolean).join(' '));
    if (k.histogram) setLineData(this.paretoK.chart, [histogramSteps(k.histogram)]);
    else this.paretoK.card.setPlaceholder('No example\'s k̂ could be estimated (its weights\' tail has fewer than 5 distinct values).');
  }

  hide(): void {
    this.element.hidden = true;
  }
}
