// The checkpoint inspector: a read-only custom editor for Latent Lab checkpoints.
// The summary is read in the host (no TensorFlow: header and metadata only);
// pictures and -L_K come from the inspect process. Anything that goes wrong ends
// as a message in the page or a notification, never as an extension host error.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINT_FILE } from '../../engine/train/runDir';
import { InspectorFromWebview, type CheckpointSummary, type Figures, type InspectorAction, type InspectorToWebview } from '../../shared/inspectorProtocol';
import { pngFileName, pngFromDataUrl } from '../dashboard/pngExport';
import { errorMessage } from '../logger';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
import { revealFolder } from '../runs/runActions';
import { CHECKPOINT_EDITOR_VIEW_TYPE, RESUME_COMMAND } from '../experiments/experimentIds';
import { pageHtml, webviewOptions } from '../experiments/webviewPage';
import { summarizeCheckpointFile, type CheckpointReport } from './checkpointSummary';
import { EVALUATION_WORKER, EvaluationCancelled, runEvaluation } from '../evaluation/evaluationProcess';
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
  private ready = false;
  private report: CheckpointReport | undefined;
  private lastFigures: Figures | undefined;
  private figures: AbortController | undefined;
  private evaluation: AbortController | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly file: string;

  constructor(private readonly uri: vscode.Uri, private readonly panel: vscode.WebviewPanel, private readonly services: Services,
    private readonly hooks: InspectorHooks) {
    this.file = uri.fsPath;
    const { extensionUri } = services.context;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = pageHtml(panel.webview, extensionUri, 'inspector', basename(this.file));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(this.file)), basename(this.file)));
    const scheduleReload = (): void => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => this.load(), RELOAD_DELAY_MS);
    };
    this.disposables.push(
      watcher, watcher.onDidChange(scheduleReload), watcher.onDidCreate(scheduleReload),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private get summary(): CheckpointSummary | undefined {
    return this.report?.ok ? this.report.summary : undefined;
  }

  /** The run folder, when the checkpoint is the one a run writes. */
  private get runDir(): string | undefined {
    return basename(this.file) === CHECKPOINT_FILE && this.summary?.run ? dirname(this.file) : undefined;
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = InspectorFromWebview.safeParse(raw);
    if (!parsed.success) {
      this.services.log.warn(`checkpoint inspector: dropped a malformed message: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const m = parsed.data;
    try {
      if (m.type === 'ready') {
        // A custom editor's page is rebuilt each time it comes back into view: replay what it had.
        this.ready = true;
        if (!this.report) this.load();
        else this.replay();
      } else if (m.type === 'exportPng') {
        await this.exportPng(m.name, m.dataUrl);
      } else {
        await this.act(m.action);
      }
    } catch (err) {
      this.services.log.error(`checkpoint inspector: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Latent Lab: ${errorMessage(err)}`);
    }
  }

  private load(): void {
    this.report = summarizeCheckpointFile(this.file);
    this.postReport();
    if (this.report.ok) this.computeFigures();
  }

  private replay(): void {
    this.postReport();
    if (this.lastFigures) this.post({ type: 'figures', figures: this.lastFigures });
  }

  private postReport(): void {
    if (!this.report) return;
    const evalK = readSettings(this.uri).evalK;
    this.post(this.report.ok ? { type: 'summary', summary: this.report.summary, evalK } : { type: 'problem', problem: this.report.problem });
  }

  private computeFigures(): void {
    this.figures?.abort();
    this.lastFigures = undefined;
    const abort = new AbortController();
    this.figures = abort;
    runEvaluation(this.workerOptions(), { type: 'figures', checkpoint: this.file }, abort.signal).then(
      (figures) => {
        this.lastFigures = figures;
        this.post({ type: 'figures', figures });
      },
      (err: unknown) => {
        if (err instanceof EvaluationCancelled) return;
        this.services.log.warn(`figures of ${this.file}: ${errorMessage(err)}`);
        this.post({ type: 'figuresFailed', message: errorMessage(err) });
      },
    );
  }

  private workerOptions() {
    return { workerPath: this.services.context.asAbsolutePath(EVALUATION_WORKER), cwd: runLocation(this.uri)?.cwd };
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
      case 'compare': return this.hooks.compare(this.runDir);
      case 'reveal': return revealFolder(dirname(this.file));
      case 'exportCsv': return this.exportCsv();
    }
  }

  private async evaluate(): Promise<void> {
    if (!vscode.workspace.isTrusted) throw new Error('evaluation runs native code on workspace files; trust the workspace to evaluate');
    if (this.evaluation) return;
    const k = readSettings(this.uri).evalK;
    const abort = new AbortController();
    this.evaluation = abort;
    this.post({ type: 'evaluation', state: 'running' });
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Latent Lab: -L_${k} of ${basename(dirname(this.file))}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return runEvaluation(this.workerOptions(), { type: 'evaluate', checkpoint: this.file, k }, abort.signal, (done, total) => {
            progress.report({ message: `${done} of ${total} examples`, increment: ((done - reported) / total) * 100 });
            reported = done;
            this.post({ type: 'evaluation', state: 'running', done, total });
          });
        });
      this.post({ type: 'evaluation', state: 'done', result });
      this.services.log.info(`${this.file}: test NLL ${result.testNll.toFixed(2)} ± ${result.standardError.toFixed(2)} (-L_${k}, ${result.examples} examples)`);
    } catch (err) {
      if (err instanceof EvaluationCancelled) this.post({ type: 'evaluation', state: 'cancelled' });
      else this.post({ type: 'evaluation', state: 'failed', message: errorMessage(err) });
    } finally {
      this.evaluation = undefined;
    }
  }

  private async exportCsv(): Promise<void> {
    const s = this.summary;
    if (!s) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`${dirname(this.file)}/${s.runId}-metrics.csv`), filters: { CSV: ['csv'] }, saveLabel: 'Export Metrics',
    });
    if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(metricsCsv(s.history)));
  }

  private async exportPng(name: string, dataUrl: string): Promise<void> {
    const bytes = pngFromDataUrl(dataUrl);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`${dirname(this.file)}/${pngFileName(name)}`), filters: { 'PNG image': ['png'] }, saveLabel: 'Export Figure',
    });
    if (target) await vscode.workspace.fs.writeFile(target, bytes);
  }

  private post(message: InspectorToWebview): void {
    if (!this.ready) return;
    this.panel.webview.postMessage(message).then(undefined, (err: unknown) => {
      this.services.log.warn(`could not post '${message.type}' to the inspector: ${String(err)}`);
    });
  }

  private dispose(): void {
    this.figures?.abort();
    this.evaluation?.abort();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
