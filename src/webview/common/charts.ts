// Chart.js set-up shared by every chart: the components registered (tree-shaken
// build), a card with Export PNG and Reset zoom, options rebuilt from the theme
// palette, keeping the newest point in view while a run is live, and two small
// plugins of our own: error bars on a line's points, and labelled reference
// lines across a chart (a threshold, an asymptote's K range, k-hat's 0.5 and 0.7).
import {
  BarController, BarElement, CategoryScale, Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type ChartOptions, type ChartType, type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { card, type Card } from './card';
import { h, icon, icons } from './dom';
import { withAlpha, type Palette } from './theme';
import { formatInt } from './format';
import { logTickLabel, logTicks } from './ticks';
import { button, setDisabled } from './toolkit';

export interface Point { x: number; y: number }

/** What Export PNG does with a picture: `name` is the figure's own (the page adds the run). */
export type ExportPicture = (name: string, dataUrl: string) => void;

/** A line across the chart at x = value (axis 'x') or y = value (axis 'y'), labelled on a plate of the background. */
export interface ReferenceLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
  color: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Filled behind the chart, so exported PNGs are readable outside the theme. */
    canvasBackground?: { color: string; chartType?: TType };
    referenceLines?: { lines: ReferenceLine[]; background: string; font: string; highContrast: boolean };
  }
  interface LineControllerDatasetOptions {
    /** Half-widths (in y units) of an error bar through each point; 0 draws none. */
    errorBars: number[];
  }
}

const canvasBackground: Plugin = {
  id: 'canvasBackground',
  beforeDraw(chart, _args, options: { color?: string }) {
    if (!options.color) return;
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = options.color;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

const errorBars: Plugin<'line'> = {
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const y = chart.scales.y;
    const { ctx, chartArea } = chart;
    chart.data.datasets.forEach((dataset, i) => {
      const bars = dataset.errorBars;
      if (!bars || !chart.isDatasetVisible(i)) return;
      ctx.save();
      ctx.strokeStyle = String(dataset.borderColor ?? '#888');
      ctx.lineWidth = 1.25;
      chart.getDatasetMeta(i).data.forEach((element, j) => {
        const point = dataset.data[j] as Point | undefined;
        const e = bars[j];
        if (!point || !e) return;
        // A log axis cannot place y - e <= 0: such a bar runs to the bottom of the chart.
        const low = point.y - e > 0 || y.type !== 'logarithmic' ? y.getPixelForValue(point.y - e) : chartArea.bottom;
        const [top, bottom] = [Math.max(chartArea.top, y.getPixelForValue(point.y + e)), Math.min(chartArea.bottom, low)];
        ctx.beginPath();
        ctx.moveTo(element.x, top);
        ctx.lineTo(element.x, bottom);
        for (const end of [top, bottom]) {
          ctx.moveTo(element.x - 4, end);
          ctx.lineTo(element.x + 4, end);
        }
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

const referenceLines: Plugin = {
  id: 'referenceLines',
  afterDatasetsDraw(chart, _args, options: { lines?: ReferenceLine[]; background?: string; font?: string; highContrast?: boolean }) {
    const { ctx, chartArea: { left, right, top, bottom } } = chart;
    for (const line of options.lines ?? []) {
      const scale = chart.scales[line.axis];
      if (!scale) continue;
      const at = scale.getPixelForValue(line.value);
      if (line.axis === 'x' ? at < left || at > right : at < top || at > bottom) continue;
      ctx.save();
      ctx.strokeStyle = line.color;
      ctx.lineWidth = options.highContrast ? 2 : 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      if (line.axis === 'x') {
        ctx.moveTo(at, top);
        ctx.lineTo(at, bottom);
      } else {
        ctx.moveTo(left, at);
        ctx.lineTo(right, at);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (options.font) ctx.font = options.font;
      const width = ctx.measureText(line.label).width;
      // On a plate of the background, so what is drawn behind does not swallow it.
      const [x, y] = line.axis === 'x' ? [Math.min(at + 4, right - width - 4), top + 2] : [right - width - 6, at - 18];
      ctx.fillStyle = withAlpha(options.background ?? '#000', 0.85);
      ctx.fillRect(x - 2, y, width + 8, 16);
      ctx.fillStyle = line.color;
      ctx.textBaseline = 'top';
      ctx.fillText(line.label, x + 2, y + 2);
      ctx.restore();
    }
  },
};

Chart.register(
  LineController, LineElement, PointElement, BarController, BarElement, LinearScale, LogarithmicScale, CategoryScale,
  Tooltip, Legend, Decimation, Filler, zoomPlugin, canvasBackground, errorBars as Plugin, referenceLines,
);

/** The referenceLines plugin's options for these lines in palette `p`. */
export function referenceLineOptions(p: Palette, lines: ReferenceLine[]): NonNullable<ChartOptions['plugins']>['referenceLines'] {
  return { lines, background: p.background, font: `${Math.max(11, p.fontSize - 1)}px ${p.fontFamily}`, highContrast: p.highContrast };
}

// Tests and devtools find charts with Chart.getChart(canvas), as with Chart.js's own UMD build.
(window as unknown as { Chart: typeof Chart }).Chart = Chart;

/** Defaults for what no chart sets itself (fonts above all). */
export function applyChartDefaults(p: Palette): void {
  Chart.defaults.color = p.foreground;
  Chart.defaults.borderColor = p.grid;
  Chart.defaults.font.family = p.fontFamily;
  Chart.defaults.font.size = Math.max(11, p.fontSize - 1);
}

export interface AxisOptions {
  type: 'linear' | 'logarithmic' | 'category';
  title: string;
  /** Grid lines across the chart (bars read better without vertical ones). */
  grid?: boolean;
}

/** One axis, coloured from the palette. Built whole each time, so no option of a previous axis type lingers. */
export function axis(p: Palette, o: AxisOptions): Record<string, unknown> {
  return {
    type: o.type,
    title: { display: true, text: o.title, color: p.muted },
    grid: { display: o.grid ?? true, color: p.grid, lineWidth: p.highContrast ? 1 : 0.75 },
    border: { color: p.axis },
    ticks: {
      color: p.muted, maxRotation: 0, autoSkipPadding: 10,
      ...(o.type === 'logarithmic' ? { callback: (value: number | string) => logTickLabel(Number(value)) } : {}),
    },
    ...(o.type === 'logarithmic' ? {
      afterBuildTicks: (scale: { min: number; max: number; ticks: { value: number }[] }) => {
        scale.ticks = logTicks(scale.min, scale.max).map((value) => ({ value }));
      },
    } : {}),
  };
}

export interface ChartPanelOptions<T extends ChartType> {
  /** Stable name: the canvas's data-chart, and the exported file's stem. */
  name: string;
  title: string;
  zoomable: boolean;
  onExport: ExportPicture;
  type: T;
  datasets: ChartConfiguration<T, Point[] | number[]>['data']['datasets'];
  /** The chart's own options for a palette: scales, tooltips, legend. */
  options: (p: Palette) => ChartOptions<T>;
  plugins?: Plugin<T>[];
}

type Zoomable = Pick<Chart, 'isZoomedOrPanned'>;

export class ChartPanel<T extends ChartType> {
  readonly card: Card;
  readonly canvas: HTMLCanvasElement;
  readonly chart: Chart<T, Point[] | number[]>;
  private readonly reset: HTMLElement | undefined;

  constructor(private readonly o: ChartPanelOptions<T>, private palette: Palette) {
    this.canvas = h('canvas', { 'data-chart': o.name, role: 'img', 'aria-label': o.title });
    const actions: HTMLElement[] = [];
    if (o.zoomable) {
      this.reset = button('Reset zoom', { appearance: 'icon', icon: icon(icons.zoomReset), className: 'reset-zoom', onClick: () => this.chart.resetZoom('none') });
      setDisabled(this.reset, true);
      actions.push(this.reset);
    }
    actions.push(button('Export PNG', { appearance: 'icon', icon: icon(icons.download), className: 'export-png', onClick: () => this.exportPng() }));
    this.card = card(o.title, actions, 'chart-card');
    this.card.body.append(h('div', { class: 'chart-box' }, this.canvas));
    const zoomState: Plugin<T> = { id: 'zoomState', afterUpdate: (chart) => this.syncResetButton(chart) };
    this.chart = new Chart<T, Point[] | number[]>(this.canvas, {
      type: o.type,
      data: { datasets: o.datasets },
      options: this.options(),
      plugins: [...(o.plugins ?? []), zoomState],
    });
  }

  /** Rebuilds the options (after a theme or axis change); the caller updates the chart. */
  restyle(palette: Palette = this.palette): void {
    this.palette = palette;
    if (this.chart.isZoomedOrPanned()) this.chart.resetZoom('none');
    this.chart.options = this.options();
  }

  private options(): ChartOptions<T> {
    const p = this.palette;
    // Chart.js's option types do not narrow through a generic chart type; the parts read here are common to all.
    const own = this.o.options(p) as ChartOptions;
    const plugins = own.plugins ?? {};
    const zoomed = ({ chart }: { chart: Zoomable }): void => this.syncResetButton(chart);
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...own,
      plugins: {
        ...plugins,
        legend: { ...plugins.legend, labels: { boxWidth: 14, boxHeight: 2, padding: 12, ...plugins.legend?.labels, color: p.foreground } },
        tooltip: {
          ...plugins.tooltip, backgroundColor: p.tooltipBackground, titleColor: p.tooltipForeground, bodyColor: p.tooltipForeground,
          borderColor: p.tooltipBorder, borderWidth: 1, padding: 8, boxPadding: 4,
        },
        canvasBackground: { color: p.background },
        zoom: this.o.zoomable ? {
          zoom: {
            // A plain wheel scrolls the page; zooming takes Ctrl, as in most plotting tools inside scrollable pages.
            wheel: { enabled: true, modifierKey: 'ctrl', speed: 0.15 },
            drag: { enabled: true, threshold: 6, backgroundColor: withAlpha(p.focus, 0.15), borderColor: p.focus, borderWidth: 1 },
            pinch: { enabled: true },
            mode: 'xy',
            onZoomComplete: zoomed,
          },
          pan: { enabled: true, modifierKey: 'shift', mode: 'xy', onPanComplete: zoomed },
        } : { zoom: { wheel: { enabled: false }, drag: { enabled: false }, pinch: { enabled: false } }, pan: { enabled: false } },
      },
    } as ChartOptions<T>;
  }

  private syncResetButton(chart: Zoomable): void {
    if (this.reset) setDisabled(this.reset, !chart.isZoomedOrPanned());
  }

  private exportPng(): void {
    this.o.onExport(this.o.name, this.chart.toBase64Image('image/png', 1));
  }
}

function maxX(data: readonly unknown[]): number {
  let m = -Infinity;
  for (const p of data) if (typeof p === 'object' && p !== null && (p as Point).x > m) m = (p as Point).x;
  return m;
}

/**
 * Replaces the line data of `chart` and redraws once, without animation. When
 * the user has zoomed to a window that shows the newest point, the window
 * slides along so new points stay in view; a window on the past stays put.
 */
export function setLineData(chart: Chart<'line', Point[] | number[]>, series: readonly Point[][]): void {
  const before = Math.max(...chart.data.datasets.map((d) => maxX(d.data)));
  series.forEach((points, i) => void (chart.data.datasets[i].data = points));
  const after = Math.max(...series.map(maxX));
  const x = chart.scales.x;
  if (chart.isZoomedOrPanned() && x && Number.isFinite(before) && after > before && x.max >= before) {
    const shift = after - before;
    chart.zoomScale('x', { min: x.min + shift, max: x.max + shift }, 'none');
  } else {
    chart.update('none');
  }
}

export interface LineOptions {
  x: AxisOptions;
  y: AxisOptions;
  /** Tooltip heading for the hovered x value. */
  describeX: (x: number) => string;
  describeY: (y: number) => string;
  legend: boolean;
}

/** A log K axis with its ticks at the Ks measured (whatever their decades), labelled as integers. */
export function ticksAtKs(x: Record<string, unknown> | undefined, ks: () => readonly number[]): Record<string, unknown> {
  return {
    ...x,
    ticks: { ...(x?.ticks as object), callback: (v: number | string) => formatInt(Number(v)) },
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => void (scale.ticks = ks().map((value) => ({ value }))),
  };
}

/** Options of every line chart here. */
export function lineOptions(p: Palette, o: LineOptions): ChartOptions<'line'> {
  return {
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 4, hitRadius: 6 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: { x: axis(p, o.x), y: { ...axis(p, o.y), ticks: { ...(axis(p, o.y).ticks as object), maxTicksLimit: 7 } } },
    plugins: {
      legend: { display: o.legend, position: 'top', align: 'end' },
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? o.describeX(items[0].parsed.x ?? 0) : ''),
          label: (item) => ` ${item.dataset.label ?? ''}: ${o.describeY(item.parsed.y ?? 0)}`,
        },
      },
      decimation: { enabled: true, algorithm: 'lttb', samples: 1000 },
    },
  };
}
