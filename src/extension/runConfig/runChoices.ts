// From the quick picks' answers and the settings to the RunChoices of a new
// run. Kept apart from the quick picks so the precedence (picks, then a run
// config file, then settings) is testable without VS Code.
import type { RunChoices } from '../../shared/trainingProtocol';

export type TrainObjective = 'iwae' | 'vae';

export interface TrainSettings {
  defaultK: number;
  batchSize: number;
  epochs: number;
  evalK: number;
}

export const K_PRESETS = [1, 5, 50];
export const LEARNING_RATE = 1e-3;

export interface KOption {
  k: number;
  isDefault: boolean;
}

/** The K values offered: the objective's default first, then the presets. */
export function kOptions(objective: TrainObjective, defaultK: number): KOption[] {
  const preferred = objective === 'vae' ? 1 : defaultK;
  return [preferred, ...K_PRESETS.filter((k) => k !== preferred)].map((k) => ({ k, isDefault: k === preferred }));
}

/** The bound a quick pick chose: Train IWAE also offers PIWAE(M, K) and CIWAE(beta) from the same samples. */
export interface BoundPick {
  objective: RunChoices['objective'];
  k: number;
  m?: number;
  beta?: number;
}

export interface Picks extends BoundPick {
  schedule: RunChoices['schedule'];
}

/** The model families the last quick pick offers beside run config files: each changes one part of the default model. */
export const MODEL_PRESETS: readonly { label: string; detail: string; choices: Partial<RunChoices> }[] = [
  { label: 'IAF posterior', detail: 'a diagonal Normal then 2 inverse autoregressive flow steps (Kingma et al. 2016); standard gradient estimator', choices: { posterior: 'iaf' } },
  { label: 'Student-t posterior', detail: 'heavier tails than the Normal: 5 degrees of freedom', choices: { posterior: 'student-t' } },
  { label: 'VampPrior', detail: 'the prior as the posterior at 10 learned pseudo-inputs (Tomczak & Welling 2018)', choices: { prior: 'vamp' } },
  { label: 'Convolutional networks', detail: 'convolutions down from the image, transposed convolutions up (image data only)', choices: { network: 'conv' } },
];

/** The picks win over a run config file's choices, which win over the settings; a file's beta goes with any objective but CIWAE. */
export function choicesFromPicks(picks: Picks, settings: TrainSettings, fromFile: Partial<RunChoices> = {}): RunChoices {
  const { beta: _beta, ...file } = fromFile;
  return {
    batchSize: settings.batchSize,
    evalK: settings.evalK,
    ...(picks.objective === 'ciwae' ? fromFile : file),
    objective: picks.objective,
    k: picks.k,
    ...(picks.m !== undefined ? { m: picks.m } : {}),
    ...(picks.beta !== undefined ? { beta: picks.beta } : {}),
    schedule: picks.schedule,
  };
}

/** CIWAE's beta typed into an input box, or why not. */
export function validateBeta(value: string): string | undefined {
  const text = value.trim();
  const n = Number(text);
  return text !== '' && n >= 0 && n <= 1 ? undefined : 'Enter a number from 0 (IWAE) to 1 (the ELBO).';
}

/** A run config file's choices, with the settings' batch size and evaluation K where the file says nothing. */
export function choicesFromFile(fromFile: RunChoices, settings: TrainSettings): RunChoices {
  return { batchSize: settings.batchSize, evalK: settings.evalK, ...fromFile };
}

export function fixedSchedule(epochs: number): RunChoices['schedule'] {
  return { kind: 'fixed', epochs, learningRate: LEARNING_RATE };
}

/** Most recently used first; files never used keep their order after them. */
export function orderByRecent(files: readonly string[], recent: readonly string[]): string[] {
  const rank = new Map(recent.map((f, i) => [f, i]));
  const unused = recent.length;
  return [...files].sort((a, b) => (rank.get(a) ?? unused) - (rank.get(b) ?? unused));
}

export const MAX_RECENT = 10;

export function rememberRecent(recent: readonly string[], file: string): string[] {
  return [file, ...recent.filter((f) => f !== file)].slice(0, MAX_RECENT);
}

/** A positive integer typed into an input box, or why not. */
export function validatePositiveInteger(value: string, max = 100_000): string | undefined {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1) return 'Enter a whole number of at least 1.';
  if (n > max) return `Enter at most ${max.toLocaleString('en-US')}.`;
  return undefined;
}
