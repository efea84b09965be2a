// The gradient SNR of the inspector's Analyze Gradients (Rainforth et al.
// 2018): mean SNR over each network's parameters against K, log-log, one line
// per network and estimator (colour the estimator, dashes the generative
// network), the legend giving each line's slope, and the noise floor below
// which no mean SNR is read.
import type { GradientSnrStudy } from '../../shared/diagnostics';
import type { GradientEstimator } from '../../shared/runConfig';
import { ChartPanel, lineOptions, referenceLineOptions, ticksAtKs, type ExportPicture } from '../common/charts';
import { snrLines } from '../common/diagnosticsSeries';
import { fixed, formatInt, formatValue } from '../common/format';
import type { Palette } from '../common/theme';

const ESTIMATOR_NAMES: Record<GradientEstimator, string> = { standard: 'standard', stl: 'STL', dreg: 'DReG' };
const COLOURS: Record<GradientEstimator, 'blue' | 'green' | 'orange'> = { standard: 'blue', stl: 'green', dreg: 'orange' };

export class SnrChart {
  readonly panel: ChartPanel<'line'>;
  private study: GradientSnrStudy | undefined;

  constructor(private palette: Palette, onExport: ExportPicture) {
    this.panel = new ChartPanel<'line'>({
      name: 'gradient-snr', title: 'Gradient signal-to-noise ratio', zoomable: false, onExport, type: 'line', datasets: [],
      options: (p) => {
        const o = lineOptions(p, {
          x: { type: 'logarithmic', title: 'K (samples, log)' }, y: { type: 'logarithmic', title: 'mean SNR (log)' },
          describeX: (k) => `K = ${formatInt(k)}`, describeY: formatValue, legend: true,
        });
        const floor = this.study ? [{ axis: 'y' as const, value: this.study.noiseFloor, label: `noise floor ${fixed(this.study.noiseFloor, 3)}`, color: p.muted }] : [];
        const ks = [...new Set(this.study?.cells.map((c) => c.k))];
        return { ...o, scales: { ...o.scales, x: ticksAtKs(o.scales?.x, () => ks) }, plugins: { ...o.plugins, referenceLines: referenceLineOptions(p, floor) } };
      },
    }, palette);
    this.panel.card.setPlaceholder('Analyze Gradients draws the IWAE gradient many times at this checkpoint\'s parameters, for several K and estimators, and shows how its signal-to-noise ratio moves with K.');
  }

  show(study: GradientSnrStudy): void {
    this.study = study;
    const p = this.palette;
    const chart = this.panel.chart;
    chart.data.datasets = snrLines(study).map((line) => {
      const slope = line.slope ? ` (slope ${line.slope.slope >= 0 ? '+' : '−'}${Math.abs(line.slope.slope).toFixed(2)} ± ${line.slope.standardError.toFixed(2)})` : '';
      const colour = p[COLOURS[line.estimator]];
      return {
        label: `${ESTIMATOR_NAMES[line.estimator]} · ${line.network === 'encoder' ? 'inference' : 'generative'} network${slope}`,
        data: line.points, borderColor: colour, backgroundColor: colour, borderWidth: p.highContrast ? 3 : 2, pointRadius: 3.5,
        borderDash: line.network === 'decoder' ? [6, 4] : [], pointStyle: line.network === 'decoder' ? 'rectRot' : 'circle',
      };
    });
    this.panel.card.setPlaceholder(null);
    this.panel.card.setSubtitle(`${formatInt(study.draws)} draws per point on ${formatInt(study.examples)} held-out examples`);
    this.panel.card.setNote('Mean over each network\'s parameters of |E[∇]| / sd[∇]. Solid: the inference network (q); dashed: the generative network (p). Rainforth et al.: the generative network\'s SNR grows like √K, the standard estimator\'s inference-network SNR falls like 1/√K, DReG\'s does not fall.');
    this.panel.restyle();
    chart.update();
  }

  restyle(p: Palette): void {
    this.palette = p;
    this.panel.restyle(p);
    if (this.study) this.show(this.study);
    else this.panel.chart.update();
  }
}
