// One thing trains at a time: each run already uses every core it gets. Every
// command that starts training (a run, a resume, a run config, a K study) asks here.
import type { Services } from '../services';
import { StudyBusyError } from '../study/studyService';
import { TrainingBusyError } from '../training/trainingService';

export function ensureIdle(services: Pick<Services, 'training' | 'studies'>): void {
  const training = services.training.progress;
  if (training) throw new TrainingBusyError(training.runId);
  const study = services.studies.progress;
  if (study) throw new StudyBusyError(study.name);
}
