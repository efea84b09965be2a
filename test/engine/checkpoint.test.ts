// Checkpoints read from disk trust nothing in them: metadata is parsed against
// schemas, a config is checked against the arrays before any model is built,
// and only a regular file is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, encodeCheckpoint, loadCheckpoint, type Checkpoint } from '../../src/engine/checkpoint/checkpoint';
import { restoreAdam, restoreModel } from '../../src/engine/checkpoint/modelState';
import { parameterShapes } from '../../src/engine/models/architecture';
import { LatentVariableModel } from '../../src/engine/models/latentModel';
import { Sampler } from '../../src/engine/random/sampler';
import { smallCheckpoint, smallCheckpointBytes, smallModel } from '../helpers/checkpoint';

const dir = mkdtempSync(join(tmpdir(), 'll-checkpoint-'));

function throwsNaming(file: string, problem: RegExp, f: () => unknown): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${String(e)}`);
    assert.ok(e.message.startsWith(`${file}: `), e.message);
    assert.match(e.message, problem);
    return true;
  });
}

/** The small checkpoint with one metadata entry replaced by `text`, written to `name`.safetensors. */
function withMetadata(name: string, key: 'config' | 'state' | 'history', text: string): string {
  const file = join(dir, `${name}.safetensors`);
  writeFileSync(file, smallCheckpointBytes({ [key]: text }));
  return file;
}

test('checkpoint: parameterShapes names every parameter a model has, with its shape', () => {
  for (const model of [
    smallModel(),
    smallModel({ prior: 'mixture', priorComponents: 3, likelihood: 'gaussian-learned' }),
    smallModel({ layers: [{ hidden: [5, 4], latent: 3 }, { hidden: [], latent: 2 }], likelihood: 'gaussian-fixed' }),
    smallModel({ posterior: 'student-t', degreesOfFreedom: 3, prior: 'vamp', priorComponents: 4 }),
    smallModel({ layers: [{ hidden: [5], latent: 3 }, { hidden: [4], latent: 2 }], posterior: 'iaf', flow: { steps: 3, hidden: 7, context: 2 } }),
    smallModel({ posterior: 'iaf', flow: { steps: 1, hidden: 4, context: 0 } }),
    smallModel({ inputDim: 105, imageShape: [7, 5], imageChannels: 3, network: { kind: 'conv', channels: [4, 3], kernel: 3 }, prior: 'vamp', priorComponents: 2 }),
    smallModel({ inputDim: 36, imageShape: [6, 6], network: { kind: 'conv', channels: [2], kernel: 2 }, layers: [{ hidden: [], latent: 3 }, { hidden: [4], latent: 2 }] }),
  ]) {
    const live = new LatentVariableModel(model, new Sampler(1));
    assert.deepEqual(parameterShapes(model), new Map([...live.params].map(([name, v]) => [name, v.shape])));
    live.dispose();
  }
});

test('checkpoint: a valid small checkpoint loads and restores', () => {
  const file = join(dir, 'good.safetensors');
  writeFileSync(file, encodeCheckpoint(smallCheckpoint()));
  const c: Checkpoint = loadCheckpoint(file);
  assert.deepEqual(c.config, smallCheckpoint().config);
  const model = restoreModel(c, file);
  restoreAdam(model, c, file).dispose();
  model.dispose();
});

test('checkpoint: a config that is null, lacks data or has the wrong types names the file and the field', () => {
  throwsNaming(withMetadata('null-config', 'config', 'null'), /metadata 'config' is not a valid run config: Invalid input: expected object, received null/, () => loadCheckpoint(join(dir, 'null-config.safetensors')));
  const { data: _data, ...noData } = smallCheckpoint().config;
  throwsNaming(withMetadata('no-data', 'config', JSON.stringify(noData)), /metadata 'config' is not a valid run config: data: Invalid input/, () => loadCheckpoint(join(dir, 'no-data.safetensors')));
  const badHidden = { ...smallCheckpoint().config, model: smallModel({ layers: [{ hidden: ['4' as unknown as number], latent: 2 }] }) };
  throwsNaming(withMetadata('bad-hidden', 'config', JSON.stringify(badHidden)), /model\.layers\.0\.hidden\.0: Invalid input: expected number, received string/, () => loadCheckpoint(join(dir, 'bad-hidden.safetensors')));
  throwsNaming(withMetadata('bad-state', 'state', '{"epoch":1}'), /metadata 'state' is not a valid training state: stepInEpoch: /, () => loadCheckpoint(join(dir, 'bad-state.safetensors')));
  throwsNaming(withMetadata('bad-history', 'history', '[{"type":"epoch"}]'), /metadata 'history' is not a valid per-epoch history: 0\.step: /, () => loadCheckpoint(join(dir, 'bad-history.safetensors')));
});

test('checkpoint: a config that lies about the sizes is refused before a model is built', () => {
  // 784 x 2e8 weights would be 627 GB: the config is compared with the arrays in the file first.
  const huge = { ...smallCheckpoint().config, model: smallModel({ layers: [{ hidden: [200_000_000], latent: 2 }] }) };
  const file = withMetadata('lying-config', 'config', JSON.stringify(huge));
  const c = loadCheckpoint(file);
  throwsNaming(file, /weights q\.0\.0\.kernel has shape \[6,4\], the model needs \[6,200000000\]/, () => restoreModel(c, file));
});

test('checkpoint: a FIFO or a folder named checkpoint.safetensors is refused at once', { timeout: 20_000 }, () => {
  const fifo = join(dir, 'fifo.safetensors');
  execFileSync('mkfifo', [fifo]);
  throwsNaming(fifo, /is not a regular file \(a FIFO\); only regular files can be read/, () => loadCheckpoint(fifo));
  throwsNaming(dir, /is a folder, not a file/, () => loadCheckpoint(dir));
  throwsNaming(join(dir, 'missing.safetensors'), /does not exist/, () => loadCheckpoint(join(dir, 'missing.safetensors')));
});

test('checkpoint: a header longer than any checkpoint has is refused before it is parsed', () => {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(20 * 2 ** 20));
  const file = join(dir, 'huge-header.safetensors');
  writeFileSync(file, Buffer.concat([length, Buffer.alloc(20 * 2 ** 20, ' ')]));
  throwsNaming(file, /header length 20971520 is more than the 16777216 bytes a checkpoint's header can have/, () => loadCheckpoint(file));
});
