// The runs of every workspace folder's runs folder (setting latentLab.runsFolder,
// per folder), as one runs model rebuilt when the setting or the workspace
// folders change, so every view and command holds one stable object and one event.
import * as vscode from 'vscode';
import { Emitter } from '../emitter';
import type { Logger } from '../logger';
import { runLocation } from '../settings';
import { watchFolder } from './fileSystemWatcher';
import type { RunEntry } from './runEntry';
import { RunsModel, type FolderWatcher, type RunsFolder } from './runsModel';

export class RunsWorkspace implements vscode.Disposable {
  private current: RunsModel | undefined;
  private watchers: FolderWatcher[] = [];
  private forward: vscode.Disposable | undefined;
  private readonly changed: Emitter<readonly RunEntry[]>;
  /** Fires with every run whenever the list or a run in it changes, or the folders themselves change. */
  readonly onDidChange;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: Logger) {
    this.changed = new Emitter(log);
    this.onDidChange = this.changed.event;
    this.open();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('latentLab.runsFolder')) this.reopen();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reopen()),
    ];
  }

  /** Undefined with no folder open. */
  get model(): RunsModel | undefined {
    return this.current;
  }

  get runs(): RunEntry[] {
    return this.current?.runs ?? [];
  }

  private open(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return;
    const labels = uniqueLabels(folders.map((f) => f.name));
    const runsFolders: RunsFolder[] = [];
    folders.forEach((folder, i) => {
      const location = runLocation(folder.uri);
      if (!location || runsFolders.some((r) => r.runsFolder === location.runsFolder)) return;
      const watcher = watchFolder(location.runsFolder, folder);
      this.watchers.push(watcher);
      runsFolders.push({ runsFolder: location.runsFolder, label: labels[i], watcher });
    });
    this.current = new RunsModel({ folders: runsFolders, log: this.log });
    this.forward = this.current.onDidChange((runs) => this.changed.fire(runs));
  }

  private reopen(): void {
    this.close();
    this.open();
    this.changed.fire(this.runs);
  }

  private close(): void {
    this.forward?.dispose();
    this.current?.dispose();
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    this.current = undefined;
  }

  dispose(): void {
    this.close();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** Folder names usable in run ids: no ':' (it ends the label), and a number after any repeated name. */
function uniqueLabels(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const clean = name.replace(/[:\\/]/g, '-') || 'folder';
    const n = (seen.get(clean) ?? 0) + 1;
    seen.set(clean, n);
    return n === 1 ? clean : `${clean}-${n}`;
  });
}
