// The experiment dashboard's panel: one at a time, restored after a window
// reload. Its page is sent the list of runs and K studies whenever it
// (re)loads, the list changes on disk, a study of this window starts or ends,
// or it comes back into view after missing a change; it asks for the curves of
// the runs it compares, and gets them as the answer.
import * as vscode from 'vscode';
import { ExperimentsProtocol, type RunCurves, type StudyRow } from '../../shared/experimentsProtocol';
import type { EventOf } from '../../shared/webviewChannel';
import { readRunCurves } from '../runs/runCurves';
import type { RunActions } from '../runs/runActions';
import type { RunEntry } from '../runs/runEntry';
import type { RunsWorkspace } from '../runs/runsWorkspace';
import type { Services } from '../services';
import { panelEnvironment } from '../webview/panelEnvironment';
import { PanelHost } from '../webview/panelHost';
import { PanelSlot } from '../webview/panelSlot';
import { onStartOrEnd } from '../ui/startOrEnd';
import { decimateCurves } from './decimate';
import { EXPERIMENTS_VIEW_TYPE } from './experimentIds';

const TITLE = 'Latent Lab: Experiments';

type Event = EventOf<typeof ExperimentsProtocol>;

/** What the row of a run sends: everything but the folder path, which stays in the host. */
const row = ({ dir: _dir, ...rest }: RunEntry) => rest;

class ExperimentsPanel {
  private readonly host: PanelHost<typeof ExperimentsProtocol>;
  private readonly disposables: vscode.Disposable[] = [];
  /** Asked for while the page could not hear it (Compare With… opens the panel and selects at once). */
  private pendingSelect: Event[] = [];

  constructor(readonly panel: vscode.WebviewPanel, private readonly services: Services, private readonly runs: RunsWorkspace, actions: RunActions,
    studyAction: (action: 'stop' | 'resume', id: string) => Promise<void>) {
    this.host = new PanelHost(panel, panelEnvironment(services), {
      protocol: ExperimentsProtocol,
      page: { bundle: 'experiments', style: 'experiments', title: TITLE },
      handlers: {
        compare: ({ ids }) => ({ type: 'curves', curves: this.curves(ids) }),
        runAction: ({ action, id }) => actions.run(action, id),
        studyAction: ({ action, id }) => studyAction(action, id),
      },
      replay: () => this.replay(),
    });
    this.disposables.push(
      runs.onDidChange(() => this.host.post(this.list())),
      onStartOrEnd(services.studies, () => this.host.post(this.list())),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  select(ids: string[]): void {
    this.show({ type: 'select', ids });
  }

  selectStudy(id: string): void {
    this.show({ type: 'selectStudy', id });
  }

  private show(message: Event): void {
    if (!this.host.post(message)) this.pendingSelect = [...this.pendingSelect.filter((m) => m.type !== message.type), message];
  }

  private replay(): Event[] {
    const selections = this.pendingSelect;
    this.pendingSelect = [];
    return [this.list(), ...selections];
  }

  private list(): Event {
    const active = this.services.studies.progress;
    const studies: StudyRow[] = (this.runs.model?.studies ?? []).flatMap((s) => (s.manifest ? [{
      id: s.id, manifest: s.manifest, runIds: s.runIds, active: active?.name === s.name && active.runsFolder === s.runsFolder,
    }] : []));
    return { type: 'runs', runsFolder: this.runs.model?.runsFolder ?? '', runs: this.runs.runs.map(row), studies };
  }

  /** Only ids of the model's own runs are read: the page names runs, never paths. */
  private curves(ids: readonly string[]): RunCurves[] {
    const model = this.runs.model;
    const curves: RunCurves[] = [];
    for (const id of ids) {
      const entry = model?.get(id);
      if (entry) curves.push(decimateCurves(readRunCurves(entry.dir)));
    }
    return curves;
  }

  private dispose(): void {
    this.host.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}

export function experimentsSlot(services: Services, runs: RunsWorkspace, actions: RunActions,
  studyAction: (action: 'stop' | 'resume', id: string) => Promise<void>): PanelSlot<ExperimentsPanel> {
  return new PanelSlot(
    { viewType: EXPERIMENTS_VIEW_TYPE, title: TITLE, viewColumn: vscode.ViewColumn.Active, options: panelEnvironment(services).options },
    (panel) => new ExperimentsPanel(panel, services, runs, actions, studyAction),
  );
}
