// The comparison chart: held-out L_K (solid) and the training bound (dashed) of
// each chosen run on one pair of axes, one colour per run, the legend naming runs.
import type { RunCurves } from '../../shared/experimentsProtocol';
import { ChartPanel, lineOptions, type ExportPicture, type Point } from '../common/charts';
import { formatValue } from '../common/format';
import type { Palette } from '../common/theme';

/** The palette's chart colours in the order runs take them (CSS swatches use the same names). */
export const RUN_COLOURS = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'] as const;
export type RunColour = (typeof RUN_COLOURS)[number];

export interface ComparedRun {
  curves: RunCurves;
  name: string;
  colour: RunColour;
}

export class CompareChart {
  private readonly panel: ChartPanel<'line'>;

  constructor(palette: Palette, onExport: ExportPicture) {
    this.panel = new ChartPanel<'line'>({
      name: 'comparison', title: 'Compare runs', zoomable: true, onExport, type: 'line', datasets: [],
      options: (p) => {
        const o = lineOptions(p, {
          x: { type: 'linear', title: 'epoch' }, y: { type: 'linear', title: 'bound (nats, higher is better)' },
          describeX: (x) => `epoch ${x}`, describeY: formatValue, legend: true,
        });
        // Curves have no gaps; telling Chart.js so spares it a pass over every point of every run.
        o.spanGaps = true;
        // The dashed train curve of a run shares its colour; the legend lists each run once.
        o.plugins = { ...o.plugins, legend: { ...o.plugins?.legend, labels: { filter: (item) => !String(item.text).endsWith(' (train)') } } };
        return o;
      },
    }, palette);
    this.panel.card.setNote('Solid: held-out L_K with each run\'s K. Dashed: training bound (epoch mean). Ctrl+wheel or drag to zoom.');
  }

  get element(): HTMLElement {
    return this.panel.card.element;
  }

  get canvas(): HTMLCanvasElement {
    return this.panel.canvas;
  }

  show(runs: readonly ComparedRun[], palette: Palette): void {
    const chart = this.panel.chart;
    const points = (xs: number[], ys: number[]): Point[] => xs.map((x, i) => ({ x, y: ys[i] }));
    chart.data.datasets = runs.flatMap(({ curves, name, colour }) => [
      { label: name, data: points(curves.epochs, curves.testIwae), borderColor: palette[colour], backgroundColor: palette[colour], borderWidth: 2 },
      { label: `${name} (train)`, data: points(curves.epochs, curves.trainBound), borderColor: palette[colour], backgroundColor: palette[colour], borderDash: [5, 4], borderWidth: 1 },
    ]);
    const empty = runs.length === 0 || runs.every((r) => r.curves.epochs.length === 0);
    this.panel.card.setPlaceholder(empty ? (runs.length ? 'The chosen runs have not finished an epoch yet.' : 'Tick runs in the table to compare their curves.') : null);
    chart.update('none');
  }

  restyle(palette: Palette): void {
    this.panel.restyle(palette);
    this.panel.chart.update('none');
  }
}
