// The panel host with a fake webview, no VS Code: the page it writes, the ready
// handshake, posting only to a page that listens and is visible, replaying the
// state to a page that missed messages, validated dispatch, answers that name
// their request, and exports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ExperimentsProtocol } from '../../src/shared/experimentsProtocol';
import { DashboardProtocol, type ToWebview } from '../../src/shared/protocol';
import type { Envelope } from '../../src/shared/webviewChannel';
import { PanelHost, type Handlers, type PanelEnvironment, type PanelLike, type SaveRequest } from '../../src/extension/webview/panelHost';
import { pngFileName, pngFromDataUrl } from '../../src/extension/webview/pngExport';
import { MemoryLog } from './helpers/memoryLog';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const pngUrl = `data:image/png;base64,${PNG.toString('base64')}`;

/** A webview panel as the host sees it: what it was given, and switches for visibility and delivery. */
class FakePanel implements PanelLike {
  visible = true;
  /** What postMessage reports (false: VS Code did not deliver). */
  delivers = true;
  readonly posted: Envelope[] = [];
  private readonly deliveries: Thenable<boolean>[] = [];
  private receiver: ((message: unknown) => unknown) | undefined;
  private viewStateListener: (() => void) | undefined;
  private disposed = false;

  readonly webview = {
    html: '',
    options: {} as vscode.WebviewOptions,
    cspSource: 'https://fake.vscode-cdn.net',
    asWebviewUri: (uri: vscode.Uri) => `https://fake.vscode-cdn.net${uri.toString()}` as unknown as vscode.Uri,
    postMessage: (message: unknown): Thenable<boolean> => {
      this.posted.push(structuredClone(message) as Envelope);
      const delivered = Promise.resolve(this.delivers);
      this.deliveries.push(delivered);
      return delivered;
    },
    onDidReceiveMessage: (listener: (message: unknown) => unknown) => {
      this.receiver = listener;
      return { dispose: () => void (this.disposed = true) };
    },
  };

  onDidChangeViewState(listener: () => void): vscode.Disposable {
    this.viewStateListener = listener;
    return { dispose: () => undefined };
  }

  onDidDispose(): vscode.Disposable {
    return { dispose: () => undefined };
  }

  /** Delivers `raw` as the page would post it, and waits until the host has handled it. */
  async fromPage(raw: unknown): Promise<void> {
    if (!this.disposed) await this.receiver?.(raw);
    await this.settled();
  }

  /** Waits for postMessage's results: the host reads them when they settle. */
  async settled(): Promise<void> {
    await Promise.all(this.deliveries);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewStateListener?.();
  }

  bodies(): unknown[] {
    return this.posted.map((e) => e.body ?? { error: e.error });
  }
}

let pageId = 0;
const fromPage = (body: unknown, id = pageId++): Envelope => ({ id, body });

function environment() {
  const log = new MemoryLog();
  const saved: SaveRequest[] = [];
  const errors: string[] = [];
  const env: PanelEnvironment = {
    log,
    options: { enableScripts: true },
    resource: (...path) => ({ toString: () => `/ext/${path.join('/')}` }) as unknown as vscode.Uri,
    saveAs: async (request) => {
      saved.push(request);
      return `/picked/${request.fileName}`;
    },
    showError: (message) => void errors.push(message),
  };
  return { env, log, saved, errors };
}

function dashboardHost(replay: () => ToWebview[] = () => [{ type: 'snapshot', run: null }], handlers: Partial<Handlers<typeof DashboardProtocol>> = {}) {
  const panel = new FakePanel();
  const e = environment();
  const calls: unknown[] = [];
  const host = new PanelHost(panel, e.env, {
    protocol: DashboardProtocol,
    page: { bundle: 'dashboard', style: 'dashboard', title: 'Latent <Lab>' },
    handlers: {
      stopTraining: (m) => void calls.push(m),
      refreshImages: (m) => void calls.push(m),
      traversal: (m) => void calls.push(m),
      ...handlers,
    },
    replay,
    exportFolder: () => '/runs/r1',
  });
  return { panel, host, calls, ...e };
}

const events = (step: number): ToWebview => ({ type: 'events', runId: 'r1', events: [{ type: 'progress', step, epoch: 0, trainBound: -90, imagesPerSec: 1, learningRate: 1e-3, time: 1 }] });

describe('panel host', () => {
  it('writes the page under a nonce CSP with the bundle, stylesheet and options it is given', () => {
    const { panel } = dashboardHost();
    const html = panel.webview.html;
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(html)?.[1];
    assert.ok(nonce, 'a nonce in the CSP');
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://fake.vscode-cdn.net/ext/dist/webview/dashboard.js">`));
    assert.match(html, /<link rel="stylesheet" href="https:\/\/fake.vscode-cdn.net\/ext\/media\/dashboard.css">/);
    assert.match(html, /<title>Latent &lt;Lab&gt;<\/title>/);
    assert.deepEqual(panel.webview.options, { enableScripts: true });
    assert.notEqual(dashboardHost().panel.webview.html.match(/nonce-[^']+/)?.[0], `nonce-${nonce}`, 'a fresh nonce per page');
  });

  it('posts nothing before ready, then the replayed state, numbered', async () => {
    const { panel, host } = dashboardHost();
    assert.equal(host.post(events(1)), false, 'the page does not listen yet');
    assert.equal(panel.posted.length, 0);
    await panel.fromPage(fromPage({ type: 'ready' }));
    assert.deepEqual(panel.posted, [{ id: 1, body: { type: 'snapshot', run: null } }]);
    assert.equal(host.post(events(2)), true);
    assert.deepEqual(panel.posted.map((e) => e.id), [1, 2], 'ids count every message the host sent or held back');
  });

  it('holds back what a hidden page would drop, and replays the current state once it is shown', async () => {
    let replays = 0;
    const { panel, host } = dashboardHost(() => [{ type: 'snapshot', run: { runId: 'r1', status: 'running', events: [] } }, events(100 + replays++)]);
    await panel.fromPage(fromPage({ type: 'ready' }));
    assert.equal(replays, 1);
    panel.setVisible(false);
    assert.equal(host.post(events(7)), false);
    panel.setVisible(true);
    assert.equal(replays, 2, 'shown after missing a message: replayed');
    assert.deepEqual(panel.bodies().slice(-2), [{ type: 'snapshot', run: { runId: 'r1', status: 'running', events: [] } }, events(101)]);
    const count = panel.posted.length;
    panel.setVisible(false);
    panel.setVisible(true);
    assert.equal(replays, 2, 'shown without missing anything: nothing to replay');
    assert.equal(panel.posted.length, count);
  });

  it('replays to a page that says ready again (a reload), and to one that was hidden when it did', async () => {
    let replays = 0;
    const { panel } = dashboardHost(() => [{ type: 'snapshot', run: null }, events(replays++)]);
    await panel.fromPage(fromPage({ type: 'ready' }));
    await panel.fromPage(fromPage({ type: 'ready' }));
    assert.equal(replays, 2);
    panel.setVisible(false);
    await panel.fromPage(fromPage({ type: 'ready' }));
    assert.equal(replays, 2, 'not asked for the state while it cannot be posted');
    assert.equal(panel.posted.length, 4, 'nothing posted to the hidden page');
    panel.setVisible(true);
    assert.equal(replays, 3);
    assert.equal(panel.posted.length, 6);
  });

  it('replays when VS Code reports a message undelivered', async () => {
    let replays = 0;
    const { panel, host } = dashboardHost(() => [events(replays++)]);
    await panel.fromPage(fromPage({ type: 'ready' }));
    panel.delivers = false;
    assert.equal(host.post(events(5)), true, 'handed to VS Code');
    await panel.settled();
    panel.delivers = true;
    panel.setVisible(false);
    panel.setVisible(true);
    assert.equal(replays, 2);
  });

  it('dispatches valid messages and drops malformed ones with a warning each', async () => {
    const { panel, calls, log } = dashboardHost();
    await panel.fromPage(fromPage({ type: 'ready' }));
    const bad: unknown[] = [
      null, 42, 'ready', [], { type: 'ready' }, { id: -1, body: { type: 'ready' } }, { id: 1.5, body: { type: 'ready' } },
      { id: 3, body: { type: 'ready' }, extra: true }, { id: 3, error: 'no replyTo' },
      fromPage({}), fromPage({ type: 'launchMissiles' }), fromPage({ type: 'traversal', dims: [-1], range: 3 }),
      fromPage({ type: 'traversal', dims: Array(100).fill(0), range: 3 }), fromPage({ type: 'traversal', dims: [0], range: 1e9 }),
      fromPage({ type: 'exportPng', name: 'x', dataUrl: 'javascript:alert(1)' }),
      fromPage({ type: 'exportPng', name: 'x'.repeat(1000), dataUrl: 'data:image/png;base64,' }),
    ];
    for (const raw of bad) await panel.fromPage(raw);
    assert.deepEqual(calls, []);
    const warnings = log.messages('warn');
    assert.equal(warnings.length, bad.length);
    assert.ok(warnings.every((w) => w.startsWith('ignoring a malformed message') && w.includes('from the dashboard')), warnings.join('\n'));
    assert.match(warnings[10], /malformed message 'launchMissiles' from the dashboard/);

    await panel.fromPage(fromPage({ type: 'traversal', dims: [0, 3], range: 2.5 }));
    await panel.fromPage(fromPage({ type: 'stopTraining' }));
    assert.deepEqual(calls, [{ type: 'traversal', dims: [0, 3], range: 2.5 }, { type: 'stopTraining' }]);
    assert.equal(panel.posted.length, 1, 'events are not answered');
  });

  it('logs and shows a handler that fails, and carries on', async () => {
    const { panel, calls, log, errors } = dashboardHost(undefined, { stopTraining: () => Promise.reject(new Error('boom')) });
    await panel.fromPage(fromPage({ type: 'stopTraining' }));
    assert.deepEqual(log.messages('error'), ["the dashboard: 'stopTraining' failed: boom"]);
    assert.deepEqual(errors, ['Latent Lab: boom']);
    await panel.fromPage(fromPage({ type: 'refreshImages' }));
    assert.deepEqual(calls, [{ type: 'refreshImages' }]);
  });

  it('answers a request with an envelope naming its id, or with why it has no answer', async () => {
    const panel = new FakePanel();
    const { env, log } = environment();
    const curves = (id: string) => ({ id, epochs: [1, 2], trainBound: [-100, -95], testIwae: [-98, -93], testElbo: [-99, -94] });
    new PanelHost(panel, env, {
      protocol: ExperimentsProtocol,
      page: { bundle: 'experiments', style: 'experiments', title: 'Experiments' },
      handlers: {
        compare: async ({ ids }) => {
          if (ids.includes('broken')) throw new Error('run.json of broken is damaged');
          return { type: 'curves', curves: ids.map(curves) };
        },
        runAction: () => undefined,
        studyAction: () => undefined,
      },
      replay: () => [{ type: 'runs' as const, runsFolder: '/runs', runs: [] }],
    });
    await panel.fromPage({ id: 0, body: { type: 'ready' } });
    await panel.fromPage({ id: 7, body: { type: 'compare', ids: ['a', 'b'] } });
    await panel.fromPage({ id: 8, body: { type: 'compare', ids: ['broken'] } });
    const [, answer, failure] = panel.posted;
    assert.deepEqual(answer, { id: 1, replyTo: 7, body: { type: 'curves', curves: [curves('a'), curves('b')] } });
    assert.deepEqual(failure, { id: 2, replyTo: 8, error: 'run.json of broken is damaged' });
    assert.deepEqual(log.messages('error'), ["the experiment dashboard: 'compare' failed: run.json of broken is damaged"]);

    // A request that does not parse is not answered: there is no request to name.
    await panel.fromPage({ id: 9, body: { type: 'compare', ids: ['../etc'] } });
    assert.equal(panel.posted.length, 3);
    // What the host only sends as an answer, and answers the host was never asked for, are refused.
    await panel.fromPage({ id: 10, body: { type: 'curves', curves: [] } });
    await panel.fromPage({ id: 11, replyTo: 1, body: { type: 'ready' } });
    assert.equal(log.messages('warn').length, 3);
    assert.equal(panel.posted.length, 3);
  });

  it('saves an exported PNG where the panel says, under a safe name, and refuses what is not a PNG', async () => {
    const { panel, saved, log, errors } = dashboardHost();
    await panel.fromPage(fromPage({ type: 'exportPng', name: 'r1-Held-out bound / epoch', dataUrl: pngUrl }));
    assert.equal(saved.length, 1);
    assert.deepEqual({ ...saved[0], bytes: Buffer.from(saved[0].bytes) }, {
      fileName: 'r1-held-out-bound-epoch.png', folder: '/runs/r1', bytes: PNG, filters: { 'PNG image': ['png'] }, saveLabel: 'Export PNG',
    });
    assert.deepEqual(log.messages('info'), ['the dashboard: saved r1-held-out-bound-epoch.png as /picked/r1-held-out-bound-epoch.png']);
    await panel.fromPage(fromPage({ type: 'exportPng', name: 'svg', dataUrl: `data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}` }));
    assert.equal(saved.length, 1);
    assert.deepEqual(errors, ['Latent Lab: the data is not a PNG image']);
  });

  it('stops listening once disposed', async () => {
    const { panel, host, calls } = dashboardHost();
    await panel.fromPage(fromPage({ type: 'ready' }));
    host.dispose();
    await panel.fromPage(fromPage({ type: 'stopTraining' }));
    assert.deepEqual(calls, []);
  });
});

describe('PNG export', () => {
  it('takes only a real PNG of bounded size, and names it safely', () => {
    assert.deepEqual(Buffer.from(pngFromDataUrl(pngUrl)), PNG);
    assert.throws(() => pngFromDataUrl(`data:image/png;base64,${Buffer.from('<svg/>').toString('base64')}`), /not a PNG/);
    assert.throws(() => pngFromDataUrl('data:image/png;base64,%%%'), /base64/);
    assert.throws(() => pngFromDataUrl('data:text/html,<b>'), /not a PNG data URL/);
    assert.equal(pngFileName('Held-out bound / epoch'), 'held-out-bound-epoch.png');
    assert.equal(pngFileName('../../etc/passwd'), 'etc-passwd.png');
    assert.equal(pngFileName('???'), 'chart.png');
  });
});
