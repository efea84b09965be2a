// The ids of the runs view, the experiment dashboard and the checkpoint inspector,
// as package.json contributes them.

export const EXPERIMENT_COMMANDS = {
  openExperiments: 'latentLab.openExperimentDashboard',
  inspectCheckpoint: 'latentLab.inspectCheckpoint',
  refreshRuns: 'latentLab.runs.refresh',
  openRunInspector: 'latentLab.runs.openInspector',
  openRunDashboard: 'latentLab.runs.openDashboard',
  renameRun: 'latentLab.runs.rename',
  tagRun: 'latentLab.runs.tag',
  deleteRun: 'latentLab.runs.delete',
  revealRun: 'latentLab.runs.reveal',
  showStudy: 'latentLab.runs.showStudy',
  resumeStudy: 'latentLab.runs.resumeStudy',
} as const;

export const RUNS_VIEW_ID = 'latentLab.runs';
export const EXPERIMENTS_VIEW_TYPE = 'latentLab.experiments';
export const CHECKPOINT_EDITOR_VIEW_TYPE = 'latentLab.checkpoint';
/** The other extension's command this one hands runs to. */
export const RESUME_COMMAND = 'latentLab.resumeTraining';
