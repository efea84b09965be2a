// The bound-vs-K panel of the dashboard and the inspector: L_K on the held-out
// examples for a ladder of K (from the N log weights of -L_N) with 95% error
// bars, the fit L_inf - a/K - b/K^2 over the K it used, the asymptote L_inf
// with its interval, and the jackknife estimates J_1 and J_2 at their K.
import { ChartPanel, lineOptions, setLineData, ticksAtKs, type ExportPicture } from './charts';
import { PARETO_K_BAD } from '../../shared/diagnostics';
import { boundVsKSeries, type BoundAxis, type BoundVsKData } from './diagnosticsSeries';
import { fixed, formatInt, formatValue, subscript } from './format';
import { withAlpha, type Palette } from './theme';

const yTitles: Record<BoundAxis, string> = { bound: 'L_K (nats)', nll: '−L_K (nats)', nllLog: '−L_K (nats, log)' };

/** Datasets in drawing order; the band's two edges come first so the fill lies under everything. */
const D = { BandLow: 0, BandHigh: 1, Asymptote: 2, Fit: 3, Ladder: 4, Order1: 5, Order2: 6 } as const;

export class BoundVsKPanel {
  readonly panel: ChartPanel<'line'>;
  private axis: BoundAxis = 'bound';
  private ks: number[] = [];
  /** Whether the fit shown is an estimate (else a trend outside the expansion's range, drawn in grey). */
  private holds = true;
  private palette: Palette;

  constructor(palette: Palette, onExport: ExportPicture, name = 'bound-vs-k') {
    this.panel = new ChartPanel({
      name, title: 'Bound vs K', zoomable: true, onExport, type: 'line',
      datasets: [
        { label: '', data: [] }, { label: '', data: [], fill: '-1' }, { label: 'L∞ (95% interval)', data: [] },
        { label: 'fit L∞ − a/K − b/K²', data: [] }, { label: 'L_K', data: [] }, { label: 'JVI order 1', data: [] }, { label: 'JVI order 2', data: [] },
      ],
      options: (p) => {
        const o = lineOptions(p, {
          x: { type: 'logarithmic', title: 'K (samples, log)' },
          y: { type: this.axis === 'nllLog' ? 'logarithmic' : 'linear', title: yTitles[this.axis] },
          describeX: (k) => `K = ${formatInt(k)}`,
          describeY: formatValue,
          legend: true,
        });
        const x = ticksAtKs(o.scales?.x, () => this.ks);
        const legend = { ...o.plugins?.legend, labels: { filter: (item: { text: string }) => item.text !== '' } };
        return { ...o, scales: { ...o.scales, x }, plugins: { ...o.plugins, legend } } as typeof o;
      },
    }, palette);
    this.palette = palette;
    this.paint(palette);
  }

  paint(p: Palette): void {
    this.palette = p;
    const width = p.highContrast ? 3 : 2;
    const d = this.panel.chart.data.datasets;
    const edge = { borderWidth: 0, pointRadius: 0, borderColor: 'transparent' };
    const [asymptote, fit] = this.holds ? [p.green, p.orange] : [p.muted, p.muted];
    d[D.Asymptote].label = this.holds ? 'L∞ (95% interval)' : 'trend, not an estimate of log p(x)';
    d[D.Fit].label = this.holds ? 'fit L∞ − a/K − b/K²' : 'a/K fit outside its range';
    Object.assign(d[D.BandLow], edge);
    Object.assign(d[D.BandHigh], edge, { backgroundColor: withAlpha(asymptote, this.holds ? 0.18 : 0.1) });
    Object.assign(d[D.Asymptote], { borderColor: asymptote, backgroundColor: withAlpha(asymptote, 0.18), borderWidth: width, borderDash: [6, 4], pointRadius: 0 });
    Object.assign(d[D.Fit], { borderColor: fit, backgroundColor: fit, borderWidth: width, borderDash: this.holds ? [] : [2, 3], pointRadius: 0 });
    Object.assign(d[D.Ladder], { borderColor: p.purple, backgroundColor: p.purple, borderWidth: width, pointRadius: 4, pointHoverRadius: 6 });
    Object.assign(d[D.Order1], { borderColor: p.blue, backgroundColor: p.blue, showLine: false, pointRadius: 5, pointStyle: 'triangle' });
    Object.assign(d[D.Order2], { borderColor: p.red, backgroundColor: p.red, showLine: false, pointRadius: 5, pointStyle: 'rectRot' });
    this.panel.restyle(p);
    // Not update('none'): in that mode Chart.js keeps the point options it shared before.
    this.panel.chart.update();
  }

  /** Draws `data`, or the placeholder when there is none yet. */
  show(data: BoundVsKData | undefined, axis: BoundAxis, placeholder: string, subtitle = ''): void {
    const card = this.panel.card;
    card.setPlaceholder(data ? null : placeholder);
    if (!data) return;
    this.ks = data.ladder.map((b) => b.k);
    if (axis !== this.axis) {
      this.axis = axis;
      this.panel.restyle();
    }
    const holds = data.analysis?.fit?.holds ?? true;
    if (holds !== this.holds) {
      this.holds = holds;
      this.paint(this.palette);
    }
    const s = boundVsKSeries(data, axis);
    card.setSubtitle(subtitle);
    card.setNote([describeFit(data, axis), s.hidden ? `${s.hidden} point(s) ≤ 0 cannot be shown on a log axis.` : ''].filter(Boolean).join(' '));
    const d = this.panel.chart.data.datasets;
    d[D.Ladder].label = axis === 'bound' ? 'L_K (95% error bars)' : '−L_K (95% error bars)';
    d[D.Ladder].errorBars = s.ladder.errors;
    const [order1, order2] = s.jackknife;
    d[D.Order1].errorBars = order1?.errors ?? [];
    d[D.Order2].errorBars = order2?.errors ?? [];
    setLineData(this.panel.chart, [s.band[0], s.band[1], s.asymptote, s.fit, s.ladder.points, order1?.points ?? [], order2?.points ?? []]);
  }
}

/** What the fit and the jackknife found, in a sentence under the chart. */
function describeFit({ ladder, analysis }: BoundVsKData, axis: BoundAxis): string {
  if (!analysis) return '';
  const sign = axis === 'bound' ? 1 : -1;
  const n = ladder[ladder.length - 1]?.k ?? 0;
  const { fit, jackknife, weights } = analysis;
  const v = (x: number) => fixed(sign * x, 2);
  const parts = [fit?.holds
    ? `${sign > 0 ? 'L∞' : '−L∞'} = ${v(fit.lInfinity.mean)} ± ${fixed(fit.lInfinity.standardError, 2)} (95%: ${v(sign > 0 ? fit.interval[0] : fit.interval[1])} … ${v(sign > 0 ? fit.interval[1] : fit.interval[0])}), ${fixed(fit.gain.mean, 3)} ± ${fixed(fit.gain.standardError, 3)} nats above L${subscript(n)} (paired), fitted on K ≥ ${formatInt(fit.ks[0])}.`
    : `No estimate of L∞: fewer than four K of the ladder reach Var(w)/E[w]² = ${fixed(weights.relativeVariance, 1)}, where the 1/K expansion starts to hold${fit ? `; the grey line extrapolates the trend of K ≥ ${formatInt(fit.ks[0])} to ${v(fit.lInfinity.mean)}, which is not an estimate of log p(x)` : ''}. ${weights.paretoK.above07 ? `k̂ > ${PARETO_K_BAD} for ${formatInt(weights.paretoK.above07)} examples: their weights' variance may be infinite.` : ''}`.trim()];
  if (jackknife) parts.push(`JVI at K = ${formatInt(jackknife.k)} adds ${fixed(jackknife.order1Gain.mean, 3)} (order 1) and ${fixed(jackknife.order2Gain.mean, 3)} (order 2) nats to L${subscript(jackknife.k)}.`);
  return parts.join(' ');
}
