// The runs of a workspace's runs folders (one per workspace folder), and the K
// studies whose manifests sit beside them, kept current from file-system
// changes: the one list the runs view, the experiment dashboard and the
// commands' quick picks show. No vscode import: the VS Code
// adapter supplies watchers, tests supply fake ones. A change names a path;
// only the run folder holding it is read again, after a short quiet period,
// because a trainer writes several files per checkpoint.
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { systemClock, type Clock } from '../clock';
import { Emitter, type Disposable, type Event } from '../emitter';
import { errorMessage, type Logger } from '../logger';
import { looksLikeRunFolder, readRunEntry, type RunEntry } from './runEntry';
import { isStudyFile, readStudyEntry, type StudyEntry } from './studyEntry';
import { verifiedRunFolder } from './runFolderGuard';
import { cleanName, readLabels, writeLabels } from './runLabels';

export interface FolderWatcher extends Disposable {
  /** The path of anything created, changed or deleted under the watched folder. */
  readonly onDidChange: Event<string>;
}

export interface RunsFolder {
  runsFolder: string;
  /** Names the folder's runs apart from another folder's when there are several (a workspace folder's name). */
  label?: string;
  watcher?: FolderWatcher;
}

export interface RunsModelOptions {
  folders: RunsFolder[];
  /** Quiet time after the last change before folders are read again. */
  debounceMs?: number;
  log?: Logger;
  /** Runs the quiet time (tests run it by hand). */
  clock?: Clock;
}

const DEFAULT_DEBOUNCE_MS = 300;

interface Folder {
  runsFolder: string;
  /** Prepended to the folder names of its runs to make their ids: empty with one runs folder. */
  prefix: string;
}

export class RunsModel implements Disposable {
  private readonly folders: Folder[];
  private readonly entries = new Map<string, RunEntry>();
  private readonly studyEntries = new Map<string, StudyEntry>();
  private readonly changed: Emitter<readonly RunEntry[]>;
  /** Fires with every run after the list or any run in it changed. */
  readonly onDidChange: Event<readonly RunEntry[]>;
  private readonly pending = new Set<string>();
  private readonly rescans = new Set<Folder>();
  private readonly studyRescans = new Set<Folder>();
  private timer: unknown;
  private readonly subscriptions: Disposable[];
  private readonly clock: Clock;

  constructor(private readonly o: RunsModelOptions) {
    const several = o.folders.length > 1;
    this.folders = o.folders.map((f, i) => ({ runsFolder: f.runsFolder, prefix: several ? `${f.label ?? i + 1}:` : '' }));
    this.clock = o.clock ?? systemClock;
    this.changed = new Emitter(o.log);
    this.onDidChange = this.changed.event;
    for (const folder of this.folders) this.scan(folder);
    this.subscriptions = o.folders.flatMap((f) => (f.watcher ? [f.watcher.onDidChange((path) => this.notice(path))] : []));
  }

  /** Every runs folder, for a heading. */
  get runsFolder(): string {
    return this.folders.map((f) => f.runsFolder).join(' · ');
  }

  /** Newest first; runs that never wrote a record go last. */
  get runs(): RunEntry[] {
    return [...this.entries.values()].sort((a, b) => (b.updated ?? '').localeCompare(a.updated ?? '') || a.id.localeCompare(b.id));
  }

  get(id: string): RunEntry | undefined {
    return this.entries.get(id);
  }

  /** The K studies of every runs folder, by name. */
  get studies(): StudyEntry[] {
    return [...this.studyEntries.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  study(id: string): StudyEntry | undefined {
    return this.studyEntries.get(id);
  }

  /** Reads every folder again now (the Refresh button). */
  refresh(): void {
    this.cancelTimer();
    this.pending.clear();
    this.rescans.clear();
    this.studyRescans.clear();
    const before = this.fingerprint();
    for (const folder of this.folders) this.scan(folder);
    if (this.fingerprint() !== before) this.fire();
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

  /** The folder of run `id`, checked to be a run folder directly inside its runs folder: the only path delete may be given. */
  deletableFolder(id: string): string {
    return this.verified(id);
  }

  /** After the adapter deleted a folder: drop it at once rather than wait for the watcher. */
  forget(id: string): void {
    if (this.entries.delete(id)) this.fire();
  }

  /**
   * Something under `path` changed: reread its run after the quiet time. Watchers
   * call this, and so does whoever wrote the change and knows it for certain.
   */
  notice(path: string): void {
    for (const folder of this.folders) {
      const rel = relative(folder.runsFolder, path);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      const name = rel.split(sep)[0];
      if (name && isStudyFile(name) && rel === name) this.studyRescans.add(folder);
      else if (name) this.pending.add(folder.prefix + name);
      else this.rescans.add(folder);
      this.cancelTimer();
      this.timer = this.clock.setTimeout(() => this.flush(), this.o.debounceMs ?? DEFAULT_DEBOUNCE_MS);
      return;
    }
  }

  dispose(): void {
    this.cancelTimer();
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }

  /** The runs folder and folder name of `id`, when it names one. */
  private locate(id: string): { folder: Folder; name: string } | undefined {
    const folder = this.folders.find((f) => id.startsWith(f.prefix));
    return folder && { folder, name: id.slice(folder.prefix.length) };
  }

  private verified(id: string): string {
    const at = this.locate(id);
    const runsFolder = at?.folder.runsFolder ?? this.folders[0]?.runsFolder ?? '';
    return verifiedRunFolder(runsFolder, join(runsFolder, at?.name ?? id));
  }

  private reread(id: string): RunEntry {
    this.update(id);
    this.fire();
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`run ${id} is gone`);
    return entry;
  }

  private flush(): void {
    this.timer = undefined;
    const before = this.fingerprint();
    for (const folder of this.rescans) this.scan(folder);
    for (const folder of this.studyRescans) if (!this.rescans.has(folder)) this.scanStudies(folder);
    for (const id of this.pending) if (!this.rescans.has(this.locate(id)!.folder)) this.update(id);
    this.pending.clear();
    this.rescans.clear();
    this.studyRescans.clear();
    if (this.fingerprint() !== before) this.fire();
  }

  /** Re-reads every run folder of `folder`, dropping the runs that went. */
  private scan(folder: Folder): void {
    const seen = new Set<string>();
    for (const name of this.folderNames(folder)) {
      seen.add(folder.prefix + name);
      this.update(folder.prefix + name);
    }
    for (const id of [...this.entries.keys()]) if (this.locate(id)?.folder === folder && !seen.has(id)) this.entries.delete(id);
    this.scanStudies(folder);
  }

  /** Re-reads every study manifest of `folder`, dropping the studies that went. */
  private scanStudies(folder: Folder): void {
    for (const [id, study] of [...this.studyEntries]) if (study.runsFolder === folder.runsFolder) this.studyEntries.delete(id);
    for (const name of this.folderFiles(folder).filter(isStudyFile)) {
      const study = readStudyEntry(folder.runsFolder, name, folder.prefix);
      this.studyEntries.set(study.id, study);
    }
  }

  /** Re-reads one run folder. */
  private update(id: string): void {
    const at = this.locate(id);
    if (!at) return;
    const dir = join(at.folder.runsFolder, at.name);
    if (at.name.startsWith('.') || !existsSync(dir) || !looksLikeRunFolder(dir)) this.entries.delete(id);
    else this.entries.set(id, readRunEntry(dir, id));
  }

  private folderNames(folder: Folder): string[] {
    return this.list(folder).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  }

  private folderFiles(folder: Folder): string[] {
    return this.list(folder).filter((e) => e.isFile()).map((e) => e.name);
  }

  private list(folder: Folder) {
    if (!existsSync(folder.runsFolder)) return [];
    try {
      return readdirSync(folder.runsFolder, { withFileTypes: true });
    } catch (err) {
      this.o.log?.warn(`cannot list ${folder.runsFolder}: ${errorMessage(err)}`);
      return [];
    }
  }

  private fingerprint(): string {
    return JSON.stringify([this.runs, this.studies]);
  }

  private fire(): void {
    this.changed.fire(this.runs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
