// What the study view draws from a manifest, without a browser: per objective
// against K, error bars that include the between-seed spread when there is
// one, the paired differences the findings computed, and the findings' text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePlan, findingLines, studySeries } from '../../src/webview/experiments/studySeries';
import { syntheticStudy } from '../helpers/studyManifest';

test('test NLL per objective against K, its bars 95% over the test examples and between seeds', () => {
  const m = syntheticStudy('s', 'finished', [1, 2, 3]);
  const s = studySeries(m);
  assert.deepEqual(s.nll.map((o) => o.objective), ['vae', 'iwae']);
  const iwae5 = m.results!.points.find((p) => p.objective === 'iwae' && p.k === 5)!;
  const series = s.nll[1];
  assert.deepEqual(series.points.map((p) => p.x), [1, 5, 50]);
  assert.equal(series.points[1].y, iwae5.testNll.mean);
  assert.ok(iwae5.testNllBetweenSeeds! > 0);
  assert.ok(Math.abs(series.errors[1] - 1.96 * Math.hypot(iwae5.testNll.standardError, iwae5.testNllBetweenSeeds!)) < 1e-12);
  assert.deepEqual(s.activeUnits[1].points.map((p) => p.y), [1, 5, 50].map((k) => m.results!.points.find((p) => p.objective === 'iwae' && p.k === k)!.activeUnits));
});

test('the gain over the baseline is the findings\' paired difference at each K where the two are different runs', () => {
  const m = syntheticStudy('s', 'finished');
  const [gain] = studySeries(m).gain;
  assert.equal(gain.objective, 'iwae');
  assert.deepEqual(gain.points.map((p) => p.x), [5, 50], 'none at K = 1: one run is both');
  const at50 = m.results!.findings.find((f) => f.about?.kind === 'beatsBaseline' && f.about.k === 50)!;
  assert.equal(gain.points[1].y, at50.difference);
  assert.ok(Math.abs(gain.errors[1] - 1.96 * at50.pairedStandardError!) < 1e-12, 'one seed: the paired error alone');
  assert.deepEqual(studySeries(syntheticStudy('r', 'running')).gain[0].points, [], 'no results, nothing to draw');
});

test('findings read without their leading verdict, which the badge shows; the plan in a line', () => {
  const m = syntheticStudy('s', 'finished');
  const lines = findingLines(m);
  assert.equal(lines.length, m.results!.findings.length);
  assert.ok(lines.every((l, i) => `${l.verdict}: ${l.text}` === m.results!.findings[i].sentence));
  assert.equal(describePlan(m), 'VAE, IWAE at K = 1, 5, 50 · 2 epochs · seed 1 · test NLL −L₅₀₀₀');
});
