// A K study's manifest as `latent-lab study` writes it, its results computed
// by the engine's own findings from made-up per-example bounds (the IWAE
// gaining log K nats over the VAE): for tests of what lists and draws studies.
import { studyResults, type CellOutcome } from '../../src/engine/study/findings';
import { studyCells } from '../../src/engine/study/studyRun';
import type { StudyCell, StudyManifest, StudyPlan, StudyStatus } from '../../src/shared/study';

export function studyPlan(name: string, seeds = [1]): StudyPlan {
  return { name, data: '/data/mnist', objectives: ['vae', 'iwae'], ks: [1, 5, 50], seeds, schedule: { kind: 'fixed', epochs: 2 }, evalK: 5000, evalSeed: 0, trainArgs: [] };
}

const EXAMPLES = 200;

function outcome(cell: StudyCell): CellOutcome {
  const iwae = cell.objectives.includes('vae') ? 0 : 1;
  return {
    perExample: Array.from({ length: EXAMPLES }, (_, i) => -95 + 8 * (((i * 37) % EXAMPLES) / EXAMPLES - 0.5) + iwae * Math.log(cell.k) + 0.1 * Math.log(cell.k) + 0.3 * (((i * 11 + cell.k + cell.seed) % 7) / 7 - 0.5)),
    activeUnits: 15 + iwae * Math.round(2 * Math.log(cell.k)) + cell.seed,
    overfitting: 0.5 + 0.2 * Math.log(cell.k) - iwae * 0.1,
  };
}

export function syntheticStudy(name: string, status: StudyStatus = 'finished', seeds = [1]): StudyManifest {
  const plan = studyPlan(name, seeds);
  const cells = studyCells(plan);
  return {
    format: 'latent-lab-study', version: 1, plan, cells, status, created: '2026-12-01T10:00:00.000Z', updated: '2026-12-01T11:00:00.000Z',
    ...(status === 'finished' ? { results: studyResults(plan, cells, outcome) } : {}),
    ...(status === 'stopped' ? { message: 'stopped; run the same command (or --resume) to continue' } : {}),
  };
}
