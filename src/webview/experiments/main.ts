// The experiment dashboard webview: a table of every run and a chart comparing
// the runs ticked in it, and the K studies beside them (studyView.ts). Says
// `ready`, then draws what the host sends; asks the host for the curves of
// whatever selection the user makes, and shows the answer to the latest
// question only.
import '../common/zodJitless';
import { ExperimentsProtocol, MAX_COMPARED, type RunCurves, type RunRow, type StudyRow } from '../../shared/experimentsProtocol';
import { applyChartDefaults } from '../common/charts';
import { h } from '../common/dom';
import { connectHost } from '../common/hostLink';
import { frameScheduler } from '../common/scheduler';
import { readPalette, watchTheme } from '../common/theme';
import { registerToolkit, showTab, tabs } from '../common/toolkit';
import { COLUMNS, type SortOrder } from './columns';
import { CompareChart, RUN_COLOURS } from './compareChart';
import { RunTable } from './runTable';
import { StudyView } from './studyView';

interface ViewState {
  selected: string[];
  sort: SortOrder;
  filter: string;
  tab: 'runs' | 'studies';
  /** The K study shown. */
  study?: string;
}

registerToolkit();
const link = connectHost(ExperimentsProtocol);
const saved = link.state() as Partial<ViewState> | undefined;
const view: ViewState = {
  selected: Array.isArray(saved?.selected) ? saved.selected.filter((s): s is string => typeof s === 'string').slice(0, MAX_COMPARED) : [],
  sort: saved?.sort && COLUMNS.some((c) => c.id === saved.sort?.column) ? saved.sort : { column: 'nll', descending: false },
  filter: typeof saved?.filter === 'string' ? saved.filter : '',
  tab: saved?.tab === 'studies' ? 'studies' : 'runs',
  ...(typeof saved?.study === 'string' ? { study: saved.study } : {}),
};
/** Nothing saved: the first list of runs chooses what to show. */
let firstList = saved === undefined || saved === null;
let runs: RunRow[] = [];
let studies: StudyRow[] = [];
let runsFolder = '';
const curves = new Map<string, RunCurves>();
let palette = readPalette();
applyChartDefaults(palette);

const save = (): void => link.saveState(view);
const colourOf = (id: string): (typeof RUN_COLOURS)[number] | undefined => {
  const i = view.selected.indexOf(id);
  return i < 0 ? undefined : RUN_COLOURS[i % RUN_COLOURS.length];
};

const chart = new CompareChart(palette, link.exportPicture(() => 'latent-lab-runs'));
const table = new RunTable({
  onSort: (order) => {
    view.sort = order;
    save();
    schedule();
  },
  onToggle: (id, on) => {
    view.selected = on ? [...view.selected.filter((s) => s !== id), id].slice(-MAX_COMPARED) : view.selected.filter((s) => s !== id);
    save();
    void requestCurves();
    schedule();
  },
  onAction: (action, id) => link.post({ type: 'runAction', action, id }),
});
const filter = h('input', { type: 'search', class: 'filter', placeholder: 'Filter by name, tag, status, objective', 'aria-label': 'Filter runs', value: view.filter });
filter.addEventListener('input', () => {
  view.filter = filter.value;
  save();
  schedule();
});
const clear = h('button', { type: 'button', class: 'row-action', title: 'Compare nothing' }, 'Clear selection');
clear.addEventListener('click', () => {
  view.selected = [];
  save();
  void requestCurves();
  schedule();
});
const studyView = new StudyView(palette, {
  onSelect: (id) => {
    view.study = id;
    save();
    schedule();
  },
  onStudyAction: (action, id) => link.post({ type: 'studyAction', action, id }),
  onRunAction: (action, id) => link.post({ type: 'runAction', action, id }),
  onExport: link.exportPicture(() => view.study ?? 'k-study'),
});
const noStudies = h('section', { class: 'empty-state standalone-note', hidden: true },
  h('h1', {}, 'No K study yet'),
  h('p', {}, 'Latent Lab: Run K Study trains one run per objective, K and seed, evaluates each on the same test examples and states what the runs show, with the errors that decide it.'));
const folderLine = h('p', { class: 'runs-folder' });
const emptyState = h('section', { class: 'empty-state', hidden: true },
  h('div', { class: 'empty-mark', 'aria-hidden': 'true' }),
  h('h1', {}, 'No runs yet'),
  h('p', {}, 'Runs appear here as soon as Train IWAE or Train VAE writes them to the runs folder.'));
const panels = tabs([
    {
      id: 'runs', label: 'Runs', content: h('div', { class: 'view runs-view' },
        chart.element,
        h('div', { class: 'toolbar' }, filter, clear, h('span', { class: 'toolbar-hint' }, `Tick up to ${MAX_COMPARED} runs to compare; double-click a run to inspect its checkpoint.`)),
        table.element),
    },
    { id: 'studies', label: 'K studies', content: h('div', { class: 'view studies-view' }, noStudies, studyView.element) },
  ], view.tab, (tab) => {
    view.tab = tab;
    save();
  });
const content = h('div', { class: 'experiments' }, h('header', { class: 'experiments-header' }, h('h1', {}, 'Experiments'), folderLine), panels);
document.getElementById('app')?.append(emptyState, content);

/** Counts the questions asked: an answer to any but the last is out of date. */
let asked = 0;

async function requestCurves(): Promise<void> {
  const question = ++asked;
  try {
    const answer = await link.request({ type: 'compare', ids: view.selected });
    if (question !== asked) return;
    curves.clear();
    for (const c of answer.curves) curves.set(c.id, c);
    schedule();
  } catch (err) {
    console.warn(`[latent-lab] no curves for ${view.selected.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What the table was last drawn from. */
let tableShown: unknown[] = [];

function draw(): void {
  const started = performance.now();
  const known = new Set(runs.map((r) => r.id));
  emptyState.hidden = runs.length > 0 || studies.length > 0;
  content.hidden = runs.length === 0 && studies.length === 0;
  folderLine.textContent = runsFolder;
  folderLine.title = runsFolder;
  // Curves come a round trip after the list: their answer redraws the chart, not a thousand rows.
  const tableInputs = [runs, view.sort, view.selected.join('\n'), view.filter];
  if (tableInputs.some((v, i) => v !== tableShown[i])) table.render(runs, view.sort, new Set(view.selected), view.filter, colourOf);
  tableShown = tableInputs;
  const byId = new Map(runs.map((r) => [r.id, r]));
  chart.show(view.selected.filter((id) => known.has(id) && curves.has(id)).map((id) => ({
    curves: curves.get(id) as RunCurves, name: byId.get(id)?.name ?? id, colour: colourOf(id) ?? 'blue',
  })), palette);
  noStudies.hidden = studies.length > 0;
  studyView.render(studies, view.study, runs);
  document.body.dataset.rendered = String(runs.length);
  // Read by bench/experiments-render.mjs to split script time from the browser's layout and paint.
  performance.measure('experiments:draw', { start: started });
}
const schedule = frameScheduler(draw);

watchTheme(() => {
  palette = readPalette();
  applyChartDefaults(palette);
  chart.restyle(palette);
  studyView.restyle(palette);
  schedule();
});

link.listen((message) => {
  switch (message.type) {
    case 'runs': {
      runs = message.runs;
      runsFolder = message.runsFolder;
      studies = message.studies ?? [];
      const known = new Set(runs.map((r) => r.id));
      const kept = view.selected.filter((id) => known.has(id));
      if (firstList && runs.length > 0) {
        // Newest runs that have curves to show make a useful first picture.
        view.selected = runs.filter((r) => (r.epochs ?? 0) > 0).slice(0, 3).map((r) => r.id);
        firstList = false;
      } else {
        view.selected = kept;
      }
      save();
      // Curves change on disk as runs train: ask again whenever the list changes.
      void requestCurves();
      break;
    }
    case 'select':
      view.selected = message.ids;
      firstList = false;
      save();
      void requestCurves();
      break;
    case 'selectStudy':
      view.study = message.id;
      view.tab = 'studies';
      showTab(panels, 'studies');
      save();
      break;
  }
  schedule();
});
