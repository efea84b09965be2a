// Every command runs inside this: an error becomes a notification and a line in
// the output channel, never an exception in the extension host.
import * as vscode from 'vscode';
import { errorMessage } from '../logger';

export function registerCommand(
  id: string, log: vscode.LogOutputChannel, handler: (...args: unknown[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await handler(...args);
    } catch (err) {
      log.error(`${id}: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Latent Lab: ${errorMessage(err)}`);
    }
  });
}

const MANAGE_TRUST = 'Manage Workspace Trust';

/** Training and evaluation read workspace files with native code; Restricted Mode turns them off. */
export function isTrustedFor(action: 'training' | 'evaluation'): boolean {
  if (vscode.workspace.isTrusted) return true;
  const verb = action === 'training' ? 'train' : 'evaluate';
  void vscode.window.showWarningMessage(
    `Latent Lab: ${action} is disabled in Restricted Mode because it runs code on workspace files; trust the workspace to ${verb}.`,
    MANAGE_TRUST,
  ).then((choice) => {
    if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
