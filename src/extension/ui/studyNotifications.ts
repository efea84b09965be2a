// A K study as the window shows it beyond its progress notification: the
// `latentLab.studyRunning` context key (the palette's Stop K Study), and how it
// ended, with the next step (Show Study, Resume, Show Log).
import * as vscode from 'vscode';
import { STUDY_CONTEXT_KEY } from '../contributions';
import { EXPERIMENT_COMMANDS } from '../experiments/experimentIds';
import { errorMessage } from '../logger';
import { describeStudyEnd, type StudyOutcome, type StudyService } from '../study/studyService';
import { onStartOrEnd } from './startOrEnd';

const SHOW_STUDY = 'Show Study';
const RESUME = 'Resume';
const SHOW_LOG = 'Show Log';

export function trackStudies(studies: StudyService, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    onStartOrEnd(studies, (running) => void vscode.commands.executeCommand('setContext', STUDY_CONTEXT_KEY, running)),
    studies.onDidEnd((o) => void notify(o, log).catch((err: unknown) => log.error(`after the K study ${o.name}: ${errorMessage(err)}`))),
  );
}

async function notify(o: StudyOutcome, log: vscode.LogOutputChannel): Promise<void> {
  const text = describeStudyEnd(o);
  const choice = o.status === 'failed'
    ? await vscode.window.showErrorMessage(text, SHOW_LOG, SHOW_STUDY)
    : o.status === 'stopped' ? await vscode.window.showInformationMessage(text, RESUME, SHOW_STUDY) : await vscode.window.showInformationMessage(text, SHOW_STUDY);
  if (choice === SHOW_LOG) log.show(true);
  else if (choice === SHOW_STUDY) await vscode.commands.executeCommand(EXPERIMENT_COMMANDS.showStudy, o.name);
  else if (choice === RESUME) await vscode.commands.executeCommand(EXPERIMENT_COMMANDS.resumeStudy, o.name);
}
