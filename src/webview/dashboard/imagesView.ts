// The Images tab: held-out digits above their reconstructions, prior samples
// and latent traversals, each row labelled, each panel exportable as PNG.
import type { ImageGrid } from '../../shared/events';
import type { FromWebview } from '../../shared/protocol';
import { card, type Card } from '../common/card';
import type { ExportPicture } from '../common/charts';
import { h, icon, icons } from '../common/dom';
import { formatInt } from '../common/format';
import { drawImageGrid, gridRow } from '../common/images';
import { button } from '../common/toolkit';
import type { ViewSettings } from './settings';
import type { DashboardState } from './state';
import { TraversalControls } from './traversal';

interface GridPanel {
  card: Card;
  rows: HTMLElement;
}

export class ImagesView {
  readonly element: HTMLElement;
  private readonly reconstructions: GridPanel;
  private readonly samples: GridPanel;
  private readonly traversals: GridPanel;
  private readonly traversalControls: TraversalControls;
  private readonly step = h('span', { class: 'toolbar-hint' });
  private shown: DashboardState['images'] | undefined;

  constructor(settings: ViewSettings, change: (patch: Partial<ViewSettings>) => void, post: (m: FromWebview) => void, private readonly onExport: ExportPicture) {
    this.reconstructions = this.panel('reconstructions', 'Reconstructions', 'held-out examples above their reconstructions');
    this.samples = this.panel('samples', 'Prior samples', 'z ~ p(z), decoded to E[x | z]');
    this.traversals = this.panel('traversals', 'Latent traversals', 'one unit swept per row, the others at 0');
    this.traversalControls = new TraversalControls(settings, change, post);
    this.traversals.card.element.insertBefore(this.traversalControls.element, this.traversals.card.body);
    this.element = h('div', { class: 'view images' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Images' },
        button('Refresh images', { appearance: 'secondary', className: 'refresh-images', onClick: () => post({ type: 'refreshImages' }) }),
        this.step),
      h('div', { class: 'grid two' }, this.reconstructions.card.element, this.samples.card.element),
      this.traversals.card.element);
  }

  private panel(name: string, title: string, subtitle: string): GridPanel {
    const rows = h('div', { class: 'image-rows', 'data-grid': name });
    const exportPng = button('Export PNG', {
      appearance: 'icon', icon: icon(icons.download), className: 'export-png',
      onClick: () => this.exportGrid(name, rows),
    });
    const c = card(title, [exportPng], 'image-card');
    c.setSubtitle(subtitle);
    c.body.append(rows);
    return { card: c, rows };
  }

  /** The panel's rows stacked into one picture, as they are shown. */
  private exportGrid(name: string, rows: HTMLElement): void {
    const canvases = [...rows.querySelectorAll('canvas')];
    if (canvases.length === 0) return;
    const out = document.createElement('canvas');
    out.width = Math.max(...canvases.map((c) => c.width));
    out.height = canvases.reduce((sum, c) => sum + c.height, 0) + 4 * (canvases.length - 1);
    const ctx = out.getContext('2d');
    if (!ctx) return;
    let y = 0;
    for (const c of canvases) {
      ctx.drawImage(c, 0, y);
      y += c.height + 4;
    }
    this.onExport(name, out.toDataURL('image/png'));
  }

  render(state: DashboardState): void {
    this.traversalControls.setDimensionCount(state.activeUnits?.variances.at(-1)?.length);
    const images = state.images;
    if (images === this.shown) return;
    this.shown = images;
    this.step.textContent = images ? `Drawn at step ${formatInt(images.step)}` : '';
    const none = images ? null : 'Images are drawn after each epoch, or now with Refresh images.';
    for (const p of [this.reconstructions, this.samples, this.traversals]) p.card.setPlaceholder(none);
    if (!images) return;
    fillRows(this.reconstructions.rows, images.reconstructions, ['data', 'recon']);
    fillRows(this.samples.rows, images.samples, []);
    fillRows(this.traversals.rows, images.traversals, images.traversalDims.map((d) => `z${d}`));
    if (images.traversals.rows === 0) this.traversals.card.setPlaceholder('No traversal in these images.');
  }
}

function fillRows(container: HTMLElement, grid: ImageGrid, labels: readonly string[]): void {
  container.replaceChildren(...Array.from({ length: grid.rows }, (_, r) => {
    const canvas = h('canvas', { class: 'image-grid', 'data-row': r, role: 'img', 'aria-label': labels[r] ?? `row ${r + 1}` });
    drawImageGrid(canvas, gridRow(grid, r));
    return h('div', { class: 'image-row' }, labels.length ? h('span', { class: 'row-label' }, labels[r] ?? '') : null, canvas);
  }));
}
