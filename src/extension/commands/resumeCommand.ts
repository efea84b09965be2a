// Resume Training: continue a stopped (or crashed) run from its last checkpoint, in the same run folder.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { runLocation } from '../settings';
import { isTrustedFor } from './guard';
import { ensureIdle } from './idle';
import { watchRun } from './watchRun';

export async function resumeCommand(services: Services, target?: unknown): Promise<void> {
  if (!isTrustedFor('training')) return;
  ensureIdle(services);
  const runDir = typeof target === 'string' ? target : target instanceof vscode.Uri ? target.fsPath : await pickRun(services);
  if (!runDir) return;
  if (!(await services.native.ensure('resume'))) return;
  const location = runLocation(vscode.Uri.file(runDir));
  const run = services.training.resume({ runDir, cwd: location?.cwd });
  watchRun(services, run);
}

async function pickRun(services: Services): Promise<string | undefined> {
  // Stopped or failed part-way, with a checkpoint to continue from.
  const runs = services.runs.runs.filter((r) => r.hasCheckpoint && (r.status === 'stopped' || r.status === 'failed'));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Latent Lab: no stopped run to resume in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.name, description: `${r.status} after ${r.epochs ?? 0} epochs, step ${r.step ?? 0}`, detail: r.reason, dir: r.dir })),
    { title: 'Resume Training', placeHolder: 'Run to continue from its last checkpoint' },
  );
  return picked?.dir;
}
