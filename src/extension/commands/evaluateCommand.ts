// Evaluate Checkpoint: the test log-likelihood (-L_K with K from latentLab.evalK),
// active units and L_1/L_5/L_50 of a checkpoint, computed by `latent-lab eval`
// in a child process, with a Cancel button.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINT_FILE } from '../../engine/train/runDir';
import { EvalCancelled, evaluateCheckpoint, formatEvalResult } from '../evaluation/evalProcess';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
import { listRuns } from '../training/runFolders';
import { isTrustedFor } from './guard';

export async function evaluateCommand(services: Services, target?: unknown): Promise<void> {
  if (!isTrustedFor('evaluation')) return;
  const checkpoint = target instanceof vscode.Uri ? target.fsPath : await pickCheckpoint(services);
  if (!checkpoint) return;
  if (!(await services.native.ensure('evaluate'))) return;
  const uri = vscode.Uri.file(checkpoint);
  const { evalK } = readSettings(uri);
  const name = basename(checkpoint) === CHECKPOINT_FILE ? basename(dirname(checkpoint)) : basename(checkpoint);
  services.log.info(`evaluating ${checkpoint}: -L_${evalK} on the held-out set`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Latent Lab: evaluating ${name}`, cancellable: true },
      (progress, token) => {
        progress.report({ message: `-L_${evalK} on the held-out set` });
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return evaluateCheckpoint({
          cliPath: services.context.asAbsolutePath('dist/cli.js'), checkpoint, k: evalK, cwd: runLocation(uri)?.cwd, env: services.native.childEnv(),
        }, abort.signal);
      },
    );
    const summary = formatEvalResult(result);
    services.log.info(`${name}: ${summary} (${result.seconds.toFixed(1)} s)`);
    void vscode.window.showInformationMessage(`Latent Lab: ${name}: ${summary}`);
  } catch (err) {
    if (!(err instanceof EvalCancelled)) throw err;
    services.log.info(`evaluation of ${name} cancelled`);
  }
}

interface CheckpointItem extends vscode.QuickPickItem {
  path?: string;
}

async function pickCheckpoint(services: Services): Promise<string | undefined> {
  const location = runLocation();
  const runs = location ? listRuns(location.runsFolder, services.log).filter((r) => r.hasCheckpoint) : [];
  const items: CheckpointItem[] = runs.map(({ dir, record }) => ({
    label: basename(dir), description: `${record.status} after ${record.epoch} epochs, step ${record.step}`,
    detail: record.best ? `best held-out L_K ${record.best.testIwae.toFixed(2)}` : undefined, path: dir,
  }));
  items.push({ label: '$(file) Browse…', description: 'a .safetensors checkpoint anywhere', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'Evaluate Checkpoint', placeHolder: 'Run or checkpoint to evaluate' });
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showOpenDialog({
    title: 'Evaluate Checkpoint', canSelectMany: false, filters: { 'Latent Lab checkpoint': ['safetensors'] }, openLabel: 'Evaluate',
  });
  return chosen?.[0]?.fsPath;
}
