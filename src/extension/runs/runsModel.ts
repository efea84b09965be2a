// The runs of a runs folder, kept current from file-system changes. No vscode
// import: the VS Code adapter supplies a watcher, tests supply a fake one. A
// change names a path; only the run folder holding it is read again, after a
// short quiet period, because a trainer writes several files per checkpoint.
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Emitter, type Disposable, type Event } from '../emitter';
import { errorMessage, type Logger } from '../logger';
import { looksLikeRunFolder, readRunEntry, type RunEntry } from './runEntry';
import { verifiedRunFolder } from './runFolderGuard';
import { cleanName, readLabels, writeLabels } from './runLabels';

export interface FolderWatcher extends Disposable {
  /** The path of anything created, changed or deleted under the watched folder. */
  readonly onDidChange: Event<string>;
}

export interface RunsModelOptions {
  runsFolder: string;
  watcher?: FolderWatcher;
  /** Quiet time after the last change before folders are read again. */
  debounceMs?: number;
  log?: Logger;
}

const DEFAULT_DEBOUNCE_MS = 300;

export class RunsModel implements Disposable {
  readonly runsFolder: string;
  private readonly entries = new Map<string, RunEntry>();
  private readonly changed: Emitter<readonly RunEntry[]>;
  /** Fires with every run after the list or any run in it changed. */
  readonly onDidChange: Event<readonly RunEntry[]>;
  private readonly pending = new Set<string>();
  private rescanPending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: Disposable | undefined;

  constructor(private readonly o: RunsModelOptions) {
    this.runsFolder = o.runsFolder;
    this.changed = new Emitter(o.log);
    this.onDidChange = this.changed.event;
    this.scan();
    this.subscription = o.watcher?.onDidChange((path) => this.notice(path));
  }

  /** Newest first; runs that never wrote a record go last. */
  get runs(): RunEntry[] {
    return [...this.entries.values()].sort((a, b) => (b.updated ?? '').localeCompare(a.updated ?? '') || a.id.localeCompare(b.id));
  }

  get(id: string): RunEntry | undefined {
    return this.entries.get(id);
  }

  /** Reads every folder again now (the Refresh button). */
  refresh(): void {
    this.cancelTimer();
    this.pending.clear();
    this.rescanPending = false;
    if (this.scan()) this.fire();
  }

  rename(id: string, name: string): RunEntry {
    const dir = this.verified(id);
    const label = cleanName(name);
    const { name: _old, ...rest } = readLabels(dir);
    writeLabels(dir, label ? { ...rest, name: label } : rest);
    return this.reread(id);
  }

  setTags(id: string, tags: string[]): RunEntry {
    const dir = this.verified(id);
    const { tags: _old, ...rest } = readLabels(dir);
    writeLabels(dir, tags.length ? { ...rest, tags } : rest);
    return this.reread(id);
  }

  /** The folder of run `id`, checked to be a run folder directly inside the runs folder: the only path delete may be given. */
  deletableFolder(id: string): string {
    return this.verified(id);
  }

  /** After the adapter deleted a folder: drop it at once rather than wait for the watcher. */
  forget(id: string): void {
    if (this.entries.delete(id)) this.fire();
  }

  dispose(): void {
    this.cancelTimer();
    this.subscription?.dispose();
    this.changed.dispose();
  }

  private verified(id: string): string {
    return verifiedRunFolder(this.runsFolder, join(this.runsFolder, id));
  }

  private reread(id: string): RunEntry {
    this.update(id);
    this.fire();
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`run ${id} is gone`);
    return entry;
  }

  /**
   * Something under `path` changed: reread its run after the quiet time. Watchers
   * call this, and so does whoever wrote the change and knows it for certain.
   */
  notice(path: string): void {
    const rel = relative(this.runsFolder, path);
    if (rel.startsWith('..') || isAbsolute(rel)) return;
    const id = rel.split(sep)[0];
    if (!id) this.rescanPending = true;
    else this.pending.add(id);
    this.cancelTimer();
    this.timer = setTimeout(() => this.flush(), this.o.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  private flush(): void {
    this.timer = undefined;
    let changed = false;
    if (this.rescanPending) changed = this.scan();
    else for (const id of this.pending) changed = this.update(id) || changed;
    this.pending.clear();
    this.rescanPending = false;
    if (changed) this.fire();
  }

  /** Re-reads every folder; true when anything differs from before. */
  private scan(): boolean {
    const before = this.fingerprint();
    const seen = new Set<string>();
    for (const id of this.folderNames()) {
      seen.add(id);
      this.update(id);
    }
    for (const id of [...this.entries.keys()]) if (!seen.has(id)) this.entries.delete(id);
    return this.fingerprint() !== before;
  }

  /** Re-reads one folder; true when its entry appeared, changed or went. */
  private update(id: string): boolean {
    const dir = join(this.runsFolder, id);
    const old = this.entries.get(id);
    if (id.startsWith('.') || !existsSync(dir) || !looksLikeRunFolder(dir)) {
      return this.entries.delete(id);
    }
    const entry = readRunEntry(dir);
    this.entries.set(id, entry);
    return JSON.stringify(old) !== JSON.stringify(entry);
  }

  private folderNames(): string[] {
    if (!existsSync(this.runsFolder)) return [];
    try {
      return readdirSync(this.runsFolder, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    } catch (err) {
      this.o.log?.warn(`cannot list ${this.runsFolder}: ${errorMessage(err)}`);
      return [];
    }
  }

  private fingerprint(): string {
    return JSON.stringify(this.runs);
  }

  private fire(): void {
    this.changed.fire(this.runs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
