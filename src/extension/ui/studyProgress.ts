// The progress notification of a K study: runs trained of the study's runs and
// its last note; Cancel stops the study (every run saves after its step).
import * as vscode from 'vscode';
import type { StudyService } from '../study/studyService';

export function showStudyProgress(studies: StudyService, name: string): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Latent Lab: K study ${name}`, cancellable: true },
    (progress, token) => new Promise<void>((resolve) => {
      let reported = 0;
      const subscription = studies.onDidChangeProgress((p) => {
        if (!p || p.name !== name) {
          subscription.dispose();
          resolve();
          return;
        }
        const percent = p.runs ? (100 * p.trained) / p.runs : reported;
        const stopping = p.phase === 'stopping' ? 'stopping after each run\'s current step · ' : '';
        progress.report({ message: `${stopping}${p.trained} of ${p.runs} runs trained${p.note ? ` · ${p.note}` : ''}`, increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      });
      token.onCancellationRequested(() => void studies.stop());
    }),
  );
}
