// Latent Lab's entry point: creates the training service, the output channel,
// the status bar and the dashboard, and registers the commands. Everything
// else lives in the modules it wires together.
import { NativeBackend } from './native/nativeBackend';
import * as vscode from 'vscode';
import { COMMANDS, OUTPUT_CHANNEL_NAME } from './contributions';
import { evaluateCommand } from './commands/evaluateCommand';
import { studyCommand } from './commands/studyCommand';
import { registerCommand } from './commands/guard';
import { resumeCommand } from './commands/resumeCommand';
import { stopCommand } from './commands/stopCommand';
import { trainCommand } from './commands/trainCommand';
import { trainFromConfigCommand } from './commands/trainFromConfigCommand';
import { dashboardSlot } from './dashboard/dashboardPanel';
import { registerExperimentFeatures } from './experiments/registerExperimentFeatures';
import { errorMessage } from './logger';
import type { Services } from './services';
import { RunsWorkspace } from './runs/runsWorkspace';
import { CLI_BUNDLE, StudyService } from './study/studyService';
import { TRAINING_WORKER, TrainingService } from './training/trainingService';
import { trackStudies } from './ui/studyNotifications';
import { notifyRunEnds } from './ui/runNotifications';
import { createStatusBar } from './ui/statusBar';
import { trackTrainingContext } from './ui/trainingContext';

let training: TrainingService | undefined;
let studies: StudyService | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const native = new NativeBackend(context, log);
  training = new TrainingService({ workerPath: context.asAbsolutePath(TRAINING_WORKER), log, env: () => native.childEnv() });
  // The study's runs load the same native backend as the training process, from the same environment.
  studies = new StudyService({ cliPath: context.asAbsolutePath(CLI_BUNDLE), log, env: () => native.childEnv() });
  const runs = new RunsWorkspace(log);
  const services: Services = {
    context, training, studies, native, log, runs,
    openDashboard: (options) => {
      showLatestRunIfIdle(services);
      dashboard.show(options?.preserveFocus);
    },
  };
  const dashboard = dashboardSlot(services);
  context.subscriptions.push(
    log,
    runs,
    createStatusBar(training),
    trackTrainingContext(training),
    notifyRunEnds(training, log),
    trackStudies(studies, log),
    dashboard.registerSerializer(() => showLatestRunIfIdle(services)),
    registerCommand(COMMANDS.trainIwae, log, () => trainCommand(services, 'iwae')),
    registerCommand(COMMANDS.trainVae, log, () => trainCommand(services, 'vae')),
    registerCommand(COMMANDS.trainFromConfig, log, (target) => trainFromConfigCommand(services, target)),
    registerCommand(COMMANDS.resumeTraining, log, (target) => resumeCommand(services, target)),
    registerCommand(COMMANDS.stopTraining, log, () => stopCommand(services)),
    registerCommand(COMMANDS.openDashboard, log, () => services.openDashboard()),
    registerCommand(COMMANDS.evaluateCheckpoint, log, (target) => evaluateCommand(services, target)),
    registerCommand(COMMANDS.runKStudy, log, (target) => studyCommand(services, target)),
    registerCommand(COMMANDS.stopKStudy, log, () => services.studies.stop()),
    registerCommand(COMMANDS.setUpNativeBackend, log, () => native.setUp(true)),
    registerCommand(COMMANDS.showNativeBackend, log, () => native.show()),
  );
  registerExperimentFeatures(context, services);
}

/** The training process would stop by itself when the host goes (it watches its IPC channel); asking first saves a step. */
export async function deactivate(): Promise<void> {
  await Promise.all([training?.dispose(), studies?.dispose()]);
  training = undefined;
  studies = undefined;
}

/** With nothing trained in this window yet, the dashboard shows the workspace's most recent run. */
function showLatestRunIfIdle(services: Services): void {
  if (services.training.shownRunId) return;
  const latest = services.runs.runs.find((r) => r.status !== 'unknown');
  if (!latest) return;
  try {
    services.training.show(latest.dir);
  } catch (err) {
    services.log.warn(`could not load the latest run: ${errorMessage(err)}`);
  }
}
