// The progress notification of a K study: runs trained of the study's runs and
// its last note; Cancel stops the study (every run saves after its step).
import type { StudyProgress, StudyService } from '../study/studyService';
import { followProgress } from './followProgress';

export function showStudyProgress(studies: StudyService, name: string): void {
  followProgress({
    title: `Latent Lab: K study ${name}`,
    changes: studies.onDidChangeProgress,
    isJob: (p): p is StudyProgress => p?.name === name,
    describe: (p) => {
      const stopping = p.phase === 'stopping' ? 'stopping after each run\'s current step · ' : '';
      return { message: `${stopping}${p.trained} of ${p.runs} runs trained${p.note ? ` · ${p.note}` : ''}`, ...(p.runs ? { percent: (100 * p.trained) / p.runs } : {}) };
    },
    stop: () => void studies.stop(),
  });
}
