// Damaged files and a full disk, through the built CLI: each ends in one line
// that names the file and the problem, and loses nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeSafetensors, encodeSafetensors } from '../../src/engine/checkpoint/safetensors';
import { readRunRecord, runPaths } from '../../src/engine/train/runDir';
import { writeTinyDataset } from '../extension/helpers/tinyDataset';
import { ownLines, runCli } from './helpers/cli';

const scratch = () => mkdtempSync(join(tmpdir(), 'll-cli-messages-'));
const diskFull = join(process.cwd(), 'test', 'cli', 'helpers', 'diskFull.cjs');
const small = ['--hidden', '16', '--latent', '2', '--k', '3', '--eval-k', '20', '--nll-examples', '20', '--eval-examples', '50', '--epochs', '1'];
let data: string;
/** A run stopped at step 10, with its checkpoint. */
let stopped: string;

before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  data = writeTinyDataset(scratch(), 1000);
  stopped = join(scratch(), 'run');
  const r = runCli(['train', '--data', data, ...small, '--out', stopped, '--max-steps', '10']);
  assert.equal(r.status, 0, r.stderr);
});

function oneLine(r: ReturnType<typeof runCli>, pattern: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  const lines = ownLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
}

/** A copy of the stopped run whose checkpoint's config is rewritten by `edit`. */
function withConfig(edit: (config: Record<string, unknown>) => unknown): string {
  const dir = join(scratch(), 'run');
  cpSync(stopped, dir, { recursive: true });
  const file = runPaths(dir).checkpoint;
  const { tensors, metadata } = decodeSafetensors(readFileSync(file));
  writeFileSync(file, encodeSafetensors(tensors, { ...metadata, config: JSON.stringify(edit(JSON.parse(metadata.config))) }));
  return dir;
}

test('a checkpoint whose config lacks its data, or is null, is named with the field at fault by eval, inspect and --resume', () => {
  const cases: [string, (c: Record<string, unknown>) => unknown, string][] = [
    ['no config.data', ({ data: _d, ...rest }) => rest, 'data: Invalid input: expected object, received undefined'],
    ['config null', () => null, 'Invalid input: expected object, received null'],
  ];
  for (const [name, edit, problem] of cases) {
    const dir = withConfig(edit);
    const expected = new RegExp(`^latent-lab: ${runPaths(dir).checkpoint}: metadata 'config' is not a valid run config: ${problem.replace(/[.()]/g, '\\$&')}$`);
    for (const args of [['eval', dir], ['inspect', dir], ['train', '--resume', dir]]) {
      const r = runCli(args);
      assert.doesNotMatch(r.stderr, /Cannot read properties/, `${name}: ${args[0]}`);
      oneLine(r, expected);
    }
  }
});

test('a damaged run.json refuses a resume, naming it, and is left as it was; the checkpoint stays intact', () => {
  const dir = join(scratch(), 'run');
  cpSync(stopped, dir, { recursive: true });
  const text = readFileSync(runPaths(dir).record, 'utf8');
  const damaged = text.slice(0, 300);
  writeFileSync(runPaths(dir).record, damaged);
  oneLine(runCli(['train', '--resume', dir]),
    new RegExp(`^latent-lab: ${dir}: run.json is not valid JSON \\(cut short, or not written by Latent Lab\\); the checkpoint is intact: move run.json aside and resume again`));
  assert.equal(readFileSync(runPaths(dir).record, 'utf8'), damaged);
  assert.ok(!existsSync(join(dir, 'run.lock')));
});

test('a full disk at the first checkpoint fails the run in one line naming the file; run.json says so and no half file is left', () => {
  const out = join(scratch(), 'run');
  const r = runCli(['train', '--data', data, ...small, '--out', out], {
    node: ['--require', diskFull], env: { LATENT_LAB_TEST_DISK_FULL: String.raw`\.checkpoint\.safetensors\..*\.tmp$` },
  });
  const message = `${runPaths(out).checkpoint}: cannot write: no space left on the device (ENOSPC); no checkpoint had been written yet, so there is nothing to resume`;
  oneLine(r, new RegExp(`^latent-lab: ${message.replace(/[.()]/g, '\\$&')}$`));
  const record = readRunRecord(out)!;
  assert.deepEqual([record.status, record.message], ['failed', message]);
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp') || f === 'checkpoint.safetensors' || f === 'run.lock'), []);
});

test('a full disk under metrics.jsonl fails the run at its start, naming the file, with run.json saying so', () => {
  const out = join(scratch(), 'run');
  const r = runCli(['train', '--data', data, ...small, '--out', out], {
    node: ['--require', diskFull], env: { LATENT_LAB_TEST_DISK_FULL: String.raw`metrics\.jsonl$` },
  });
  oneLine(r, new RegExp(`^latent-lab: ${runPaths(out).metrics}: cannot write: no space left on the device \\(ENOSPC\\)`));
  const record = readRunRecord(out)!;
  assert.equal(record.status, 'failed');
  assert.match(record.message ?? '', new RegExp(`^${runPaths(out).metrics}: cannot write: no space left on the device \\(ENOSPC\\); no checkpoint`));
});
