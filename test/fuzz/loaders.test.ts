// The fuzz test of issue 11: a few hundred damaged datasets and checkpoints,
// generated from a fixed seed, each through the real loaders in a child process
// with a memory cap and a time limit. Every one must end as a loaded dataset or
// checkpoint, or as a clear error naming its file: no crash, no hang, no blow-up.
// FUZZ_SEED=n runs another seed (the failure message gives the seed and case to rerun).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCases } from './cases';
import { describeFailure, removeCases, runCases, writeCases } from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 11);
const LIMITS = { maxRssMb: 1024, caseSeconds: 30 };

test(`fuzz: damaged inputs to every loader end as data or a clear error (seed ${SEED})`, { timeout: 10 * 60_000 }, async () => {
  const cases = fuzzCases(SEED);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'case ids are unique');
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-fuzz-'));
  writeCases(root, cases);
  const verdicts = await runCases(root, cases, LIMITS, 2);
  assert.equal(verdicts.length, cases.length, 'every case got a verdict');
  const failures = verdicts.filter((v) => v.failure);
  // Some of the damage must leave a file the loaders accept, or the generator only tests the first check.
  const loaded = verdicts.filter((v) => v.outcome?.kind === 'loaded').length;
  assert.ok(loaded > 0 && loaded < cases.length, `${loaded} of ${cases.length} cases loaded`);
  if (failures.length === 0) removeCases(root);
  assert.deepEqual(failures.map((v) => describeFailure(SEED, root, v)), [], `${failures.length} of ${cases.length} cases failed; their files are kept in ${root}`);
});
