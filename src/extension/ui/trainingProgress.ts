// The progress notification of a run; its Cancel button stops the run cleanly (a checkpoint is kept).
import { percentDone, progressMessage } from '../training/runSummary';
import type { RunProgress, TrainingService } from '../training/trainingService';
import { followProgress } from './followProgress';

export function showTrainingProgress(training: TrainingService, runId: string): void {
  followProgress({
    title: `Latent Lab: ${runId}`,
    changes: training.onDidChangeProgress,
    isJob: (p): p is RunProgress => p?.runId === runId,
    describe: (p) => ({ message: progressMessage(p), percent: percentDone(p) }),
    stop: () => void training.stop(),
  });
}
