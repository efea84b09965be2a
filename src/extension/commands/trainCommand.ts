// Train IWAE / Train VAE: a dataset, K, the length of training and a run config
// file or a model family, asked with quick picks; then the run starts in its own process.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunChoices } from '../../shared/trainingProtocol';
import { DEFAULT_CIWAE_BETA } from '../../engine/objectives/objective';
import { choicesFromPicks, fixedSchedule, kOptions, MODEL_PRESETS, validateBeta, validatePositiveInteger, type BoundPick, type TrainObjective } from '../runConfig/runChoices';
import type { Services } from '../services';
import { readSettings, runLocation } from '../settings';
import { recentDatasets, rememberDataset, workspaceDatasets } from '../workspace/datasets';
import { findRunConfigs, readRunConfig } from '../workspace/runConfigFiles';
import { isTrustedFor } from './guard';
import { ensureIdle } from './idle';
import { watchRun } from './watchRun';

const STEPS = 4;

export async function trainCommand(services: Services, objective: TrainObjective): Promise<void> {
  if (!isTrustedFor('training')) return;
  ensureIdle(services);
  const name = objective === 'iwae' ? 'Train IWAE' : 'Train VAE';
  const picked = await pickDataLocation(services, `${name} (1/${STEPS})`);
  if (!picked) return;
  const { dataPath, location, settings } = picked;
  const bound = await pickBound(objective, settings.defaultK, `${name} (2/${STEPS})`);
  if (!bound) return;
  const schedule = await pickSchedule(settings.epochs, `${name} (3/${STEPS})`);
  if (!schedule) return;
  const fromFile = await pickRunConfig(`${name} (4/${STEPS})`);
  if (fromFile === undefined) return;
  const choices = choicesFromPicks({ ...bound, schedule }, settings, fromFile ?? undefined);
  // Asked last, so that once a set-up succeeds the run starts without another pick.
  if (!(await services.native.ensure('train'))) return;
  const run = services.training.start({ ...location, dataPath, choices });
  await rememberDataset(services.context, dataPath);
  watchRun(services, run);
}

interface PathItem extends vscode.QuickPickItem {
  path?: string;
}

/** The dataset, the workspace folder its runs go to and the settings there; undefined when dismissed. */
export async function pickDataLocation(services: Services, title: string) {
  const dataPath = await pickDataset(services, title);
  if (!dataPath) return undefined;
  const dataUri = vscode.Uri.file(dataPath);
  const location = runLocation(dataUri);
  if (!location) throw new Error('open a folder first: runs are written into the workspace');
  return { dataPath, location, settings: readSettings(dataUri) };
}

async function pickDataset(services: Services, title: string): Promise<string | undefined> {
  const files = await workspaceDatasets(services.context);
  const recent = new Set(recentDatasets(services.context));
  const items: PathItem[] = files.map((path) => ({
    label: basename(path), description: vscode.workspace.asRelativePath(path), detail: recent.has(path) ? 'recently used' : undefined, path,
  }));
  items.push({ label: '$(folder-opened) Browse…', description: 'a dataset file or folder anywhere', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title, placeHolder: files.length ? 'Dataset to train on' : 'No dataset found in the workspace: browse for one', matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.path) return picked.path;
  const chosen = await vscode.window.showOpenDialog({
    title, canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: 'Train on This',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return chosen?.[0]?.fsPath;
}

interface BoundItem extends vscode.QuickPickItem {
  k?: number;
  other?: 'custom' | 'piwae' | 'ciwae';
}

/** K for the command's objective; Train IWAE also offers PIWAE(M, K) and CIWAE(beta) on the same samples. */
async function pickBound(objective: TrainObjective, defaultK: number, title: string): Promise<BoundPick | undefined> {
  const detail = (k: number) => objective === 'vae'
    ? (k === 1 ? 'one sample per example: the standard VAE ELBO' : `${k} samples averaged in the ELBO`)
    : (k === 1 ? 'one sample: the same bound as a VAE' : `L_${k}, tighter than the ELBO as K grows (slower per step)`);
  const items: BoundItem[] = kOptions(objective, defaultK).map(({ k, isDefault }) => ({
    label: `K = ${k}`, description: isDefault ? (objective === 'iwae' ? 'default (latentLab.defaultK)' : 'default') : undefined, detail: detail(k), k,
  }));
  items.push({ label: 'Custom K…', alwaysShow: true, other: 'custom' });
  if (objective === 'iwae') {
    items.push(
      { label: 'Other bounds from the same samples', kind: vscode.QuickPickItemKind.Separator },
      { label: 'PIWAE(M, K)…', detail: 'inference network trained on MIWAE(M, K), generative network on IWAE(M·K) (Rainforth et al. 2018)', alwaysShow: true, other: 'piwae' },
      { label: 'CIWAE(β)…', detail: 'β·ELBO + (1 − β)·L_K from the same K samples (Rainforth et al. 2018)', alwaysShow: true, other: 'ciwae' },
    );
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Importance samples K per example' });
  if (!picked) return undefined;
  if (picked.k !== undefined) return { objective, k: picked.k };
  const ask = async (prompt: string, value: string, validateInput: (v: string) => string | undefined): Promise<number | undefined> => {
    const typed = await vscode.window.showInputBox({ title, prompt, value, validateInput });
    return typed === undefined ? undefined : Number(typed);
  };
  const askK = (prompt: string) => ask(prompt, String(items[0].k), (v) => validatePositiveInteger(v));
  if (picked.other === 'piwae') {
    const m = await ask('PIWAE: groups M of the inference network\'s MIWAE(M, K)', '8', (v) => validatePositiveInteger(v, 10_000));
    const k = m === undefined ? undefined : await askK(`PIWAE(M = ${m}, K): samples K per group (the generative network sees all M·K)`);
    return m === undefined || k === undefined ? undefined : { objective: 'piwae', m, k };
  }
  if (picked.other === 'ciwae') {
    const k = await askK('CIWAE: importance samples K per example');
    const beta = k === undefined ? undefined : await ask(`CIWAE(β) with K = ${k}: β, the weight of the ELBO`, String(DEFAULT_CIWAE_BETA), validateBeta);
    return k === undefined || beta === undefined ? undefined : { objective: 'ciwae', k, beta };
  }
  const k = await askK('Importance samples K per example');
  return k === undefined ? undefined : { objective, k };
}

interface ScheduleItem extends vscode.QuickPickItem {
  schedule?: RunChoices['schedule'];
}

async function pickSchedule(epochs: number, title: string): Promise<RunChoices['schedule'] | undefined> {
  const items: ScheduleItem[] = [
    { label: `${epochs} epochs`, description: 'latentLab.epochs', detail: 'passes over the training set at learning rate 0.001', schedule: fixedSchedule(epochs) },
    { label: 'Custom number of epochs…' },
    {
      label: "Burda et al.'s schedule", description: '3,280 epochs',
      detail: '3^i passes at learning rate 0.001·10^(-i/7) for i = 0…7, as in the IWAE paper (days on a CPU)', schedule: { kind: 'burda' },
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'How long to train' });
  if (!picked) return undefined;
  if (picked.schedule) return picked.schedule;
  const typed = await vscode.window.showInputBox({
    title, prompt: 'Epochs (passes over the training set)', value: String(epochs), validateInput: (v) => validatePositiveInteger(v, 1_000_000),
  });
  return typed === undefined ? undefined : fixedSchedule(Number(typed));
}

interface ConfigItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  preset?: Partial<RunChoices>;
}

/** The other choices (architecture, families, estimator, seed…): a run config file's, or one model family on
 * the defaults; null for the defaults alone, undefined when dismissed. */
async function pickRunConfig(title: string): Promise<Partial<RunChoices> | null | undefined> {
  const files = await findRunConfigs();
  const items: ConfigItem[] = [
    { label: 'No run config', description: 'defaults and settings for everything else' },
    ...files.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { label: 'Model families', kind: vscode.QuickPickItemKind.Separator },
    ...MODEL_PRESETS.map((p) => ({ label: p.label, description: 'defaults otherwise', detail: p.detail, preset: p.choices })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title, placeHolder: 'Take the other settings from a run config file, or try another model family?', matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.preset) return picked.preset;
  return picked.uri ? (await readRunConfig(picked.uri)).choices : null;
}
