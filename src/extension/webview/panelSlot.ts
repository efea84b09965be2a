// One panel of a kind at a time: showing it again reveals the open one, and
// after a window reload VS Code hands back the panel it restored, which the
// slot adopts through its serializer (the page then says `ready` and is sent
// the current state).
import * as vscode from 'vscode';

export interface SlotKind {
  viewType: string;
  title: string;
  viewColumn: vscode.ViewColumn;
  options: vscode.WebviewOptions;
}

export class PanelSlot<V extends { readonly panel: vscode.WebviewPanel }> {
  private current: V | undefined;

  constructor(private readonly kind: SlotKind, private readonly attach: (panel: vscode.WebviewPanel) => V) {}

  show(preserveFocus = false): V {
    if (this.current) {
      this.current.panel.reveal(undefined, preserveFocus);
      return this.current;
    }
    const { viewType, title, viewColumn, options } = this.kind;
    return this.adopt(vscode.window.createWebviewPanel(viewType, title, { viewColumn, preserveFocus }, { ...options, retainContextWhenHidden: true }));
  }

  /** `beforeRevive` runs before a restored panel is adopted (the dashboard picks the run to show). */
  registerSerializer(beforeRevive: () => void = () => undefined): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(this.kind.viewType, {
      deserializeWebviewPanel: async (panel) => {
        beforeRevive();
        this.current?.panel.dispose();
        this.adopt(panel);
      },
    });
  }

  private adopt(panel: vscode.WebviewPanel): V {
    const view = this.attach(panel);
    this.current = view;
    panel.onDidDispose(() => {
      if (this.current === view) this.current = undefined;
    });
    return view;
  }
}
