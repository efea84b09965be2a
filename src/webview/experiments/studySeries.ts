// What the study view plots from a K study's results: per objective against K
// the test NLL (error bars over the test examples, and between seeds when there
// are several), the paired difference from the baseline, the active units and
// the train/held-out gap; and the findings with their verdicts. Pure, for tests.
import type { StudyManifest, StudyObjective, StudyPoint, Verdict } from '../../shared/study';
import type { Point } from '../common/charts';
import { subscript } from '../common/format';
import { Z95, type ErrorSeries } from '../common/diagnosticsSeries';


export interface ObjectiveSeries extends ErrorSeries {
  objective: StudyObjective;
}

/** One series per objective of `value` at each K, error bars from `error` (0: none). */
function perObjective(m: StudyManifest, value: (p: StudyPoint) => number, error: (p: StudyPoint) => number = () => 0): ObjectiveSeries[] {
  const points = m.results?.points ?? [];
  return m.plan.objectives.map((objective) => {
    const mine = points.filter((p) => p.objective === objective).sort((a, b) => a.k - b.k);
    return { objective, points: mine.map((p): Point => ({ x: p.k, y: value(p) })), errors: mine.map(error) };
  });
}

export interface StudySeries {
  nll: ObjectiveSeries[];
  /** Each objective but the baseline: its test NLL below the baseline's at each K, the difference paired over the test examples. */
  gain: ObjectiveSeries[];
  activeUnits: ObjectiveSeries[];
  overfitting: ObjectiveSeries[];
}

export function studySeries(m: StudyManifest): StudySeries {
  const findings = m.results?.findings ?? [];
  const [baseline, ...others] = m.plan.objectives;
  const gain = others.map((objective): ObjectiveSeries => {
    const beats = findings.flatMap((f) => (f.about?.kind === 'beatsBaseline' && f.about.objective === objective && f.about.baseline === baseline ? [{ f, k: f.about.k }] : []))
      .sort((a, b) => a.k - b.k);
    const halfWidth = (paired = 0, between = 0) => Z95 * Math.hypot(paired, between);
    return {
      objective,
      points: beats.map(({ f, k }) => ({ x: k, y: f.difference })),
      errors: beats.map(({ f }) => halfWidth(f.pairedStandardError, f.betweenSeedStandardError)),
    };
  });
  return {
    nll: perObjective(m, (p) => p.testNll.mean, (p) => Z95 * Math.hypot(p.testNll.standardError, p.testNllBetweenSeeds ?? 0)),
    gain,
    activeUnits: perObjective(m, (p) => p.activeUnits),
    overfitting: perObjective(m, (p) => p.overfitting),
  };
}

export interface FindingLine {
  verdict: Verdict;
  /** The sentence without its leading verdict, which the badge shows. */
  text: string;
}

export function findingLines(m: StudyManifest): FindingLine[] {
  return (m.results?.findings ?? []).map((f) => ({ verdict: f.verdict, text: f.sentence.startsWith(`${f.verdict}: `) ? f.sentence.slice(f.verdict.length + 2) : f.sentence }));
}

/** "VAE, IWAE at K = 1, 5, 50 · 2 epochs · seed 1 · −L_5000". */
export function describePlan(m: StudyManifest): string {
  const p = m.plan;
  const length = p.schedule.kind === 'burda' ? "Burda et al.'s schedule" : `${p.schedule.epochs} epoch${p.schedule.epochs === 1 ? '' : 's'}`;
  return `${p.objectives.map((o) => o.toUpperCase()).join(', ')} at K = ${p.ks.join(', ')} · ${length} · seed${p.seeds.length > 1 ? 's' : ''} ${p.seeds.join(', ')} · test NLL −L${subscript(p.evalK)}`;
}
