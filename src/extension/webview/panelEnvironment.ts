// What the panel host needs from VS Code, in VS Code: the webview options
// every page shares, the extension's files, the save dialog and notifications.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { PanelEnvironment, SaveRequest } from './panelHost';

export function panelEnvironment({ context, log }: Services): PanelEnvironment {
  const { extensionUri } = context;
  return {
    log,
    options: {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    },
    resource: (...path) => vscode.Uri.joinPath(extensionUri, ...path),
    saveAs: async ({ fileName, folder, bytes, filters, saveLabel }: SaveRequest) => {
      const base = folder ? vscode.Uri.file(folder) : vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ defaultUri: base && vscode.Uri.joinPath(base, fileName), filters, saveLabel });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, bytes);
      return target.fsPath;
    },
    showError: (message) => void vscode.window.showErrorMessage(message),
  };
}
