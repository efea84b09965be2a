// Train from Run Config: a run described entirely by a *.latentlab.json file
// (from the explorer's context menu, the editor title, or picked from the workspace).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { choicesFromFile } from '../runConfig/runChoices';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
import { rememberDataset } from '../workspace/datasets';
import { findRunConfigs, readRunConfig } from '../workspace/runConfigFiles';
import { isTrustedFor } from './guard';
import { ensureIdle } from './idle';
import { watchRun } from './watchRun';

export async function trainFromConfigCommand(services: Services, target?: unknown): Promise<void> {
  if (!isTrustedFor('training')) return;
  ensureIdle(services);
  const uri = target instanceof vscode.Uri ? target : await pickRunConfigFile();
  if (!uri) return;
  const { dataPath, choices } = await readRunConfig(uri);
  const location = runLocation(uri);
  if (!location) throw new Error('open a folder first: runs are written into the workspace');
  if (!(await services.native.ensure('train'))) return;
  const run = services.training.start({ ...location, dataPath, choices: choicesFromFile(choices, readSettings(uri)) });
  await rememberDataset(services.context, dataPath);
  watchRun(services, run);
}

async function pickRunConfigFile(): Promise<vscode.Uri | undefined> {
  const files = await findRunConfigs();
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Latent Lab: no run config files (*.latentlab.json) in the workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Train from Run Config', placeHolder: 'Run config file', matchOnDescription: true },
  );
  return picked?.uri;
}
