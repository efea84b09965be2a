// A hundred plausible runs for the experiment dashboard's tests and benchmark:
// VAEs and IWAEs over a grid of K, each with curves that rise and level off.
import type { RunCurves, RunRow } from '../../src/shared/experimentsProtocol';
import { GradientEstimator, ObjectiveKind } from '../../src/shared/runConfig';

const KINDS = ObjectiveKind.options;
const KS = [1, 5, 50];
const ESTIMATORS = GradientEstimator.options;

export function syntheticRuns(n: number, epochs = 300): { rows: RunRow[]; curves: RunCurves[] } {
  const rows: RunRow[] = [];
  const curves: RunCurves[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % 3];
    const k = kind === 'vae' ? 1 : KS[(i >> 2) % 3];
    const m = kind === 'miwae' ? 1 + (i % 4) : 1;
    const plateau = -86 - (kind === 'vae' ? 3 : 0) + Math.log(k) * 0.6 - (i % 7) * 0.15;
    const id = `${kind}-k${k}-run${String(i).padStart(3, '0')}`;
    const done = i % 10 === 3 ? Math.floor(epochs / 3) : epochs;
    const ep = Array.from({ length: done }, (_, e) => e + 1);
    const testIwae = ep.map((e) => plateau - 60 * Math.exp(-e / (20 + (i % 5) * 6)) + Math.sin(e * 0.7 + i) * 0.15);
    curves.push({ id, epochs: ep, testIwae, trainBound: testIwae.map((v, e) => v + 1.2 + Math.cos(e + i) * 0.3), testElbo: testIwae.map((v) => v - 2 - Math.log(k)) });
    rows.push({
      id, name: i % 9 === 0 ? `baseline ${i}` : id, tags: i % 11 === 0 ? ['paper'] : [],
      status: done < epochs ? (i % 20 === 3 ? 'running' : 'stopped') : i % 17 === 5 ? 'failed' : 'finished',
      objective: { kind, k, m, estimator: ESTIMATORS[i % 3] },
      epochs: done, totalEpochs: epochs, step: done * 3000,
      bestBound: Math.max(...testIwae),
      ...(done === epochs ? { testNll: -plateau - 0.4, evalK: 5000, activeUnits: [10 + (i % 30)] } : {}),
      imagesPerSec: 4000 + (i * 37) % 2000, wallSeconds: 60 * done * (1 + k / 10), updated: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(), hasCheckpoint: true,
    });
  }
  return { rows, curves };
}
