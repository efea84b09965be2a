// What package.json contributes and the code relies on: command ids, the
// dashboard's view type, the settings and their defaults. A test checks that
// the manifest says the same.

export const COMMANDS = {
  trainIwae: 'latentLab.trainIwae',
  trainVae: 'latentLab.trainVae',
  trainFromConfig: 'latentLab.trainFromConfig',
  resumeTraining: 'latentLab.resumeTraining',
  stopTraining: 'latentLab.stopTraining',
  openDashboard: 'latentLab.openDashboard',
  evaluateCheckpoint: 'latentLab.evaluateCheckpoint',
  setUpNativeBackend: 'latentLab.setUpNativeBackend',
  showNativeBackend: 'latentLab.showNativeBackend',
  runKStudy: 'latentLab.runKStudy',
  stopKStudy: 'latentLab.stopKStudy',
} as const;

export const DASHBOARD_VIEW_TYPE = 'latentLab.dashboard';
export const OUTPUT_CHANNEL_NAME = 'Latent Lab';
export const SETTINGS_SECTION = 'latentLab';
export const RECENT_DATASETS_KEY = 'latentLab.recentDatasets';
/** True while a run trains; package.json's menus use it. */
export const TRAINING_CONTEXT_KEY = 'latentLab.training';
/** True while this window's K study runs. */
export const STUDY_CONTEXT_KEY = 'latentLab.studyRunning';

export interface Settings {
  /** K offered first by Train IWAE. */
  defaultK: number;
  batchSize: number;
  epochs: number;
  /** K of the test log-likelihood -L_K. */
  evalK: number;
  /** Relative to the workspace folder unless absolute. */
  runsFolder: string;
}

export const DEFAULT_SETTINGS: Settings = { defaultK: 5, batchSize: 20, epochs: 10, evalK: 5000, runsFolder: '.latent-lab/runs' };
