// The training dashboard's panel: one at a time, restored after a window
// reload. Its page is sent the shown run's snapshot whenever it (re)loads or
// comes back into view after missing events, and the run's events as they come.
import * as vscode from 'vscode';
import { DashboardProtocol, type ToWebview } from '../../shared/protocol';
import { DASHBOARD_VIEW_TYPE } from '../contributions';
import type { Services } from '../services';
import { panelEnvironment } from '../webview/panelEnvironment';
import { PanelHost } from '../webview/panelHost';
import { PanelSlot } from '../webview/panelSlot';

const TITLE = 'Latent Lab';

class DashboardPanel {
  private readonly host: PanelHost<typeof DashboardProtocol>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, private readonly services: Services) {
    const { training } = services;
    this.host = new PanelHost(panel, panelEnvironment(services), {
      protocol: DashboardProtocol,
      page: { bundle: 'dashboard', style: 'dashboard', title: TITLE },
      handlers: {
        stopTraining: async () => {
          await training.stop();
        },
        refreshImages: () => this.requestImages({}),
        traversal: ({ dims, range }) => this.requestImages({ dims, range }),
      },
      replay: () => [this.snapshot()],
    });
    this.updateTitle();
    this.disposables.push(
      training.onDidPostEvents(({ runId, events }) => {
        if (training.shownRunId === runId) this.host.post({ type: 'events', runId, events });
      }),
      training.onDidChangeShownRun(() => {
        this.updateTitle();
        this.host.post(this.snapshot());
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private snapshot(): ToWebview {
    return { type: 'snapshot', run: this.services.training.snapshot() };
  }

  private requestImages(request: { dims?: number[]; range?: number }): void {
    if (!this.services.training.requestImages(request)) {
      void vscode.window.showInformationMessage('Latent Lab: new images can be drawn only while a run is training.');
    }
  }

  private updateTitle(): void {
    const runId = this.services.training.shownRunId;
    this.panel.title = runId ? `${TITLE}: ${runId}` : TITLE;
  }

  private dispose(): void {
    this.host.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}

export function dashboardSlot(services: Services): PanelSlot<DashboardPanel> {
  return new PanelSlot(
    { viewType: DASHBOARD_VIEW_TYPE, title: TITLE, viewColumn: vscode.ViewColumn.Beside, options: panelEnvironment(services).options },
    (panel) => new DashboardPanel(panel, services),
  );
}
