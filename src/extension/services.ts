// What the commands and views share: created once in activate().
import type { NativeBackend } from './native/nativeBackend';
import type * as vscode from 'vscode';
import type { RunsWorkspace } from './runs/runsWorkspace';
import type { StudyService } from './study/studyService';
import type { TrainingService } from './training/trainingService';

export interface Services {
  context: vscode.ExtensionContext;
  training: TrainingService;
  /** The K study of this window, one at a time. */
  studies: StudyService;
  /** Where TensorFlow's native backend is, and its set-up. */
  native: NativeBackend;
  /** Every run of the workspace's runs folders. */
  runs: RunsWorkspace;
  log: vscode.LogOutputChannel;
  /** Opens (or reveals) the dashboard. */
  openDashboard(options?: { preserveFocus?: boolean }): void;
}
