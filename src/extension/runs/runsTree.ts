// The "Runs" tree in the Latent Lab activity bar container: one item per K
// study, holding its runs, then one per run of no study; refreshed by the runs
// model's change event.
import * as vscode from 'vscode';
import { EXPERIMENT_COMMANDS } from '../experiments/experimentIds';
import type { RunEntry } from './runEntry';
import type { RunsWorkspace } from './runsWorkspace';
import type { StudyEntry } from './studyEntry';

type Item = RunEntry | StudyEntry;
const isStudy = (item: Item): item is StudyEntry => 'runIds' in item;

const STATUS_ICONS: Record<RunEntry['status'], [string, string?]> = {
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'charts.green'],
  stopped: ['debug-pause', 'charts.yellow'],
  failed: ['error', 'charts.red'],
  unknown: ['question', 'disabledForeground'],
};

export class RunsTree implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly runs: RunsWorkspace) {
    this.subscription = runs.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: Item): Item[] {
    const runs = this.runs.runs;
    const studies = this.runs.model?.studies ?? [];
    if (!element) {
      const inStudies = new Set(studies.flatMap((s) => s.runIds));
      return [...studies, ...runs.filter((r) => !inStudies.has(r.id))];
    }
    if (!isStudy(element)) return [];
    const byId = new Map(runs.map((r) => [r.id, r]));
    return element.runIds.flatMap((id) => byId.get(id) ?? []);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    return isStudy(item) ? this.studyItem(item) : this.runItem(item);
  }

  private studyItem(s: StudyEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `study:${s.file}`;
    const status = s.manifest?.status ?? 'unknown';
    const trained = s.runIds.filter((id) => this.runs.model?.get(id)?.status === 'finished').length;
    const plan = s.manifest?.plan;
    item.description = s.manifest ? [`K study · ${status}`, `${trained} of ${s.runIds.length} runs trained`].join(' · ') : 'K study · unreadable';
    const [icon, colour] = STATUS_ICONS[s.manifest ? status : 'unknown'];
    item.iconPath = status === 'finished' ? new vscode.ThemeIcon('beaker', new vscode.ThemeColor('charts.green')) : new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**K study ${escape(s.name)}** (${status})\n\n`);
    if (plan) {
      const length = plan.schedule.kind === 'burda' ? "Burda et al.'s schedule" : `${plan.schedule.epochs} epochs`;
      md.appendMarkdown(`- ${escape(plan.objectives.join(', ').toUpperCase())} at K = ${plan.ks.join(', ')}\n- ${escape(length)}, seeds ${plan.seeds.join(', ')}\n- test NLL -L\\_${plan.evalK}\n`);
    }
    if (s.manifest?.results) md.appendMarkdown(`- ${s.manifest.results.findings.length} findings\n`);
    if (s.manifest?.message ?? s.problem) md.appendMarkdown(`\n${escape(s.manifest?.message ?? s.problem ?? '')}`);
    item.tooltip = md;
    // Context keys for the view's menus (package.json: view/item/context).
    item.contextValue = `latentLabStudy.${status}`;
    item.command = { command: EXPERIMENT_COMMANDS.showStudy, title: 'Show K Study', arguments: [s] };
    return item;
  }

  private runItem(r: RunEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = r.dir;
    const objective = r.objective ? `${r.objective.kind.toUpperCase()} K=${r.objective.k}${r.objective.m > 1 ? ` M=${r.objective.m}` : ''}` : '';
    const best = r.bestBound !== undefined ? `best ${r.bestBound.toFixed(2)}` : '';
    item.description = [objective, r.status, best, ...r.tags.map((t) => `#${t}`)].filter(Boolean).join(' · ');
    const [icon, colour] = STATUS_ICONS[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.tooltip = tooltip(r);
    // Context keys for the view's menus (package.json: view/item/context).
    item.contextValue = `latentLabRun${r.hasCheckpoint ? '.checkpoint' : ''}`;
    if (r.hasCheckpoint) item.command = { command: EXPERIMENT_COMMANDS.openRunInspector, title: 'Inspect Checkpoint', arguments: [r] };
    item.resourceUri = vscode.Uri.file(r.dir);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function tooltip(r: RunEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(r.name)}** (${r.status})\n\n`);
  const facts: [string, string | undefined][] = [
    ['run folder', r.id],
    ['objective', r.objective && `${r.objective.kind} K=${r.objective.k} M=${r.objective.m}, ${r.objective.estimator}`],
    ['epochs', r.epochs !== undefined ? `${r.epochs}${r.totalEpochs ? ` of ${r.totalEpochs}` : ''}` : undefined],
    ['best held-out L_K', r.bestBound?.toFixed(2)],
    ['test NLL', r.testNll?.toFixed(2)],
    ['active units', r.activeUnits?.join(' / ')],
    ['tags', r.tags.join(', ') || undefined],
  ];
  for (const [k, v] of facts) if (v) md.appendMarkdown(`- ${k}: ${escape(v)}\n`);
  if (r.reason) md.appendMarkdown(`\n${escape(r.reason)}`);
  return md;
}

const escape = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
