// The fuzz harness catches every way a loader can fail: a crash, a hang, memory
// past the cap and an unclear error, each blamed on its own case, while the
// cases around it still run (a crash or hang in the middle of a batch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzCase } from './cases';
import { removeCases, runCases, writeCases } from './harness';

const probe = (how: string): FuzzCase => ({ id: `probe-${how}`, loader: 'probe', description: how, files: [], target: how });
const good = (i: number): FuzzCase => ({ id: `good-${i}`, loader: 'data', description: 'valid CSV', files: [{ path: 'a.csv', bytes: Buffer.from('1,2\n3,4\n') }], target: 'a.csv' });

test('fuzz harness: crashes, hangs, memory past the cap and internal errors are each blamed on their case', { timeout: 120_000 }, async () => {
  const cases = [good(0), probe('crash'), good(1), probe('hang'), good(2), probe('grow'), good(3), probe('throw'), good(4)];
  const root = mkdtempSync(join(tmpdir(), 'latent-lab-fuzz-harness-'));
  writeCases(root, cases);
  const verdicts = new Map((await runCases(root, cases, { maxRssMb: 300, caseSeconds: 3 }, 1)).map((v) => [v.case.id, v]));
  removeCases(root);
  assert.deepEqual([...verdicts.keys()].sort(), cases.map((c) => c.id).sort(), 'every case gets a verdict');
  for (let i = 0; i < 5; i++) assert.equal(verdicts.get(`good-${i}`)?.failure, undefined, `good-${i} passes`);
  assert.match(verdicts.get('probe-crash')?.failure ?? '', /crashed the loader process \(exit SIGSEGV\)/);
  assert.match(verdicts.get('probe-hang')?.failure ?? '', /hung: no answer within 3 s/);
  assert.match(verdicts.get('probe-grow')?.failure ?? '', /over the 300 MB cap|Array buffer allocation failed|crashed/);
  assert.match(verdicts.get('probe-throw')?.failure ?? '', /TypeError instead of a DataError or CheckpointError/);
});
