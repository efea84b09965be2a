// The `latentLab.training` context key: true while a run trains, so menus (the
// palette's Stop Training) offer only what applies.
import * as vscode from 'vscode';
import { TRAINING_CONTEXT_KEY } from '../contributions';
import type { TrainingService } from '../training/trainingService';
import { onStartOrEnd } from './startOrEnd';

export function trackTrainingContext(training: TrainingService): vscode.Disposable {
  return onStartOrEnd(training, (running) => void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, running));
}
