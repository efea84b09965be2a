// The native backend as the extension sees it: where it is (the engine's one
// resolution order, with this extension's setting and global storage), the
// consent prompt when it is missing, the set-up under a progress notification,
// and the environment that tells every engine process it forks which folder
// to load. Training, evaluation and inspection ask `ensure` first.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SetupProgress } from '../../shared/nativeBackendProtocol';
import { describeProbes, locateBackend, SOURCE_LABEL, type BackendLocation, type Resolution } from '../../engine/native/locateBackend';
import { BACKEND_ENV, backendKey } from '../../engine/native/target';
import { SETTINGS_SECTION } from '../contributions';
import { errorMessage } from '../logger';
import { runDoctor, runSetup } from './backendCommands';

export const BACKEND_PATH_SETTING = 'nativeBackend.path';
const SET_UP = 'Set Up';
const USE_EXISTING = 'Use Existing Installation…';
const LEARN_MORE = 'Learn More';
const OPEN_SETTING = 'Open Setting';
const SET_UP_AGAIN = 'Set Up Again';
const REVEAL = 'Reveal Folder';

export type BackendPurpose = 'train' | 'evaluate' | 'resume' | 'inspect';
const VERB: Record<BackendPurpose, string> = { train: 'train', evaluate: 'evaluate checkpoints', resume: 'resume training', inspect: 'draw from checkpoints' };

export class NativeBackend {
  private setUpInFlight?: Promise<boolean>;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  get storeDir(): string {
    return join(this.context.globalStorageUri.fsPath, 'native');
  }

  private get cliPath(): string {
    return this.context.asAbsolutePath('dist/cli.js');
  }

  private configured(): string | undefined {
    const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(BACKEND_PATH_SETTING, '');
    return value.trim() || undefined;
  }

  locate(): Resolution {
    return locateBackend({ configured: this.configured(), storeDir: this.storeDir, from: this.context.asAbsolutePath('dist') });
  }

  /** What a forked engine process needs to load exactly the backend resolved here. */
  childEnv(): NodeJS.ProcessEnv {
    const { location } = this.locate();
    return location ? { [BACKEND_ENV]: location.dir } : {};
  }

  /** True when a backend is there, or was set up or chosen now; false when the user declined or it failed (already said). */
  async ensure(purpose: BackendPurpose): Promise<boolean> {
    const { location, probes } = this.locate();
    if (location) return true;
    const configured = this.configured();
    if (configured) {
      const choice = await vscode.window.showErrorMessage(
        `Latent Lab cannot ${VERB[purpose]}: the setting latentLab.nativeBackend.path points at ${describeProbes(probes)}.`,
        USE_EXISTING, OPEN_SETTING, SET_UP);
      return this.follow(choice);
    }
    const choice = await vscode.window.showWarningMessage(
      `Latent Lab needs TensorFlow's native library to ${VERB[purpose]}, and it is not set up on this machine yet. `
        + `Set Up downloads it once (about 300 MB; about 900 MB on disk) into ${this.storeDir}.`,
      SET_UP, USE_EXISTING, LEARN_MORE);
    return this.follow(choice);
  }

  private async follow(choice: string | undefined): Promise<boolean> {
    if (choice === SET_UP) return this.setUp(false);
    if (choice === USE_EXISTING) return this.useExisting();
    if (choice === OPEN_SETTING) await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.${BACKEND_PATH_SETTING}`);
    if (choice === LEARN_MORE) await this.learnMore();
    return false;
  }

  /** Runs `latent-lab setup` under a cancellable progress notification; one at a time. */
  setUp(force: boolean): Promise<boolean> {
    this.setUpInFlight ??= this.runSetUp(force).finally(() => (this.setUpInFlight = undefined));
    return this.setUpInFlight;
  }

  private async runSetUp(force: boolean): Promise<boolean> {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<string>('proxy', '').trim() || undefined;
    const strictSSL = http.get<boolean>('proxyStrictSSL', true);
    this.log.info(`setting up the native backend (${backendKey()}) in ${this.storeDir}`);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Latent Lab: setting up the native backend', cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runSetup({ cliPath: this.cliPath, storeDir: this.storeDir, force, proxy, strictSSL }, (p) => {
          this.log.info(`set-up: ${describeProgress(p)}`);
          progress.report({ message: describeProgress(p) });
        }, abort.signal);
      });
    switch (outcome.type) {
      case 'done':
        this.log.info(`native backend ready: ${outcome.dir} (${outcome.route} route, TensorFlow ${outcome.tensorflow})`);
        void vscode.window.showInformationMessage(`Latent Lab: the native backend is ready (TensorFlow ${outcome.tensorflow}, ${outcome.route === 'official' ? 'official binaries' : 'from the TensorFlow wheel'}).`);
        return true;
      case 'cancelled':
        this.log.info('native backend set-up cancelled; nothing was installed');
        void vscode.window.showInformationMessage('Latent Lab: the set-up was cancelled; nothing was installed.');
        return false;
      case 'failed': {
        this.log.error(`native backend set-up failed: ${outcome.message}`);
        const choice = await vscode.window.showErrorMessage(`Latent Lab: ${outcome.message}`, USE_EXISTING, LEARN_MORE);
        return this.follow(choice);
      }
    }
  }

  /** A folder holding an installed @tensorflow/tfjs-node, checked by loading it, then saved in the user setting. */
  private async useExisting(): Promise<boolean> {
    const picked = await vscode.window.showOpenDialog({
      title: 'A folder holding an installed @tensorflow/tfjs-node (the package itself, or a project with it in node_modules)',
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use This Installation',
    });
    const dir = picked?.[0]?.fsPath;
    if (!dir) return false;
    const found = locateBackend({ configured: dir });
    if (!found.location) {
      void vscode.window.showErrorMessage(`Latent Lab: ${describeProbes(found.probes)}.`);
      return false;
    }
    const report = await runDoctor(this.cliPath, { [BACKEND_ENV]: found.location.dir });
    if (!report.backend) {
      void vscode.window.showErrorMessage(`Latent Lab: ${found.location.dir} does not load: ${report.loadError ?? 'unknown error'}.`);
      return false;
    }
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(BACKEND_PATH_SETTING, found.location.dir, vscode.ConfigurationTarget.Global);
    this.log.info(`using the native backend in ${found.location.dir} (TensorFlow ${report.backend.tensorflow})`);
    return true;
  }

  private async learnMore(): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(this.context.asAbsolutePath('docs/native-backend.md')));
  }

  /** Latent Lab: Show Native Backend — what is in use, from where, its versions; every place looked at goes to the log. */
  async show(): Promise<void> {
    const { location, probes } = this.locate();
    for (const p of probes) this.log.info(`native backend: ${p.found ? 'found' : 'not found'}: ${SOURCE_LABEL[p.source]} ${p.path} (${p.note})`);
    if (!location) {
      const choice = await vscode.window.showInformationMessage(`Latent Lab: no native backend is set up for ${backendKey()}. Looked at: ${describeProbes(probes)}.`, SET_UP, USE_EXISTING, LEARN_MORE);
      await this.follow(choice);
      return;
    }
    let detail: string;
    try {
      const report = await runDoctor(this.cliPath, { [BACKEND_ENV]: location.dir });
      detail = report.backend
        ? `tfjs-node ${report.backend.tfjsNode}, TensorFlow ${report.backend.tensorflow}${describeOrigin(location)}`
        : `it does not load: ${report.loadError ?? 'unknown error'}`;
    } catch (err) {
      detail = `it could not be checked: ${errorMessage(err)}`;
    }
    this.log.info(`native backend in use: ${location.dir}: ${detail}`);
    const choice = await vscode.window.showInformationMessage(`Latent Lab uses the native backend in ${location.dir} (${SOURCE_LABEL[location.source]}): ${detail}.`, REVEAL, SET_UP_AGAIN);
    if (choice === REVEAL) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(location.dir));
    if (choice === SET_UP_AGAIN) await this.setUp(true);
  }
}

function describeOrigin(location: BackendLocation): string {
  const m = location.manifest;
  return m ? `; set up ${m.createdAt.slice(0, 10)} by the ${m.route === 'official' ? 'official-binaries' : 'TensorFlow-wheel'} route` : '';
}

const MiB = 1024 * 1024;

export function describeProgress(p: SetupProgress): string {
  switch (p.type) {
    case 'route': return `trying ${p.title}`;
    case 'route-failed': return `that did not work (${p.reason}); trying the next way`;
    case 'step': return p.received === undefined ? p.text
      : `${p.text}: ${(p.received / MiB).toFixed(0)}${p.total ? ` of ${(p.total / MiB).toFixed(0)}` : ''} MB`;
  }
}
