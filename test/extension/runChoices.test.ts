// The train command's choices, without VS Code: defaults per objective, precedence, recently used order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunChoices } from '../../src/shared/trainingProtocol';
import {
  choicesFromFile, choicesFromPicks, fixedSchedule, kOptions, MODEL_PRESETS, orderByRecent, rememberRecent, validateBeta, validatePositiveInteger,
} from '../../src/extension/runConfig/runChoices';
import { createRunConfig } from '../../src/engine/train/newRun';

const settings = { defaultK: 5, batchSize: 20, epochs: 10, evalK: 5000 };

test('IWAE offers the K setting first, VAE offers K = 1 first; both offer 1, 5 and 50', () => {
  assert.deepEqual(kOptions('iwae', 5).map((o) => [o.k, o.isDefault]), [[5, true], [1, false], [50, false]]);
  assert.deepEqual(kOptions('iwae', 20).map((o) => o.k), [20, 1, 5, 50]);
  assert.deepEqual(kOptions('vae', 5).map((o) => [o.k, o.isDefault]), [[1, true], [5, false], [50, false]]);
});

test('the picks win over a run config file, which wins over the settings', () => {
  const fromFile = { objective: 'miwae' as const, m: 3, k: 7, hidden: [16], latent: 4, batchSize: 50, schedule: { kind: 'burda' as const } };
  const choices = choicesFromPicks({ objective: 'iwae', k: 5, schedule: fixedSchedule(3) }, settings, fromFile);
  assert.deepEqual(choices, {
    objective: 'iwae', k: 5, m: 3, hidden: [16], latent: 4, batchSize: 50, evalK: 5000, schedule: { kind: 'fixed', epochs: 3, learningRate: 1e-3 },
  });
  assert.ok(RunChoices.safeParse(choices).success);
  assert.deepEqual(choicesFromPicks({ objective: 'vae', k: 1, schedule: { kind: 'burda' } }, settings), {
    objective: 'vae', k: 1, batchSize: 20, evalK: 5000, schedule: { kind: 'burda' },
  });
  assert.deepEqual(choicesFromFile({ objective: 'vae', schedule: { kind: 'burda' }, evalK: 10 }, settings), {
    objective: 'vae', schedule: { kind: 'burda' }, evalK: 10, batchSize: 20,
  });
});

test('PIWAE and CIWAE picks carry M and beta; a file\'s beta goes with any other objective', () => {
  const fromFile = { objective: 'ciwae' as const, k: 9, beta: 0.2, schedule: { kind: 'burda' as const } };
  const piwae = choicesFromPicks({ objective: 'piwae', k: 8, m: 4, schedule: fixedSchedule(2) }, settings, fromFile);
  assert.deepEqual([piwae.objective, piwae.m, piwae.k, piwae.beta], ['piwae', 4, 8, undefined]);
  const ciwae = choicesFromPicks({ objective: 'ciwae', k: 5, beta: 0.7, schedule: fixedSchedule(2) }, settings, fromFile);
  assert.deepEqual([ciwae.objective, ciwae.k, ciwae.beta], ['ciwae', 5, 0.7]);
  assert.equal(choicesFromPicks({ objective: 'ciwae', k: 5, schedule: fixedSchedule(2) }, settings, fromFile).beta, 0.2, 'the file\'s beta, when the pick gives none');
  for (const c of [piwae, ciwae]) assert.ok(RunChoices.safeParse(c).success);
  assert.equal(validateBeta('0.25'), undefined);
  assert.equal(validateBeta('1'), undefined);
  for (const bad of ['', '-0.1', '1.5', 'half']) assert.match(validateBeta(bad) ?? '', /from 0/, bad);
});

test('datasets are listed most recently used first, and the memory is bounded', () => {
  assert.deepEqual(orderByRecent(['a', 'b', 'c', 'd'], ['c', 'x', 'a']), ['c', 'a', 'b', 'd']);
  let recent: string[] = [];
  for (let i = 0; i < 15; i++) recent = rememberRecent(recent, `f${i}`);
  recent = rememberRecent(recent, 'f10');
  assert.equal(recent.length, 10);
  assert.deepEqual(recent.slice(0, 3), ['f10', 'f14', 'f13']);
});

test('typed numbers must be whole and in range', () => {
  assert.equal(validatePositiveInteger('50'), undefined);
  assert.match(validatePositiveInteger('0') ?? '', /at least 1/);
  assert.match(validatePositiveInteger('2.5') ?? '', /whole number/);
  assert.match(validatePositiveInteger('abc') ?? '', /whole number/);
  assert.match(validatePositiveInteger('200001') ?? '', /at most 100,000/);
});

test('each model family the quick pick offers makes a valid run on image data', () => {
  const images = { x: new Float32Array(40 * 64).fill(0.5), n: 40, d: 64, kind: 'unit' as const, source: 'images', imageShape: [8, 8] as const };
  const families = MODEL_PRESETS.map((preset) => {
    const choices = choicesFromPicks({ objective: 'iwae', k: 5, schedule: fixedSchedule(1) }, settings, preset.choices);
    assert.ok(RunChoices.safeParse(choices).success, preset.label);
    const { model } = createRunConfig(choices, images, { ...images, n: 4 }, 'images');
    return [model.posterior, model.prior, model.network?.kind ?? 'mlp'].join(' ');
  });
  assert.deepEqual(families, ['iaf normal mlp', 'student-t normal mlp', 'normal vamp mlp', 'normal normal conv']);
});
