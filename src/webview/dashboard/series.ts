// What the charts plot, derived from the view model and the view settings:
// the x-axis choice, bound or NLL = -bound, and EMA smoothing. Pure, for tests.
import type { BoundVsKEvent } from '../../shared/events';
import type { Point } from '../common/charts';
import type { BoundVsKData } from '../common/diagnosticsSeries';
import type { DashboardState } from './state';
import type { ViewSettings } from './settings';

/**
 * Exponential moving average with TensorBoard's debiasing: the first values
 * are not pulled toward 0, so the smoothed line starts where the data starts.
 */
export function ema(values: readonly number[], weight: number): number[] {
  const out: number[] = [];
  let acc = 0;
  let norm = 0;
  for (const v of values) {
    acc = acc * weight + (1 - weight) * v;
    norm = norm * weight + (1 - weight);
    out.push(acc / norm);
  }
  return out;
}

/** Bounds are negative log-likelihood lower bounds; NLL views flip the sign so a log axis can show them. */
export function yValue(bound: number, yAxis: ViewSettings['yAxis']): number {
  return yAxis === 'bound' ? bound : -bound;
}

/** A log axis cannot place values <= 0: they are left out and counted. */
function plot(points: Point[], yAxis: ViewSettings['yAxis']): { points: Point[]; hidden: number } {
  if (yAxis !== 'nllLog') return { points, hidden: 0 };
  const shown = points.filter((p) => p.y > 0);
  return { points: shown, hidden: points.length - shown.length };
}

/** x of a point reported at `step` during `epoch`: fractional epochs once the epoch length is known. */
export function xOf(step: number, epoch: number, state: Pick<DashboardState, 'stepsPerEpoch'>, xAxis: ViewSettings['xAxis']): number {
  if (xAxis === 'step') return step;
  return state.stepsPerEpoch ? step / state.stepsPerEpoch : epoch;
}

export interface TrainSeries { raw: Point[]; smoothed: Point[]; hidden: number; ess: Point[] }

export function trainSeries(state: DashboardState, settings: ViewSettings): TrainSeries {
  const xs = state.train.map((p) => xOf(p.step, p.epoch, state, settings.xAxis));
  const smooth = ema(state.train.map((p) => p.bound), settings.smoothing);
  const raw = plot(state.train.map((p, i) => ({ x: xs[i], y: yValue(p.bound, settings.yAxis) })), settings.yAxis);
  const smoothed = plot(smooth.map((v, i) => ({ x: xs[i], y: yValue(v, settings.yAxis) })), settings.yAxis);
  const ess = state.train.flatMap((p, i) => (p.essFraction === undefined ? [] : [{ x: xs[i], y: p.essFraction }]));
  return { raw: raw.points, smoothed: smoothed.points, hidden: raw.hidden, ess };
}

export interface HeldOutSeries { elbo: Point[]; iwae: Point[]; nll: Point[]; hidden: number }

export function heldOutSeries(state: DashboardState, settings: ViewSettings): HeldOutSeries {
  const x = (p: DashboardState['heldOut'][number]): number => (settings.xAxis === 'step' ? p.step : p.epochs);
  const elbo = plot(state.heldOut.map((p) => ({ x: x(p), y: yValue(p.elbo, settings.yAxis) })), settings.yAxis);
  const iwae = plot(state.heldOut.map((p) => ({ x: x(p), y: yValue(p.iwae, settings.yAxis) })), settings.yAxis);
  // testNll is already -L_K; as a bound it is L_K.
  const nll = plot(state.heldOut.flatMap((p) => (p.nll === undefined ? [] : [{ x: x(p), y: yValue(-p.nll, settings.yAxis) }])), settings.yAxis);
  return { elbo: elbo.points, iwae: iwae.points, nll: nll.points, hidden: elbo.hidden + iwae.hidden + nll.hidden };
}

/** The trainer's final bound-vs-K event as the panel draws it (events logged before standard errors were have none). */
export function boundVsKData(event: BoundVsKEvent): BoundVsKData {
  return {
    ladder: event.ks.map((k, i) => ({ k, bound: event.bounds[i], standardError: event.standardErrors?.[i] ?? 0 })),
    ...(event.analysis ? { analysis: event.analysis } : {}),
  };
}
