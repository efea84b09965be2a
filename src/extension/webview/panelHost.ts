// The host's end of one webview page, whichever page and protocol: it writes
// the page (HTML under a nonce CSP, webview options), validates and dispatches
// what the page sends, answers its requests, saves what it exports, and posts
// only while the page listens (after `ready`) and is visible, since a hidden
// webview drops messages. A page that missed messages, or that (re)loaded, is
// sent the panel's current state (`replay`) as soon as it can receive it.
// Needs no `vscode` at run time, so tests drive it with a fake webview.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { z } from 'zod';
import {
  Channel, type AnswerOf, type BuiltIn, type Envelope, type EventOf, type ExportPng, type FromWebviewOf, type Protocol, type RequestOf,
  type ToWebviewOf,
} from '../../shared/webviewChannel';
import { pageHtml, type PageAssets } from '../../webview/common/html';
import { errorMessage, type Logger } from '../logger';
import { pngFileName, pngFromDataUrl } from './pngExport';

/** The parts of vscode.WebviewPanel the host uses; custom editors' panels are the same. */
export interface PanelLike {
  readonly webview: {
    html: string;
    options: vscode.WebviewOptions;
    readonly cspSource: string;
    asWebviewUri(uri: vscode.Uri): vscode.Uri;
    postMessage(message: unknown): Thenable<boolean>;
    onDidReceiveMessage(listener: (message: unknown) => unknown): vscode.Disposable;
  };
  readonly visible: boolean;
  onDidChangeViewState(listener: () => void): vscode.Disposable;
  onDidDispose(listener: () => void): vscode.Disposable;
}

export interface SaveRequest {
  fileName: string;
  /** Offered first; the environment picks one (the first workspace folder) when absent. */
  folder?: string;
  bytes: Uint8Array;
  filters: Record<string, string[]>;
  saveLabel: string;
}

/** What a page needs from VS Code: in the extension, panelEnvironment(); in tests, a fake. */
export interface PanelEnvironment {
  log: Logger;
  /** Scripts on; resources from dist/webview and media/ only. */
  options: vscode.WebviewOptions;
  /** A file of the extension, for `asWebviewUri`. */
  resource(...path: string[]): vscode.Uri;
  /** Asks where to save and writes there; undefined when the user cancels. */
  saveAs(request: SaveRequest): Promise<string | undefined>;
  showError(message: string): void;
}

export interface PageFiles {
  /** The esbuild entry in dist/webview. */
  bundle: 'dashboard' | 'experiments' | 'inspector';
  /** The stylesheet in media/. */
  style: 'dashboard' | 'experiments';
  title: string;
}

type Body<P extends Protocol, T> = Extract<FromWebviewOf<P>, { type: T }>;
type Reply<P extends Protocol, T> = T extends RequestOf<P> ? AnswerOf<P, T> | Promise<AnswerOf<P, T>> : void | Promise<void>;

/** One handler per message type of the page, built-ins aside; requests return their answer. */
export type Handlers<P extends Protocol> = {
  [T in Exclude<FromWebviewOf<P>['type'], BuiltIn>]: (message: Body<P, T>) => Reply<P, T>;
};

export interface PanelHostOptions<P extends Protocol> {
  protocol: P;
  page: PageFiles;
  handlers: Handlers<P>;
  /** The messages that bring a fresh page up to date; called only when they can be posted at once. */
  replay(): EventOf<P>[];
  /** Where exported pictures are offered to go first. */
  exportFolder?: () => string | undefined;
}

export class PanelHost<P extends Protocol> {
  private ready = false;
  /** A message was not delivered since the page last caught up. */
  private missed = false;
  private readonly channel: Channel<ToWebviewOf<P>, FromWebviewOf<P>>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly panel: PanelLike, private readonly env: PanelEnvironment, private readonly o: PanelHostOptions<P>) {
    const { webview } = panel;
    const { log } = env;
    const answers = new Set(Object.keys(o.protocol.replies));
    this.channel = new Channel<ToWebviewOf<P>, FromWebviewOf<P>>({
      peer: o.protocol.name,
      incoming: o.protocol.fromWebview as z.ZodType<FromWebviewOf<P>>,
      answers,
      expects: {},
      send: (envelope) => this.send(envelope),
      handle: (message) => this.dispatch(message),
      failed: (message, err) => {
        log.error(`${o.protocol.name}: '${message.type}' failed: ${errorMessage(err)}`);
        env.showError(`Latent Lab: ${errorMessage(err)}`);
      },
      log,
    });
    webview.options = env.options;
    webview.html = pageHtml(this.assets(o.page));
    this.disposables.push(
      // The promise is for tests; VS Code ignores what a listener returns.
      webview.onDidReceiveMessage((raw) => this.channel.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (this.deliverable() && this.missed) this.replay();
      }),
    );
  }

  /** Posts an event now, or notes that the page missed it (it gets `replay()` when it can listen). */
  post(message: EventOf<P>): boolean {
    return this.channel.post(message);
  }

  /** Asks where to save `request.bytes` and writes them there, logging where they went. */
  async save(request: SaveRequest): Promise<void> {
    const target = await this.env.saveAs(request);
    if (target) this.env.log.info(`${this.o.protocol.name}: saved ${request.fileName} as ${target}`);
  }

  dispose(): void {
    this.channel.close();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }

  private dispatch(message: FromWebviewOf<P>): unknown {
    if (message.type === 'ready') {
      this.ready = true;
      this.replay();
      return undefined;
    }
    if (message.type === 'exportPng') return this.exportPng(message as unknown as ExportPng);
    const handler = (this.o.handlers as Record<string, (m: FromWebviewOf<P>) => unknown>)[message.type];
    return handler(message);
  }

  private replay(): void {
    if (!this.deliverable()) {
      this.missed = true;
      return;
    }
    this.missed = false;
    for (const message of this.o.replay()) this.post(message);
  }

  private deliverable(): boolean {
    return this.ready && this.panel.visible;
  }

  private exportPng({ name, dataUrl }: ExportPng): Promise<void> {
    return this.save({
      fileName: pngFileName(name), folder: this.o.exportFolder?.(), bytes: pngFromDataUrl(dataUrl),
      filters: { 'PNG image': ['png'] }, saveLabel: 'Export PNG',
    });
  }

  private send(envelope: Envelope): boolean {
    if (!this.deliverable()) {
      this.missed = true;
      return false;
    }
    this.panel.webview.postMessage(envelope).then(
      (delivered) => {
        if (!delivered) this.missed = true;
      },
      (err: unknown) => {
        this.missed = true;
        this.env.log.warn(`could not post to ${this.o.protocol.name}: ${errorMessage(err)}`);
      },
    );
    return true;
  }

  private assets(page: PageFiles): PageAssets {
    const { webview } = this.panel;
    return {
      scriptUri: webview.asWebviewUri(this.env.resource('dist', 'webview', `${page.bundle}.js`)).toString(),
      styleUri: webview.asWebviewUri(this.env.resource('media', `${page.style}.css`)).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      title: page.title,
    };
  }
}
