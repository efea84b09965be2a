// From Run K Study's quick picks and the settings to a study's plan: the K and
// seeds offered, what a typed list may be, and the plan the command line gets.
// Kept apart from the quick picks so that it is testable without VS Code.
import type { StudyObjective, StudyPlan } from '../../shared/study';
import { EVALUATION_SEED } from '../../shared/evaluation';
import { studyName } from '../../engine/study/studyRun';
import type { TrainSettings } from '../runConfig/runChoices';

/** K offered, those of Burda et al.'s Table 1 picked at first. */
export const STUDY_K_PRESETS = [1, 2, 5, 10, 50, 100, 500, 5000];
export const STUDY_K_DEFAULT = [1, 5, 50];

export interface SeedChoice {
  label: string;
  detail: string;
  seeds: number[];
}

export const SEED_CHOICES: SeedChoice[] = [
  { label: 'One seed (1)', detail: 'findings against the test examples\' noise only: training noise is not measured', seeds: [1] },
  { label: 'Three seeds (1, 2, 3)', detail: 'three times the runs; a finding holds only beyond the seed-to-seed spread', seeds: [1, 2, 3] },
];

/** A comma-separated list of distinct integers of at least `min`, ascending; or why not. */
export function parseIntegerList(text: string, min: number): number[] | string {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const values = parts.map(Number);
  if (parts.length === 0 || !values.every((v) => Number.isInteger(v) && v >= min)) return `Enter whole numbers of at least ${min}, separated by commas.`;
  if (new Set(values).size !== values.length) return 'Each value once.';
  return [...values].sort((a, b) => a - b);
}

export interface StudyPicks {
  data: string;
  objectives: StudyObjective[];
  ks: number[];
  schedule: StudyPlan['schedule'];
  seeds: number[];
}

/** The plan of a new study from the picks: the test NLL with the settings' K, every run with the settings' batch size. */
export function studyPlanFromPicks(picks: StudyPicks, settings: Pick<TrainSettings, 'batchSize' | 'evalK'>, now = new Date()): StudyPlan {
  return {
    name: studyName(now), data: picks.data, objectives: picks.objectives, ks: [...picks.ks].sort((a, b) => a - b), seeds: picks.seeds,
    schedule: picks.schedule, evalK: settings.evalK, evalSeed: EVALUATION_SEED, trainArgs: ['--batch-size', String(settings.batchSize)],
  };
}

/** Runs the study trains: one per objective, K and seed, one for both at K = 1 (as studyCells makes them). */
export function studyRunCount(p: Pick<StudyPicks, 'objectives' | 'ks' | 'seeds'>): number {
  const shared = p.objectives.includes('vae') && p.objectives.includes('iwae') && p.ks.includes(1) ? 1 : 0;
  return p.seeds.length * (p.ks.length * p.objectives.length - shared);
}
