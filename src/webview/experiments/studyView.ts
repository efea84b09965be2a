// The experiment dashboard's K studies: one study at a time, chosen from the
// list; its plan and progress, Stop or Resume; once every run is trained and
// evaluated, per objective against K the test NLL (95% error bars over the
// test examples, and between seeds), the difference from the baseline paired
// over the same examples, the active units and the train/held-out gap; the
// findings as sentences with their verdicts; and the study's runs.
import type { RunAction, RunRow, StudyRow } from '../../shared/experimentsProtocol';
import type { StudyObjective } from '../../shared/study';
import { ChartPanel, lineOptions, referenceLineOptions, setLineData, ticksAtKs, type ExportPicture } from '../common/charts';
import { card } from '../common/card';
import { h } from '../common/dom';
import { formatInt, formatValue } from '../common/format';
import type { Palette } from '../common/theme';
import { button, dropdown, setDisabled, type Dropdown } from '../common/toolkit';
import { describePlan, findingLines, studySeries, type ObjectiveSeries } from './studySeries';

const COLOURS: Record<StudyObjective, 'orange' | 'blue'> = { vae: 'orange', iwae: 'blue' };

export interface StudyViewOptions {
  onSelect(id: string): void;
  onStudyAction(action: 'stop' | 'resume', id: string): void;
  onRunAction(action: RunAction, id: string): void;
  onExport: ExportPicture;
}

interface Chart {
  panel: ChartPanel<'line'>;
  series: (s: ReturnType<typeof studySeries>) => ObjectiveSeries[];
}

export class StudyView {
  readonly element: HTMLElement;
  private readonly header = h('div', { class: 'study-header' });
  private readonly progress = h('p', { class: 'study-progress' });
  private readonly findings = h('ul', { class: 'findings' });
  private readonly runsBody = h('tbody');
  private readonly charts: Chart[];
  private readonly resultsBox: HTMLElement;
  private readonly stop: HTMLElement;
  private readonly resume: HTMLElement;
  private picker: Dropdown<string> | undefined;
  private pickerIds = '';
  private shown: { study?: StudyRow; runs?: readonly RunRow[] } = {};
  private ks: number[] = [];
  private palette: Palette;

  constructor(palette: Palette, private readonly o: StudyViewOptions) {
    this.palette = palette;
    const chart = (name: string, title: string, yTitle: string, series: Chart['series'], zeroLine = false): Chart => ({
      series,
      panel: new ChartPanel<'line'>({
        name, title, zoomable: false, onExport: o.onExport, type: 'line', datasets: [],
        options: (p) => {
          const base = lineOptions(p, {
            x: { type: 'logarithmic', title: 'K (log)' }, y: { type: 'linear', title: yTitle },
            describeX: (k) => `K = ${formatInt(k)}`, describeY: formatValue, legend: true,
          });
          const lines = zeroLine ? [{ axis: 'y' as const, value: 0, label: 'no difference', color: p.muted }] : [];
          // Where zero is matters on the difference chart: a bar that reaches it leaves the finding unresolved.
          const y = zeroLine ? { ...base.scales?.y, beginAtZero: true } : base.scales?.y;
          return { ...base, scales: { ...base.scales, x: ticksAtKs(base.scales?.x, () => this.ks), y }, plugins: { ...base.plugins, referenceLines: referenceLineOptions(p, lines) } };
        },
      }, palette),
    });
    this.charts = [
      chart('study-nll', 'Test NLL against K', 'test NLL (nats, lower is better)', (s) => s.nll),
      chart('study-gain', 'Below the baseline, paired', 'baseline NLL − NLL (nats)', (s) => s.gain, true),
      chart('study-units', 'Active units against K', 'active units (first layer)', (s) => s.activeUnits),
      chart('study-gap', 'Train / held-out gap', 'train bound − held-out bound (nats)', (s) => s.overfitting),
    ];
    this.charts[0].panel.card.setNote('Error bars: 95%, over the test examples (the same for every run) and, with several seeds, between seeds.');
    this.charts[1].panel.card.setNote('Each objective\'s test NLL below the baseline\'s at the same K; error bars from the paired standard error over the same test examples (and between seeds). Where a bar crosses zero the finding is not resolved.');
    this.charts[3].panel.card.setNote('The last epoch\'s training bound minus the same bound on held-out examples: overfitting.');
    this.stop = button('Stop', { appearance: 'secondary', className: 'study-stop', title: 'Stop every run of the study after its current step (saved)', onClick: () => this.act('stop') });
    this.resume = button('Resume', { appearance: 'primary', className: 'study-resume', title: 'Continue the study with its own plan', onClick: () => this.act('resume') });
    const findingsCard = card('Findings');
    findingsCard.body.append(this.findings);
    const runsCard = card('Runs of the study');
    runsCard.body.append(h('table', { class: 'runs-table study-runs' },
      h('thead', {}, h('tr', {}, ...['Run', 'Objectives', 'K', 'Seed', 'Status', 'Epochs', 'Test NLL'].map((t) => h('th', { scope: 'col', class: ['K', 'Seed', 'Epochs', 'Test NLL'].includes(t) ? 'num' : '' }, t)), h('th', { scope: 'col' }))),
      this.runsBody));
    this.runsBody.addEventListener('click', (e) => {
      const id = (e.target as Element).closest<HTMLElement>('button[data-run]')?.dataset.run;
      if (id) this.o.onRunAction('openInspector', id);
    });
    this.resultsBox = h('div', { class: 'study-results' }, h('div', { class: 'grid two' }, ...this.charts.map((c) => c.panel.card.element)), findingsCard.element);
    this.element = h('div', { class: 'study-view' }, this.header, this.progress, this.resultsBox, runsCard.element);
  }

  private act(action: 'stop' | 'resume'): void {
    const id = this.shown.study?.id;
    if (!id) return;
    setDisabled(action === 'stop' ? this.stop : this.resume, true);
    this.o.onStudyAction(action, id);
  }

  /** Draws `selected` of `studies` (or the first); `runs` gives its runs' status. */
  render(studies: readonly StudyRow[], selected: string | undefined, runs: readonly RunRow[]): void {
    const study = studies.find((s) => s.id === selected) ?? studies[0];
    this.renderPicker(studies, study?.id);
    if (study === this.shown.study && runs === this.shown.runs) return;
    this.shown = { study, runs };
    this.element.hidden = !study;
    if (!study) return;
    const m = study.manifest;
    const status = study.active ? 'running' : m.status === 'running' ? 'stopped' : m.status;
    this.stop.hidden = !study.active;
    this.resume.hidden = status === 'finished' || study.active;
    setDisabled(this.stop, false);
    setDisabled(this.resume, false);
    this.header.replaceChildren(
      h('div', { class: 'run-line' }, this.picker?.element ?? '', h('span', { class: `status status-${status}` }, status), h('div', { class: 'run-actions' }, this.stop, this.resume)),
      h('p', { class: 'study-plan' }, describePlan(m)));
    const byId = new Map(runs.map((r) => [r.id, r]));
    const trained = study.runIds.filter((id) => byId.get(id)?.status === 'finished').length;
    const waiting = m.results ? '' : status === 'failed' ? ` · ${m.message ?? 'failed'}` : ' · the findings appear once every run is trained and evaluated';
    this.progress.textContent = `${trained} of ${study.runIds.length} runs trained${m.results ? ` · ${formatInt(m.results.examples)} test examples, every run evaluated on the same` : ''}${waiting}`;
    this.resultsBox.hidden = !m.results;
    if (m.results) this.renderResults(study);
    this.renderRuns(study, byId);
  }

  private renderPicker(studies: readonly StudyRow[], id: string | undefined): void {
    const ids = studies.map((s) => s.id).join('\n');
    if (ids !== this.pickerIds) {
      this.pickerIds = ids;
      this.picker = studies.length ? dropdown('K study', studies.map((s) => ({ value: s.id, label: s.id })), id ?? studies[0].id, (value) => this.o.onSelect(value)) : undefined;
    }
    if (id) this.picker?.set(id);
  }

  private renderResults(study: StudyRow): void {
    const s = studySeries(study.manifest);
    this.ks = [...study.manifest.plan.ks].sort((a, b) => a - b);
    const p = this.palette;
    for (const c of this.charts) {
      const series = c.series(s);
      c.panel.chart.data.datasets = series.map((line) => ({
        label: line.objective.toUpperCase(), data: [], errorBars: line.errors, borderColor: p[COLOURS[line.objective]], backgroundColor: p[COLOURS[line.objective]],
        borderWidth: p.highContrast ? 3 : 2, pointRadius: 4,
      }));
      c.panel.restyle(p);
      setLineData(c.panel.chart, series.map((line) => line.points));
      c.panel.card.setPlaceholder(series.some((line) => line.points.length) ? null : 'Nothing to compare: the study has one objective.');
    }
    this.charts[0].panel.card.setSubtitle(`−L${study.manifest.plan.evalK}, mean over ${study.manifest.plan.seeds.length} seed${study.manifest.plan.seeds.length > 1 ? 's' : ''}`);
    this.findings.replaceChildren(...findingLines(study.manifest).map((f) => h('li', { class: 'finding' },
      h('span', { class: `verdict verdict-${f.verdict.replace(/ /g, '-')}` }, f.verdict), h('span', { class: 'finding-text' }, f.text))));
  }

  private renderRuns(study: StudyRow, byId: Map<string, RunRow>): void {
    const cells = study.manifest.cells;
    this.runsBody.replaceChildren(...cells.map((c, i) => {
      const id = study.runIds[i];
      const r = byId.get(id);
      const status = r?.status ?? 'not started';
      return h('tr', { 'data-id': id },
        h('td', { class: 'name-cell', title: id }, c.run),
        h('td', {}, c.objectives.map((o) => o.toUpperCase()).join(' = ')),
        h('td', { class: 'num' }, String(c.k)),
        h('td', { class: 'num' }, String(c.seed)),
        h('td', {}, h('span', { class: `status status-${r?.status ?? 'unknown'}` }, status)),
        h('td', { class: 'num' }, r?.epochs === undefined ? '—' : `${r.epochs}${r.totalEpochs ? ` / ${r.totalEpochs}` : ''}`),
        h('td', { class: 'num', title: 'The run\'s own final evaluation (its evalK and examples); the study evaluates every run again on the same examples' }, r?.testNll === undefined ? '—' : r.testNll.toFixed(2)),
        h('td', { class: 'actions-col' }, h('button', { type: 'button', class: 'row-action', 'data-run': id, disabled: !r?.hasCheckpoint, title: 'Open the checkpoint inspector' }, 'Inspect')));
    }));
  }

  /** After a theme change: the next render draws everything again in `p`'s colours. */
  restyle(p: Palette): void {
    this.palette = p;
    this.shown = {};
    for (const c of this.charts) c.panel.restyle(p);
  }
}
