// The checkpoint inspector: a read-only custom editor for Latent Lab checkpoints.
// The summary is read in the host (no TensorFlow: header and metadata only);
// pictures, -L_K and the gradient SNR come from the evaluation process. Anything that goes wrong ends
// as a message in the page or a notification, never as an extension host error.
// The page is rebuilt each time it comes back into view; it is then sent what
// it showed: the summary, the figures and the evaluation's last state.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINT_FILE } from '../../engine/train/runDir';
import type { EvaluationRequest } from '../../shared/evaluationProtocol';
import { InspectorProtocol, type CheckpointSummary, type InspectorAction, type InspectorToWebview } from '../../shared/inspectorProtocol';
import { errorMessage } from '../logger';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
import { revealFolder } from '../runs/runActions';
import { CHECKPOINT_EDITOR_VIEW_TYPE, RESUME_COMMAND } from '../experiments/experimentIds';
import { panelEnvironment } from '../webview/panelEnvironment';
import { PanelHost } from '../webview/panelHost';
import { summarizeCheckpointFile, type CheckpointReport } from './checkpointSummary';
import { EVALUATION_WORKER, EvaluationCancelled, runEvaluation, type Answer } from '../evaluation/evaluationProcess';
import { gradientPlanChoices } from './gradientPlans';
import { ShownParts } from './shownParts';
import { metricsCsv } from './metricsCsv';

export interface InspectorHooks {
  /** Compare With…: open the experiment dashboard on these run folders. */
  compare(runDir: string | undefined): Promise<void>;
}

export function registerCheckpointEditor(services: Services, hooks: InspectorHooks): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(CHECKPOINT_EDITOR_VIEW_TYPE, new CheckpointEditorProvider(services, hooks), {
    supportsMultipleEditorsPerDocument: true,
  });
}

class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly services: Services, private readonly hooks: InspectorHooks) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new CheckpointInspector(document.uri, panel, this.services, this.hooks);
  }
}

/** Training rewrites a checkpoint every epoch; the inspector follows, after the writes settle. */
const RELOAD_DELAY_MS = 500;

class CheckpointInspector {
  private readonly host: PanelHost<typeof InspectorProtocol>;
  private report: CheckpointReport | undefined;
  private readonly shown = new ShownParts();
  private drawing: AbortController | undefined;
  private evaluation: AbortController | undefined;
  private gradients: AbortController | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly file: string;

  constructor(private readonly uri: vscode.Uri, panel: vscode.WebviewPanel, private readonly services: Services,
    private readonly hooks: InspectorHooks) {
    this.file = uri.fsPath;
    this.host = new PanelHost(panel, panelEnvironment(services), {
      protocol: InspectorProtocol,
      page: { bundle: 'inspector', style: 'experiments', title: basename(this.file) },
      handlers: { action: ({ action }) => this.act(action) },
      replay: () => this.shown.all(),
      exportFolder: () => dirname(this.file),
    });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(this.file)), basename(this.file)));
    const scheduleReload = (): void => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.load(), RELOAD_DELAY_MS);
    };
    this.disposables.push(
      watcher, watcher.onDidChange(scheduleReload), watcher.onDidCreate(scheduleReload),
      panel.onDidDispose(() => this.dispose()),
    );
    this.load();
  }

  private get summary(): CheckpointSummary | undefined {
    return this.report?.ok ? this.report.summary : undefined;
  }

  /** The run folder, when the checkpoint is the one a run writes. */
  private get runDir(): string | undefined {
    return basename(this.file) === CHECKPOINT_FILE && this.summary?.run ? dirname(this.file) : undefined;
  }

  /** Reads the checkpoint (again, after training rewrote it): a new report, new figures, and no stale evaluation. */
  private load(): void {
    const report = summarizeCheckpointFile(this.file);
    this.report = report;
    this.post(report.ok ? { type: 'summary', summary: report.summary, evalK: readSettings(this.uri).evalK } : { type: 'problem', problem: report.problem });
    this.shown.forget('figures');
    if (!this.evaluation) this.shown.forget('evaluation');
    if (!this.gradients) this.shown.forget('gradients');
    if (report.ok) this.computeFigures();
  }

  private post(message: InspectorToWebview): void {
    this.host.post(this.shown.show(message));
  }

  private computeFigures(): void {
    this.drawing?.abort();
    const abort = new AbortController();
    this.drawing = abort;
    if (!this.services.native.locate().location) {
      this.post({ type: 'figuresFailed', message: 'drawing from a checkpoint needs the native backend, which is not set up yet (Latent Lab: Set Up Native Backend)' });
      return;
    }
    runEvaluation(this.workerOptions(), { type: 'figures', checkpoint: this.file }, abort.signal).then(
      (figures) => this.post({ type: 'figures', figures }),
      (err: unknown) => {
        if (err instanceof EvaluationCancelled) return;
        this.services.log.warn(`figures of ${this.file}: ${errorMessage(err)}`);
        this.post({ type: 'figuresFailed', message: errorMessage(err) });
      },
    );
  }

  private workerOptions() {
    return { workerPath: this.services.context.asAbsolutePath(EVALUATION_WORKER), cwd: runLocation(this.uri)?.cwd, env: this.services.native.childEnv() };
  }

  private async act(action: InspectorAction): Promise<void> {
    switch (action) {
      case 'resume':
        if (!this.runDir) throw new Error('only a checkpoint inside its run folder can be resumed');
        await vscode.commands.executeCommand(RESUME_COMMAND, this.runDir);
        return;
      case 'evaluate': return this.evaluate();
      case 'cancelEvaluation':
        this.evaluation?.abort();
        return;
      case 'analyzeGradients': return this.analyzeGradients();
      case 'cancelGradients':
        this.gradients?.abort();
        return;
      case 'compare': return this.hooks.compare(this.runDir);
      case 'reveal': return revealFolder(dirname(this.file));
      case 'exportCsv': return this.exportCsv();
    }
  }

  private async evaluate(): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new Error('evaluation runs native code on workspace files; trust the workspace to evaluate');
    if (this.evaluation || !(await this.services.native.ensure('evaluate'))) return;
    const k = readSettings(this.uri).evalK;
    const abort = (this.evaluation = new AbortController());
    try {
      const result = await this.job('evaluation', abort, `-L_${k} of ${basename(dirname(this.file))}`, { type: 'evaluate', checkpoint: this.file, k },
        (done, total) => `${done} of ${total} examples`);
      if (!result) return;
      this.post({ type: 'evaluation', state: 'done', result });
      this.services.log.info(`${this.file}: test NLL ${result.testNll.toFixed(2)} ± ${result.standardError.toFixed(2)} (-L_${k}, ${result.examples} examples)`);
    } finally {
      this.evaluation = undefined;
    }
  }

  private async analyzeGradients(): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new Error('the gradient analysis runs native code on workspace files; trust the workspace to run it');
    if (this.gradients) return;
    const picked = await vscode.window.showQuickPick(gradientPlanChoices(this.summary?.architecture.posterior), {
      title: 'Analyze Gradients', placeHolder: 'SNR of the IWAE gradient against K at this checkpoint: which comparison?',
    });
    if (!picked || !(await this.services.native.ensure('evaluate'))) return;
    const abort = (this.gradients = new AbortController());
    try {
      const study = await this.job('gradients', abort, `gradient SNR of ${basename(dirname(this.file))}`, { type: 'gradients', checkpoint: this.file, plan: picked.plan },
        (done, total) => `${Math.floor((100 * done) / total)}% of the gradient draws`);
      if (!study) return;
      this.post({ type: 'gradients', state: 'done', study });
      this.services.log.info(`${this.file}: gradient SNR, ${study.cells.length} cells of ${study.draws} draws`);
    } finally {
      this.gradients = undefined;
    }
  }

  /** A request to the evaluation process with a cancellable progress notification, its state posted as `part`; undefined when it did not finish. */
  private async job<R extends Extract<EvaluationRequest, { type: 'evaluate' | 'gradients' }>>(part: 'evaluation' | 'gradients', abort: AbortController,
    title: string, request: R, describe: (done: number, total: number) => string): Promise<Answer<R> | undefined> {
    this.post({ type: part, state: 'running' });
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Latent Lab: ${title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return runEvaluation(this.workerOptions(), request, abort.signal, (done, total) => {
            progress.report({ message: describe(done, total), increment: ((done - reported) / total) * 100 });
            reported = done;
            this.post({ type: part, state: 'running', done, total });
          });
        });
    } catch (err) {
      if (err instanceof EvaluationCancelled) this.post({ type: part, state: 'cancelled' });
      else this.post({ type: part, state: 'failed', message: errorMessage(err) });
      return undefined;
    }
  }

  private async exportCsv(): Promise<void> {
    const s = this.summary;
    if (!s) return;
    await this.host.save({
      fileName: `${s.runId}-metrics.csv`, folder: dirname(this.file), bytes: new TextEncoder().encode(metricsCsv(s.history)),
      filters: { CSV: ['csv'] }, saveLabel: 'Export Metrics',
    });
  }

  private dispose(): void {
    this.host.dispose();
    this.drawing?.abort();
    this.evaluation?.abort();
    this.gradients?.abort();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
