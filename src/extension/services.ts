// What the commands and views share: created once in activate().
import type { NativeBackend } from './native/nativeBackend';
import type * as vscode from 'vscode';
import type { TrainingService } from './training/trainingService';

export interface Services {
  context: vscode.ExtensionContext;
  training: TrainingService;
  /** Where TensorFlow's native backend is, and its set-up. */
  native: NativeBackend;
  log: vscode.LogOutputChannel;
  /** Opens (or reveals) the dashboard. */
  openDashboard(options?: { preserveFocus?: boolean }): void;
}
