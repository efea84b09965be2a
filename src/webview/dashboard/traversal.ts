// Controls of the latent traversal: which top-layer units (the most active,
// chosen by the engine, or typed) and the range swept; Apply asks the host.
import type { FromWebview } from '../../shared/protocol';
import { h } from '../common/dom';
import { button, checkbox, dropdown, textField, type Checkbox, type TextField } from '../common/toolkit';
import { formatDims, parseDims } from './dims';
import type { ViewSettings } from './settings';

const RANGES = ['1', '1.5', '2', '2.5', '3', '4', '5'] as const;
type Range = (typeof RANGES)[number];

export class TraversalControls {
  readonly element: HTMLElement;
  private readonly auto: Checkbox;
  private readonly dims: TextField;
  private readonly error = h('span', { class: 'field-error', role: 'alert' });
  private range: Range;
  /** Top-layer dimensions, once active units have been reported. */
  private count: number | undefined;

  constructor(settings: ViewSettings, change: (patch: Partial<ViewSettings>) => void, post: (m: FromWebview) => void) {
    this.range = RANGES.find((r) => Number(r) === settings.traversalRange) ?? '3';
    this.auto = checkbox('Most active units', settings.traversalAuto, (traversalAuto) => {
      this.dims.setDisabled(traversalAuto);
      this.error.textContent = '';
      change({ traversalAuto });
    });
    this.dims = textField('Dimensions to traverse', formatDims(settings.traversalDims), 'e.g. 0, 3, 7-9', () => void (this.error.textContent = ''));
    this.dims.setDisabled(settings.traversalAuto);
    const range = dropdown('Range swept', RANGES.map((r) => ({ value: r, label: `±${r}` })), this.range, (r) => {
      this.range = r;
      change({ traversalRange: Number(r) });
    });
    const apply = button('Apply', {
      appearance: 'primary', className: 'apply-traversal',
      onClick: () => {
        const parsed = this.auto.checked ? { dims: [] } : parseDims(this.dims.value, this.count);
        if ('error' in parsed) {
          this.error.textContent = parsed.error;
          return;
        }
        if (!this.auto.checked) this.dims.value = formatDims(parsed.dims);
        change({ traversalDims: parsed.dims });
        post({ type: 'traversal', dims: parsed.dims, range: Number(this.range) });
      },
    });
    this.element = h('div', { class: 'toolbar traversal-controls' },
      this.auto.element,
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Dimensions'), this.dims.element),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Range'), range.element),
      apply, this.error);
  }

  setDimensionCount(count: number | undefined): void {
    this.count = count;
  }
}
