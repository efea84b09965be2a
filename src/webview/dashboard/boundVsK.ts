// The final evaluation's picture of K on the Latent units tab: how L_K on
// held-out points grows with the number of samples K, with the 1/K fit, its
// asymptote and JVI (the gap between K = 1, the ELBO, and large K is what IWAE
// training buys), and how evenly the examples' weights share their mass.
import { BoundVsKPanel } from '../common/boundVsKPanel';
import type { ExportPicture } from '../common/charts';
import { h } from '../common/dom';
import { formatInt } from '../common/format';
import type { Palette } from '../common/theme';
import { WeightHistograms } from '../common/weightHistograms';
import { boundVsKData } from './series';
import type { ViewSettings } from './settings';
import type { DashboardState } from './state';

export class BoundVsKView {
  readonly element: HTMLElement;
  private readonly bound: BoundVsKPanel;
  private readonly histograms: WeightHistograms;
  private shown: { event?: DashboardState['boundVsK']; yAxis?: ViewSettings['yAxis'] } = {};

  constructor(palette: Palette, onExport: ExportPicture) {
    this.bound = new BoundVsKPanel(palette, onExport);
    this.histograms = new WeightHistograms(palette, onExport);
    this.element = h('div', { class: 'log-weights' }, this.bound.panel.card.element, this.histograms.element);
  }

  paint(p: Palette): void {
    this.bound.paint(p);
    this.histograms.paint(p);
  }

  render(state: DashboardState, settings: ViewSettings): void {
    const event = state.boundVsK;
    if (event === this.shown.event && settings.yAxis === this.shown.yAxis) return;
    this.shown = { event, yAxis: settings.yAxis };
    this.bound.show(event ? boundVsKData(event) : undefined, settings.yAxis, 'Bound vs K is measured in the final evaluation, after the last epoch.',
      event ? `held-out points · step ${formatInt(event.step)}` : '');
    const weights = event?.analysis?.weights;
    if (weights) this.histograms.show(weights, weights.essFraction.histogram.counts.reduce((a, b) => a + b, 0), '');
    else this.histograms.hide();
  }
}
