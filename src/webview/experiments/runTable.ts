// The runs table: sortable headers, a checkbox per run to choose what the chart
// compares, and per-run actions. One delegated listener per kind of event and a
// plain <table> keep the DOM light enough to rebuild whole for a hundred runs.
import type { RunAction, RunRow } from '../../shared/experimentsProtocol';
import { h } from '../common/dom';
import { COLUMNS, matches, sortRows, type ColumnId, type SortOrder } from './columns';

export interface RunTableOptions {
  onSort(order: SortOrder): void;
  onToggle(id: string, selected: boolean): void;
  onAction(action: RunAction, id: string): void;
}

const ACTIONS: readonly { action: RunAction; label: string; title: string; needsCheckpoint?: boolean }[] = [
  { action: 'openInspector', label: 'Inspect', title: 'Open the checkpoint inspector', needsCheckpoint: true },
  { action: 'openDashboard', label: 'Live', title: 'Show this run in the live dashboard' },
  { action: 'rename', label: 'Rename', title: 'Give the run a name (kept in labels.json)' },
  { action: 'tag', label: 'Tag', title: 'Set the run\'s tags' },
  { action: 'delete', label: 'Delete', title: 'Move the run folder to the trash' },
];

export class RunTable {
  readonly element: HTMLElement;
  private readonly head = h('thead');
  private readonly body = h('tbody');
  private readonly count = h('span', { class: 'table-count' });

  constructor(private readonly o: RunTableOptions) {
    this.element = h('div', { class: 'runs-table-box' }, h('table', { class: 'runs-table' }, this.head, this.body), this.count);
    this.head.addEventListener('click', (e) => {
      const th = (e.target as Element).closest<HTMLElement>('th[data-column]');
      if (th) this.o.onSort({ column: th.dataset.column as ColumnId, descending: th.getAttribute('aria-sort') === 'ascending' });
    });
    this.body.addEventListener('change', (e) => {
      const box = e.target as HTMLInputElement;
      const id = box.closest<HTMLElement>('tr')?.dataset.id;
      if (id && box.type === 'checkbox') this.o.onToggle(id, box.checked);
    });
    this.body.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
      const id = button?.closest<HTMLElement>('tr')?.dataset.id;
      if (button && id && !button.disabled) this.o.onAction(button.dataset.action as RunAction, id);
    });
    this.body.addEventListener('dblclick', (e) => {
      const row = (e.target as Element).closest<HTMLElement>('tr');
      if (row?.dataset.id && !(e.target as Element).closest('button, input')) this.o.onAction('openInspector', row.dataset.id);
    });
  }

  render(runs: readonly RunRow[], order: SortOrder, selected: ReadonlySet<string>, filter: string, colourOf: (id: string) => string | undefined): void {
    this.head.replaceChildren(h('tr', {},
      h('th', { class: 'select-col', scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Compare')),
      ...COLUMNS.map((c) => h('th', {
        scope: 'col', 'data-column': c.id, title: c.title, class: c.numeric ? 'num sortable' : 'sortable', tabindex: 0,
        'aria-sort': c.id === order.column ? (order.descending ? 'descending' : 'ascending') : 'none',
      }, c.label)),
      h('th', { scope: 'col', class: 'actions-col' }, h('span', { class: 'visually-hidden' }, 'Actions'))));
    const shown = sortRows(runs.filter((r) => matches(r, filter)), order);
    const rows = document.createDocumentFragment();
    for (const r of shown) rows.append(this.row(r, selected.has(r.id), colourOf(r.id)));
    this.body.replaceChildren(rows);
    const total = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
    this.count.textContent = shown.length === runs.length ? total : `${shown.length} of ${total}`;
  }

  private row(r: RunRow, isSelected: boolean, colour: string | undefined): HTMLElement {
    const swatch = h('span', { class: `swatch${colour ? ` swatch-${colour}` : ''}`, 'aria-hidden': 'true' });
    const cells = COLUMNS.map((c) => {
      if (c.id === 'name') {
        return h('td', { class: 'name-cell', title: r.reason ? `${r.id}\n${r.reason}` : r.id },
          swatch, h('span', { class: 'run-name' }, r.name), ...r.tags.map((t) => h('span', { class: 'tag' }, t)));
      }
      if (c.id === 'status') return h('td', {}, h('span', { class: `status status-${r.status}`, title: r.reason }, r.status));
      return h('td', { class: c.numeric ? 'num' : '' }, c.text(r));
    });
    return h('tr', { 'data-id': r.id, class: isSelected ? 'selected' : '' },
      h('td', { class: 'select-col' }, h('input', { type: 'checkbox', checked: isSelected, 'aria-label': `Compare ${r.name}` })),
      ...cells,
      h('td', { class: 'actions-col' }, ...ACTIONS.map((a) => h('button', {
        type: 'button', class: 'row-action', 'data-action': a.action, title: a.title, disabled: a.needsCheckpoint && !r.hasCheckpoint,
      }, a.label))));
  }
}
