// The dashboard's pure parts, without a browser: the reducer from events to
// view model, the plotted series, settings, traversal dims, log ticks, and
// the page's CSP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/shared/events';
import { parseDims } from '../../src/webview/dashboard/dims';
import { contentSecurityPolicy, pageHtml } from '../../src/webview/common/html';
import { boundVsKData, ema, heldOutSeries, trainSeries, xOf } from '../../src/webview/dashboard/series';
import { boundVsKSeries, histogramSteps, snrLines } from '../../src/webview/common/diagnosticsSeries';
import { syntheticSnrStudy } from '../helpers/evaluationResult';
import { defaultSettings, parseSettings, type ViewSettings } from '../../src/webview/dashboard/settings';
import { applyEvents, emptyState, fromSnapshot } from '../../src/webview/dashboard/state';
import { logTickLabel, logTicks } from '../../src/webview/common/ticks';
import { EPOCHS, NLL_EPOCHS, PROGRESS_EVENTS, RUN_ID, STEPS_PER_EPOCH, runEvents } from './fixtures';

const settings = (patch: Partial<ViewSettings> = {}): ViewSettings => ({ ...defaultSettings, ...patch });
const progress = (step: number, bound: number, epoch = 0): RunEvent => ({
  type: 'progress', step, epoch, trainBound: bound, imagesPerSec: 1000, learningRate: 1e-3, time: step,
});
const start = (step = 0, runId = RUN_ID): RunEvent => ({
  type: 'start', runId, objective: { kind: 'iwae', k: 5, m: 1, estimator: 'standard' }, totalSteps: 6000, dataset: 'd', step, time: 0,
});

describe('dashboard state', () => {
  it('turns a whole run into curves, images and a finished header', () => {
    const s = fromSnapshot({ runId: RUN_ID, status: 'finished', events: runEvents() });
    assert.equal(s.train.length, PROGRESS_EVENTS);
    assert.equal(s.heldOut.length, EPOCHS);
    assert.equal(s.heldOut.filter((p) => p.nll !== undefined).length, NLL_EPOCHS.length);
    assert.equal(s.stepsPerEpoch, STEPS_PER_EPOCH);
    assert.equal(s.images?.traversals.rows, 5);
    assert.equal(s.activeUnits?.variances[0].length, 50);
    assert.deepEqual(s.boundVsK?.ks, [1, 5, 50, 500, 5000]);
    assert.equal(s.run?.status, 'finished');
    assert.equal(s.run?.step, 6000);
    assert.equal(s.run?.totalSteps, 6000);
    assert.equal(s.run?.lastCheckpointStep, 6000);
    assert.deepEqual(s.run?.objective, { kind: 'iwae', k: 5, m: 1, estimator: 'dreg' });
  });

  it('knows which path each session of the run trains on, and why not the graph', () => {
    const eager = { path: 'eager', fallbackReason: "the graph cannot record this run's step: categorical draws" } as const;
    const resumed: RunEvent = { ...start(100), stepPath: eager } as RunEvent;
    let s = applyEvents(emptyState, RUN_ID, [{ ...start(), stepPath: { path: 'graph' } } as RunEvent, progress(100, -150)]);
    assert.deepEqual(s.run?.stepPath, { path: 'graph' });
    s = applyEvents(s, RUN_ID, [resumed]);
    assert.deepEqual(s.run?.stepPath, eager);
    assert.equal(applyEvents(emptyState, RUN_ID, [start()]).run?.stepPath, null, 'runs logged before the path was recorded');
  });

  it('takes the status from the snapshot, which knows about runs that died silently', () => {
    const s = fromSnapshot({ runId: RUN_ID, status: 'failed', events: [start(), progress(10, -200)] });
    assert.equal(s.run?.status, 'failed');
    assert.equal(fromSnapshot(null), emptyState);
  });

  it('appends events in batches without touching the previous state', () => {
    const first = applyEvents(emptyState, RUN_ID, [start(), progress(10, -200)]);
    const second = applyEvents(first, RUN_ID, [progress(20, -190), progress(30, -180)]);
    assert.equal(first.train.length, 1);
    assert.equal(second.train.length, 3);
    assert.equal(second.run?.step, 30);
    assert.equal(second.heldOut, first.heldOut, 'unchanged parts keep their identity, so views skip them');
    assert.equal(applyEvents(second, RUN_ID, []), second);
  });

  it('ignores stale events of another run unless they start it', () => {
    const s = applyEvents(emptyState, RUN_ID, [start(), progress(10, -200)]);
    assert.equal(applyEvents(s, 'old-run', [progress(99, -1)]), s);
    const other = applyEvents(s, 'new-run', [start(0, 'new-run'), progress(5, -300)]);
    assert.equal(other.run?.runId, 'new-run');
    assert.deepEqual(other.train.map((p) => p.step), [5]);
  });

  it('drops what was reported after the checkpoint a resumed run restarts from', () => {
    const s = applyEvents(emptyState, RUN_ID, [start(), progress(10, -200), progress(20, -190), progress(30, -180)]);
    const resumed = applyEvents(s, RUN_ID, [start(20), progress(30, -181)]);
    assert.deepEqual(resumed.train.map((p) => [p.step, p.bound]), [[10, -200], [20, -190], [30, -181]]);
    assert.equal(resumed.run?.status, 'running');
  });

  it('ends with the status and message of the end event', () => {
    const s = applyEvents(emptyState, RUN_ID, [start(), { type: 'end', status: 'failed', step: 0, message: 'diverged', time: 1 }]);
    assert.equal(s.run?.status, 'failed');
    assert.equal(s.run?.message, 'diverged');
  });
});

describe('dashboard series', () => {
  const state = fromSnapshot({ runId: RUN_ID, status: 'finished', events: runEvents() });

  it('smooths with a debiased EMA that starts at the first value', () => {
    assert.deepEqual(ema([5, 5, 5], 0.9).map((v) => Number(v.toFixed(12))), [5, 5, 5]);
    assert.deepEqual(ema([1, 2, 3], 0), [1, 2, 3]);
    const s = ema([0, 10], 0.5);
    assert.equal(s[0], 0);
    assert.ok(Math.abs(s[1] - 20 / 3) < 1e-12);
  });

  it('plots one train point per progress event, on steps or fractional epochs', () => {
    const bySteps = trainSeries(state, settings());
    assert.equal(bySteps.raw.length, PROGRESS_EVENTS);
    assert.equal(bySteps.smoothed.length, PROGRESS_EVENTS);
    assert.equal(bySteps.raw[0].x, 30);
    const byEpochs = trainSeries(state, settings({ xAxis: 'epoch' }));
    assert.equal(byEpochs.raw[0].x, 30 / STEPS_PER_EPOCH);
    assert.equal(byEpochs.raw.at(-1)?.x, EPOCHS);
    assert.equal(xOf(300, 0, { stepsPerEpoch: null }, 'epoch'), 0, 'whole epochs until an epoch has ended');
  });

  it('flips the sign for NLL and leaves out what a log axis cannot show', () => {
    const nll = trainSeries(state, settings({ yAxis: 'nll' }));
    assert.ok(nll.raw.every((p) => p.y > 0));
    const withPositive = applyEvents(state, RUN_ID, [progress(6030, 12)]);
    const log = trainSeries(withPositive, settings({ yAxis: 'nllLog' }));
    assert.equal(log.raw.length, PROGRESS_EVENTS);
    assert.equal(log.hidden, 1);
  });

  it('plots held-out bounds per epoch with the -L_5000 estimate where computed', () => {
    const s = heldOutSeries(state, settings({ xAxis: 'epoch' }));
    assert.deepEqual(s.elbo.map((p) => p.x), Array.from({ length: EPOCHS }, (_, i) => i + 1));
    assert.equal(s.iwae.length, EPOCHS);
    assert.deepEqual(s.nll.map((p) => p.x), NLL_EPOCHS.map((e) => e + 1));
    const estimate = state.heldOut[NLL_EPOCHS[0]].nll!;
    assert.equal(s.nll[0].y, -estimate, 'as a bound, -NLL');
    assert.equal(heldOutSeries(state, settings({ yAxis: 'nll' })).nll[0].y, estimate);
  });

  it('plots bound vs K with K on x, 95% error bars, the fitted curve over its K, the asymptote and JVI', () => {
    const event = state.boundVsK!;
    const s = boundVsKSeries(boundVsKData(event), 'nll');
    assert.deepEqual(s.ladder.points.map((p) => p.x), [1, 5, 50, 500, 5000]);
    assert.equal(s.ladder.points[0].y, 93.12, 'as NLL, -L_1');
    assert.ok(Math.abs(s.ladder.errors[0] - 1.96 * 0.41) < 1e-12);
    const fit = event.analysis!.fit!;
    assert.equal(s.fit[0].x, fit.ks[0]);
    assert.ok(Math.abs(s.fit.at(-1)!.x - 5000) < 1e-9);
    const k = s.fit[10].x;
    assert.ok(Math.abs(s.fit[10].y + (fit.lInfinity.mean - fit.a / k - fit.b / k ** 2)) < 1e-9, 'the fit, as NLL');
    assert.deepEqual(s.asymptote, [{ x: 1, y: 88.4 }, { x: 5000, y: 88.4 }]);
    assert.deepEqual(s.band.map((edge) => edge[0].y), [89.03, 87.77]);
    const [order1, order2] = s.jackknife;
    assert.ok(order1!.points[0].x < 100 && order2!.points[0].x > 100, 'JVI beside its K, both visible');
    assert.equal(order2!.points[0].y, -event.analysis!.jackknife!.order2.mean);
    // On a log axis what is <= 0 cannot show, and is counted.
    const negative = boundVsKSeries({ ladder: [{ k: 1, bound: 2, standardError: 0.1 }, { k: 2, bound: -1, standardError: 0.1 }] }, 'nllLog');
    assert.deepEqual([negative.ladder.points, negative.hidden], [[{ x: 2, y: 1 }], 1]);
    const old = boundVsKData({ type: 'boundVsK', step: 1, ks: [1, 2], bounds: [-3, -2] });
    assert.deepEqual(boundVsKSeries(old, 'bound').ladder.errors, [0, 0], 'runs logged before standard errors were: no bars');
    assert.deepEqual([boundVsKSeries(old, 'bound').fit, boundVsKSeries(old, 'bound').jackknife], [[], []]);
  });

  it('draws a histogram as steps closed at its right edge, and the SNR as a line per network and estimator', () => {
    assert.deepEqual(histogramSteps({ edges: [0, 1, 2], counts: [3, 5] }), [{ x: 0, y: 3 }, { x: 1, y: 5 }, { x: 2, y: 5 }]);
    const lines = snrLines(syntheticSnrStudy());
    assert.deepEqual(lines.map((l) => `${l.network}/${l.estimator}`), ['encoder/standard', 'encoder/stl', 'encoder/dreg', 'decoder/standard', 'decoder/stl', 'decoder/dreg']);
    assert.deepEqual(lines[0].points.map((p) => p.x), [1, 5, 50, 500]);
    assert.equal(lines[0].slope?.slope, -0.5);
  });

  it('keeps the ESS / K each progress event reports', () => {
    const s = trainSeries(state, settings());
    assert.equal(s.ess.length, PROGRESS_EVENTS);
    assert.ok(s.ess.every((p) => p.y > 0 && p.y <= 1));
    assert.equal(state.run?.essFraction, s.ess.at(-1)!.y);
    const old = applyEvents(emptyState, RUN_ID, [start(), progress(10, -200)]);
    assert.deepEqual([trainSeries(old, settings()).ess, old.run?.essFraction], [[], null], 'runs logged before ESS was');
  });
});

describe('dashboard settings', () => {
  it('keeps every saved field that still parses and defaults the rest', () => {
    assert.deepEqual(parseSettings(undefined), defaultSettings);
    assert.deepEqual(parseSettings({ smoothing: 0.9, xAxis: 'wall', yAxis: 'nllLog', traversalDims: [1, -2] }),
      { ...defaultSettings, smoothing: 0.9, yAxis: 'nllLog' });
    assert.equal(parseSettings({ smoothing: 1.5 }).smoothing, defaultSettings.smoothing);
  });
});

describe('traversal dims', () => {
  it('reads lists and ranges, once each', () => {
    assert.deepEqual(parseDims('0, 3 7-9;3'), { dims: [0, 3, 7, 8, 9] });
  });

  it('explains what it cannot read', () => {
    assert.match((parseDims('0, x') as { error: string }).error, /"x" is not a dimension/);
    assert.match((parseDims('5-2') as { error: string }).error, /backwards/);
    assert.match((parseDims('') as { error: string }).error, /at least one/);
    assert.match((parseDims('49, 50', 50) as { error: string }).error, /Dimension 50 does not exist/);
    assert.match((parseDims('0-100') as { error: string }).error, /At most 64/);
  });
});

describe('log-axis ticks', () => {
  it('picks decades, 1-2-5 steps or round steps depending on the range', () => {
    assert.deepEqual(logTicks(1e-6, 1.2), [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
    assert.deepEqual(logTicks(10, 1000), [10, 20, 50, 100, 200, 500, 1000]);
    assert.deepEqual(logTicks(80, 300), [100, 150, 200, 250, 300]);
    assert.deepEqual(logTicks(85, 101), [85, 90, 95, 100]);
    assert.deepEqual(logTicks(0, 1), []);
  });

  it('labels them short', () => {
    assert.equal(logTickLabel(0.01), '0.01');
    assert.equal(logTickLabel(1e-5), '1e-5');
    assert.equal(logTickLabel(250), '250');
  });
});

describe('dashboard page', () => {
  const page = pageHtml({ scriptUri: 'https://x/s.js?a=1&b=2', styleUri: 'https://x/d.css', cspSource: 'https://x', nonce: 'abc123', title: '<Latent> & Lab' });

  it('has a strict nonce CSP and loads only the bundle and the stylesheet', () => {
    const csp = contentSecurityPolicy('https://x', 'abc123');
    assert.equal(csp, "default-src 'none'; img-src https://x data: blob:; style-src https://x 'nonce-abc123'; script-src 'nonce-abc123'; font-src https://x;");
    assert.ok(page.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    assert.ok(page.includes('<script nonce="abc123" src="https://x/s.js?a=1&amp;b=2"></script>'));
    assert.ok(page.includes('<link rel="stylesheet" href="https://x/d.css">'));
    assert.ok(!/style=/.test(page), 'no inline style');
    assert.equal(page.match(/<script/g)?.length, 1);
  });

  it('escapes the title and refuses a nonce that could break out', () => {
    assert.ok(page.includes('<title>&lt;Latent&gt; &amp; Lab</title>'));
    assert.throws(() => pageHtml({ scriptUri: '', styleUri: '', cspSource: '', nonce: '" onload="x', title: '' }));
  });
});
