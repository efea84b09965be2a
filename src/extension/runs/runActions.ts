// What the runs view, the experiment dashboard and the inspector can do to a run,
// in one place so all three behave alike. The runs model decides what is safe
// (a verified run folder); this file asks the user and calls VS Code.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { runPaths } from '../../engine/train/runDir';
import type { RunAction } from '../../shared/experimentsProtocol';
import { CHECKPOINT_EDITOR_VIEW_TYPE, RESUME_COMMAND } from '../experiments/experimentIds';
import type { Services } from '../services';
import type { RunEntry } from './runEntry';
import { parseTags } from './runLabels';
import type { RunsWorkspace } from './runsWorkspace';

export class RunActions {
  constructor(private readonly services: Services, private readonly runs: RunsWorkspace) {}

  /** Runs `action` on run `id` of the current runs folder; unknown ids are reported, not trusted. */
  async run(action: RunAction, id: string): Promise<void> {
    const entry = this.runs.model?.get(id);
    if (!entry) {
      void vscode.window.showWarningMessage(`Latent Lab: run ${id} is no longer in the runs folder.`);
      return;
    }
    switch (action) {
      case 'openInspector': return this.openInspector(entry);
      case 'openDashboard': return this.openDashboard(entry);
      case 'rename': return this.rename(entry);
      case 'tag': return this.tag(entry);
      case 'delete': return this.delete(entry);
      case 'reveal': return revealFolder(entry.dir);
      case 'resume': await vscode.commands.executeCommand(RESUME_COMMAND, entry.dir);
    }
  }

  private async openInspector(entry: RunEntry): Promise<void> {
    if (!entry.hasCheckpoint) {
      void vscode.window.showInformationMessage(`Latent Lab: ${entry.name} has no checkpoint yet.`);
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(runPaths(entry.dir).checkpoint), CHECKPOINT_EDITOR_VIEW_TYPE);
  }

  private openDashboard(entry: RunEntry): void {
    if (!this.services.training.show(entry.dir)) {
      void vscode.window.showInformationMessage('Latent Lab: the dashboard follows the run that is training; it can show another run once that one ends.');
    }
    this.services.openDashboard();
  }

  private async rename(entry: RunEntry): Promise<void> {
    const name = await vscode.window.showInputBox({
      title: `Rename ${entry.id}`, value: entry.name, prompt: 'Shown in the runs view and the experiment dashboard; the folder keeps its name. Empty: the run id.',
    });
    if (name === undefined) return;
    this.runs.model?.rename(entry.id, name);
  }

  private async tag(entry: RunEntry): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: `Tags of ${entry.name}`, value: entry.tags.join(', '), prompt: 'Comma-separated, e.g. baseline, paper-table-1',
      validateInput: (v) => {
        try {
          parseTags(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (text === undefined) return;
    this.runs.model?.setTags(entry.id, parseTags(text));
  }

  private async delete(entry: RunEntry): Promise<void> {
    const model = this.runs.model;
    if (!model) return;
    if (entry.status === 'running' || this.services.training.progress?.runDir === entry.dir) {
      void vscode.window.showWarningMessage(`Latent Lab: ${entry.name} is training${entry.reason ? ` (${entry.reason})` : ''}; stop it before deleting it.`);
      return;
    }
    // Checked before asking, so the dialog names exactly what will go.
    const dir = model.deletableFolder(entry.id);
    const choice = await vscode.window.showWarningMessage(
      `Delete the run '${entry.name}'?`, { modal: true, detail: `The folder ${dir} and everything in it (checkpoint, metrics, TensorBoard logs) moves to the trash.` }, 'Move to Trash');
    if (choice !== 'Move to Trash') return;
    const target = vscode.Uri.file(model.deletableFolder(entry.id));
    try {
      await vscode.workspace.fs.delete(target, { recursive: true, useTrash: true });
    } catch (err) {
      const permanently = await vscode.window.showWarningMessage(
        `The run folder could not be moved to the trash (${(err as Error).message}). Delete it permanently?`, { modal: true }, 'Delete Permanently');
      if (permanently !== 'Delete Permanently') return;
      await vscode.workspace.fs.delete(vscode.Uri.file(model.deletableFolder(entry.id)), { recursive: true, useTrash: false });
    }
    model.forget(entry.id);
    this.services.log.info(`deleted run folder ${dir}`);
  }
}

/** In the Explorer when the folder is in the workspace (works remotely too); otherwise in the OS file manager. */
export async function revealFolder(dir: string): Promise<void> {
  const uri = vscode.Uri.file(dir);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && !relative(folder.uri.fsPath, dir).startsWith('..')) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
