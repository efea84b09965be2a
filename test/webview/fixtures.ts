// A recorded-looking run for the dashboard tests: an IWAE (K = 5) on 28x28
// digits, 10 epochs of 600 steps, a progress report every 30 steps. Seeded, so
// every run of the tests sees the same numbers and pictures.
import type { ImageGrid, RunEvent } from '../../src/shared/events';
import type { ToWebview } from '../../src/shared/protocol';
import { syntheticEvaluation } from '../helpers/evaluationResult';

export const RUN_ID = 'iwae-k5-mnist-20261124';
export const EPOCHS = 10;
export const STEPS_PER_EPOCH = 600;
export const PROGRESS_EVERY = 30;
export const PROGRESS_EVENTS = (EPOCHS * STEPS_PER_EPOCH) / PROGRESS_EVERY;
/** Epochs (0-based) whose event carries the -L_5000 estimate. */
export const NLL_EPOCHS = [4, 9];
export const LATENT_DIMS = 50;
export const TRAVERSAL_DIMS = [3, 11, 0, 27, 8];
export const TRAVERSAL_STEPS = 9;
export const TILE = 28;
const { fit, jackknife, weights } = syntheticEvaluation();
export const BOUND_VS_K = {
  ks: [1, 5, 50, 500, 5000], bounds: [-93.12, -90.41, -89.2, -88.73, -88.51], standardErrors: [0.41, 0.35, 0.33, 0.32, 0.32],
  analysis: { fit: { ...fit!, ks: [5, 50, 500, 5000], lInfinity: { mean: -88.4, standardError: 0.32 }, interval: [-89.03, -87.77] as [number, number] }, jackknife, weights },
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Seven-segment strokes (a..g) on a 0..1 box, slanted and thickened to look handwritten enough.
const SEGMENTS: Record<string, [number, number, number, number]> = {
  a: [0.25, 0.15, 0.75, 0.15], b: [0.75, 0.15, 0.75, 0.5], c: [0.75, 0.5, 0.75, 0.85], d: [0.25, 0.85, 0.75, 0.85],
  e: [0.25, 0.5, 0.25, 0.85], f: [0.25, 0.15, 0.25, 0.5], g: [0.25, 0.5, 0.75, 0.5],
};
const DIGITS = ['abcdef', 'bc', 'abged', 'abgcd', 'fgbc', 'afgcd', 'afgedc', 'abc', 'abcdefg', 'abcdfg'];

function distanceToSegment(px: number, py: number, [x1, y1, x2, y2]: [number, number, number, number]): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** A 28x28 grey digit: white strokes on black, like MNIST. */
export function digitTile(digit: number, { slant = 0.15, width = 0.07, blur = 0 } = {}): number[] {
  const strokes = DIGITS[digit % 10].split('').map((s) => SEGMENTS[s]);
  const out: number[] = [];
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      const py = (y + 0.5) / TILE;
      const px = (x + 0.5) / TILE + slant * (py - 0.5);
      const d = Math.min(...strokes.map((s) => distanceToSegment(px, py, s)));
      const edge = width + blur;
      const v = d <= width ? 1 : d >= edge + 0.035 ? 0 : 1 - (d - width) / (edge + 0.035 - width);
      out.push(Math.round(255 * Math.max(0, Math.min(1, v))));
    }
  }
  return out;
}

export function grid(rows: number, cols: number, tile: (r: number, c: number) => number[]): ImageGrid {
  const pixels: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) pixels.push(...tile(r, c));
  return { rows, cols, height: TILE, width: TILE, pixels };
}

const heldOutDigits = [7, 2, 1, 0, 4, 1, 4, 9];

export function imagesEvent(step: number): Extract<RunEvent, { type: 'images' }> {
  return {
    type: 'images',
    step,
    reconstructions: grid(2, 8, (r, c) => digitTile(heldOutDigits[c], r === 0 ? { slant: 0.12 + 0.03 * (c % 3) } : { slant: 0.1, blur: 0.04 })),
    samples: grid(1, 8, (_, c) => digitTile((c * 3 + 5) % 10, { slant: 0.05 * (c % 4), width: 0.06 + 0.01 * (c % 3), blur: 0.05 })),
    traversals: grid(TRAVERSAL_DIMS.length, TRAVERSAL_STEPS, (r, c) => {
      const t = c / (TRAVERSAL_STEPS - 1);
      return digitTile([3, 8, 0, 6, 9][r], { slant: r % 2 ? 0.4 * (t - 0.5) : 0.1, width: r % 2 ? 0.07 : 0.04 + 0.06 * t, blur: 0.03 });
    }),
    traversalDims: TRAVERSAL_DIMS,
  };
}

export function activeUnitsEvent(step: number): Extract<RunEvent, { type: 'activeUnits' }> {
  const random = mulberry32(7);
  const variances = Array.from({ length: LATENT_DIMS }, (_, d) => {
    if (d % 3 === 0 || d < 6) return 0.05 + random() * 1.1;
    return d % 7 === 0 ? 0 : 10 ** (-5 + random() * 2.5);
  });
  return { type: 'activeUnits', step, variances: [variances], threshold: 0.01, active: [variances.filter((v) => v > 0.01).length] };
}

/** The whole run, oldest first. */
export function runEvents(): RunEvent[] {
  const random = mulberry32(1);
  const events: RunEvent[] = [{
    type: 'start', runId: RUN_ID, objective: { kind: 'iwae', k: 5, m: 1, estimator: 'dreg' },
    totalSteps: EPOCHS * STEPS_PER_EPOCH, dataset: 'examples/mnist', step: 0, time: 0,
  }];
  const curve = (step: number): number => -87.5 - 115 * Math.exp(-step / 900) - 6 * Math.exp(-step / 4000);
  for (let step = PROGRESS_EVERY, i = 0; step <= EPOCHS * STEPS_PER_EPOCH; step += PROGRESS_EVERY, i++) {
    const epoch = Math.floor((step - 1) / STEPS_PER_EPOCH);
    events.push({
      type: 'progress', step, epoch, trainBound: curve(step) + (random() - 0.5) * 6, essFraction: 0.35 + 0.3 * Math.exp(-step / 1500) + (random() - 0.5) * 0.05,
      imagesPerSec: 4200 + random() * 600, learningRate: 1e-3, time: step * 0.012,
    });
    if (step % STEPS_PER_EPOCH !== 0) continue;
    const elbo = curve(step) - 4.2 - 0.4 * epoch;
    const iwae = elbo + 2.6;
    events.push({
      type: 'epoch', step, epoch, trainBound: curve(step), testElbo: elbo, testIwae: iwae,
      ...(NLL_EPOCHS.includes(epoch) ? { testNll: -(iwae + 1.3), evalK: 5000 } : {}), time: step * 0.012 + 1,
    });
    events.push(activeUnitsEvent(step), imagesEvent(step), { type: 'checkpoint', step, epoch, path: `runs/${RUN_ID}/checkpoint` });
  }
  const last = EPOCHS * STEPS_PER_EPOCH;
  events.push({ type: 'boundVsK', step: last, ...BOUND_VS_K });
  events.push({ type: 'end', status: 'finished', step: last, time: last * 0.012 + 30 });
  return events;
}

/** Events as the host would post them, in batches. */
export function eventMessages(events: readonly RunEvent[], batch = 25): ToWebview[] {
  const out: ToWebview[] = [];
  for (let i = 0; i < events.length; i += batch) out.push({ type: 'events', runId: RUN_ID, events: events.slice(i, i + batch) });
  return out;
}

/** Messages the webview must ignore, each broken in one way. */
export function malformedMessages(): { why: string; message: unknown }[] {
  const progress = { type: 'progress', step: 6030, epoch: 10, trainBound: -88, imagesPerSec: 4000, learningRate: 1e-3, time: 99 };
  const images = imagesEvent(6030);
  const events = (...e: unknown[]): unknown => ({ type: 'events', runId: RUN_ID, events: e });
  return [
    { why: 'an unknown message type', message: { type: 'refresh', runId: RUN_ID } },
    { why: 'no type at all', message: { runId: RUN_ID, events: [progress] } },
    { why: 'events without their list', message: { type: 'events', runId: RUN_ID } },
    { why: 'a snapshot without its run', message: { type: 'snapshot' } },
    { why: 'a snapshot run without a status', message: { type: 'snapshot', run: { runId: RUN_ID, events: [] } } },
    { why: 'an unknown event type', message: events({ ...progress, type: 'bogus' }) },
    { why: 'a progress event missing trainBound', message: events({ ...progress, trainBound: undefined }) },
    { why: 'a NaN bound', message: events({ ...progress, trainBound: Number.NaN }) },
    { why: 'an infinite bound', message: events({ ...progress, trainBound: -Infinity }) },
    { why: 'a string where a number goes', message: events({ ...progress, step: '6030' }) },
    { why: 'pixels of the wrong length', message: events({ ...images, samples: { ...images.samples, pixels: images.samples.pixels.slice(1) } }) },
    { why: 'a pixel out of range', message: events({ ...images, samples: { ...images.samples, pixels: images.samples.pixels.map((p, i) => (i === 5 ? 300 : p)) } }) },
    { why: 'a valid event next to a broken one', message: events(progress, { ...progress, epoch: -1 }) },
    { why: 'an epoch event with a NaN testNll', message: events({ type: 'epoch', step: 6030, epoch: 10, trainBound: -88, testElbo: -92, testIwae: -90, testNll: Number.NaN, time: 1 }) },
    { why: 'null', message: null },
    { why: 'a string', message: 'snapshot' },
    { why: 'a number', message: 42 },
    { why: 'an array', message: [{ type: 'snapshot', run: null }] },
  ];
}
