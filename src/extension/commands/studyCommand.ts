// Run K Study: the dataset, the objectives, the values of K, how long to train
// and the seeds, asked with quick picks (or a stopped study to resume); then
// `latent-lab study` runs in its own process, its runs appear in the runs
// view under the study, and the experiment dashboard shows what it finds.
import * as vscode from 'vscode';
import { StudyObjective, type StudyPlan } from '../../shared/study';
import { EXPERIMENT_COMMANDS } from '../experiments/experimentIds';
import { validatePositiveInteger } from '../runConfig/runChoices';
import type { StudyEntry } from '../runs/studyEntry';
import type { Services } from '../services';
import { runLocation } from '../settings';
import { parseIntegerList, SEED_CHOICES, STUDY_K_DEFAULT, STUDY_K_PRESETS, studyPlanFromPicks, studyRunCount } from '../study/studyChoices';
import { showStudyProgress } from '../ui/studyProgress';
import { isTrustedFor } from './guard';
import { ensureIdle } from './idle';
import { pickDataLocation } from './trainCommand';

const STEPS = 5;
const TITLE = 'Run K Study';
const NAMES: Record<StudyObjective, string> = { vae: 'VAE', iwae: 'IWAE' };

/** `target`: a study of the runs view to resume. */
export async function studyCommand(services: Services, target?: unknown): Promise<void> {
  if (!isTrustedFor('training')) return;
  ensureIdle(services);
  const entry = isStudyEntry(target) ? target : await pickResumable(services);
  if (entry === null) return;
  if (entry) return resumeStudy(services, entry);
  const picked = await pickDataLocation(services, `${TITLE} (1/${STEPS})`);
  if (!picked) return;
  const { dataPath: data, location, settings } = picked;
  const objectives = await pickObjectives(`${TITLE} (2/${STEPS})`);
  if (!objectives) return;
  const ks = await pickKs(`${TITLE} (3/${STEPS})`);
  if (!ks) return;
  const schedule = await pickLength(settings.epochs, `${TITLE} (4/${STEPS})`);
  if (!schedule) return;
  const seeds = await pickSeeds(objectives, ks, `${TITLE} (5/${STEPS})`);
  if (!seeds) return;
  if (!(await services.native.ensure('train'))) return;
  const plan = studyPlanFromPicks({ data, objectives, ks, schedule, seeds }, settings);
  const progress = services.studies.start({ runsFolder: location.runsFolder, plan, cwd: location.cwd });
  watchStudy(services, progress.name);
}

/** Continues a study with its own plan (Run K Study, the runs view, the experiment dashboard). */
export async function resumeStudy(services: Services, entry: StudyEntry): Promise<void> {
  if (!isTrustedFor('training')) return;
  ensureIdle(services);
  if (entry.manifest?.status === 'finished') {
    void vscode.window.showInformationMessage(`Latent Lab: the K study ${entry.name} has finished.`);
    return;
  }
  if (!(await services.native.ensure('train'))) return;
  services.studies.resume({ runsFolder: entry.runsFolder, name: entry.name, cwd: runLocation(vscode.Uri.file(entry.runsFolder))?.cwd });
  watchStudy(services, entry.name, entry.id);
}

function watchStudy(services: Services, name: string, id = name): void {
  showStudyProgress(services.studies, name);
  void vscode.commands.executeCommand(EXPERIMENT_COMMANDS.showStudy, id);
}

function isStudyEntry(target: unknown): target is StudyEntry {
  return typeof target === 'object' && target !== null && 'runIds' in target && 'file' in target;
}

interface ResumeItem extends vscode.QuickPickItem {
  entry?: StudyEntry;
}

/** A stopped or failed study to resume, undefined for a new one, null when dismissed. */
async function pickResumable(services: Services): Promise<StudyEntry | undefined | null> {
  const resumable = (services.runs.model?.studies ?? []).filter((s) => s.manifest && s.manifest.status !== 'finished');
  if (resumable.length === 0) return undefined;
  const items: ResumeItem[] = [
    { label: '$(add) New K study…', description: 'choose the data, objectives, K, training length and seeds' },
    ...resumable.map((entry) => ({
      label: `$(debug-continue) Resume ${entry.name}`, entry,
      description: `${entry.manifest!.status} · ${entry.manifest!.plan.objectives.map((o) => NAMES[o]).join(', ')} at K = ${entry.manifest!.plan.ks.join(', ')}`,
      detail: entry.manifest!.message,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'A new study, or one that stopped before it finished' });
  return picked ? picked.entry : null;
}

async function pickObjectives(title: string): Promise<StudyObjective[] | undefined> {
  const detail: Record<StudyObjective, string> = {
    vae: 'the ELBO, averaged over K samples: the baseline the others are compared with',
    iwae: 'the importance weighted bound L_K (Burda et al. 2015)',
  };
  const items = StudyObjective.options.map((o) => ({ label: NAMES[o], detail: detail[o], objective: o, picked: true }));
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Objectives to compare at each K (the first is the baseline)' });
  return picked?.length ? picked.map((p) => p.objective) : undefined;
}

async function pickKs(title: string): Promise<number[] | undefined> {
  type KItem = vscode.QuickPickItem & { k?: number };
  const items: KItem[] = STUDY_K_PRESETS.map((k) => ({ label: `K = ${k}`, k, picked: STUDY_K_DEFAULT.includes(k) }));
  items.push({ label: 'Other values…', description: 'type a list', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Values of K: one run per objective at each' });
  if (!picked?.length) return undefined;
  const chosen = picked.flatMap((p) => (p.k === undefined ? [] : [p.k]));
  if (!picked.some((p) => p.k === undefined)) return chosen;
  return typeIntegerList(title, 'Values of K, comma-separated', chosen.join(', '), 1);
}

async function pickLength(epochs: number, title: string): Promise<StudyPlan['schedule'] | undefined> {
  type LengthItem = vscode.QuickPickItem & { schedule?: StudyPlan['schedule'] };
  const items: LengthItem[] = [
    { label: `${epochs} epochs`, description: 'latentLab.epochs', detail: 'every run: passes over the training set at learning rate 0.001', schedule: { kind: 'fixed', epochs } },
    { label: 'Custom number of epochs…' },
    { label: "Burda et al.'s schedule", description: '3,280 epochs a run', detail: 'the IWAE paper\'s: days per run on a CPU', schedule: { kind: 'burda' } },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'How long to train each run' });
  if (!picked) return undefined;
  if (picked.schedule) return picked.schedule;
  const typed = await vscode.window.showInputBox({ title, prompt: 'Epochs per run', value: String(epochs), validateInput: (v) => validatePositiveInteger(v, 1_000_000) });
  return typed === undefined ? undefined : { kind: 'fixed', epochs: Number(typed) };
}

async function pickSeeds(objectives: StudyObjective[], ks: number[], title: string): Promise<number[] | undefined> {
  type SeedItem = vscode.QuickPickItem & { seeds?: number[] };
  const runs = (seeds: number[]) => `${studyRunCount({ objectives, ks, seeds })} runs`;
  const items: SeedItem[] = [
    ...SEED_CHOICES.map((c) => ({ label: c.label, description: runs(c.seeds), detail: c.detail, seeds: c.seeds })),
    { label: 'Other seeds…', description: 'type a list' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Training seeds: several measure how much training noise moves each number' });
  if (!picked) return undefined;
  if (picked.seeds) return picked.seeds;
  return typeIntegerList(title, 'Training seeds, comma-separated', '1, 2, 3', 0);
}

/** A comma-separated list of integers of at least `min`, typed; undefined when dismissed. */
async function typeIntegerList(title: string, prompt: string, value: string, min: number): Promise<number[] | undefined> {
  const typed = await vscode.window.showInputBox({
    title, prompt, value,
    validateInput: (v) => { const r = parseIntegerList(v, min); return typeof r === 'string' ? r : undefined; },
  });
  const list = typed === undefined ? undefined : parseIntegerList(typed, min);
  return Array.isArray(list) ? list : undefined;
}
