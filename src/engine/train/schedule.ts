// Learning-rate schedules, as stages of (epochs, learning rate).
import type { Schedule } from '../../shared/runConfig';

export type { Schedule };

export interface Stage {
  epochs: number;
  learningRate: number;
}

/** Burda et al. 2015: for i = 0..7, 3^i passes at 1e-3 * 10^(-i/7) (3280 passes in all). */
export function burdaStages(): Stage[] {
  return Array.from({ length: 8 }, (_, i) => ({ epochs: 3 ** i, learningRate: 1e-3 * 10 ** (-i / 7) }));
}

export function stages(s: Schedule): Stage[] {
  if (s.kind === 'burda') return burdaStages();
  if (!Number.isInteger(s.epochs) || s.epochs < 1) throw new Error(`epochs must be a positive integer, got ${s.epochs}`);
  if (!(s.learningRate > 0)) throw new Error(`learning rate must be positive, got ${s.learningRate}`);
  return [{ epochs: s.epochs, learningRate: s.learningRate }];
}

export function totalEpochs(s: Schedule): number {
  return stages(s).reduce((n, st) => n + st.epochs, 0);
}

export function learningRateAt(s: Schedule, epoch: number): number {
  let end = 0;
  for (const st of stages(s)) {
    end += st.epochs;
    if (epoch < end) return st.learningRate;
  }
  throw new Error(`epoch ${epoch} is past the schedule's ${end} epochs`);
}
