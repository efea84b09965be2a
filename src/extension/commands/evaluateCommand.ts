// Evaluate Checkpoint: the evaluation `latent-lab eval` makes (test NLL -L_N
// with N from latentLab.evalK, the bound-vs-K ladder, active units), in the
// extension's evaluation process, with a Cancel button.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINT_FILE } from '../../engine/train/runDir';
import { EVALUATION_WORKER, EvaluationCancelled, formatEvaluation, runEvaluation } from '../evaluation/evaluationProcess';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
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
        let reported = 0;
        return runEvaluation({ workerPath: services.context.asAbsolutePath(EVALUATION_WORKER), cwd: runLocation(uri)?.cwd, env: services.native.childEnv() },
          { type: 'evaluate', checkpoint, k: evalK }, abort.signal, (done, total) => {
            progress.report({ message: `-L_${evalK}: ${done} of ${total} examples`, increment: ((done - reported) / total) * 100 });
            reported = done;
          });
      },
    );
    const summary = formatEvaluation(result);
    services.log.info(`${name}: ${summary} (${result.seconds.toFixed(1)} s)`);
    void vscode.window.showInformationMessage(`Latent Lab: ${name}: ${summary}`);
  } catch (err) {
    if (!(err instanceof EvaluationCancelled)) throw err;
    services.log.info(`evaluation of ${name} cancelled`);
  }
}

interface CheckpointItem extends vscode.QuickPickItem {
  path?: string;
}

async function pickCheckpoint(services: Services): Promise<string | undefined> {
  const items: CheckpointItem[] = services.runs.runs.filter((r) => r.hasCheckpoint).map((r) => ({
    label: r.name, description: `${r.status} after ${r.epochs ?? 0} epochs, step ${r.step ?? 0}`,
    detail: r.bestBound !== undefined ? `best held-out L_K ${r.bestBound.toFixed(2)}` : undefined, path: r.dir,
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
