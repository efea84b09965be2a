import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type NamedArray } from '../../src/engine/checkpoint/safetensors';
import { CheckpointError, loadCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { writeFileAtomic } from '../../src/engine/checkpoint/atomicWrite';

const tensors = new Map<string, NamedArray>([
  ['a.kernel', { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, 7]) }],
  ['b', { shape: [1], data: Float32Array.from([Math.PI]) }],
  ['empty', { shape: [0, 4], data: new Float32Array(0) }],
]);

test('safetensors: round trip of values, shapes and metadata; data 8-byte aligned', () => {
  const buf = encodeSafetensors(tensors, { note: 'hi', n: '3' });
  const headerLength = Number(buf.readBigUInt64LE(0));
  assert.equal((8 + headerLength) % 8, 0);
  const back = decodeSafetensors(buf);
  assert.deepEqual(back.metadata, { note: 'hi', n: '3' });
  assert.deepEqual([...back.tensors.keys()], [...tensors.keys()]);
  for (const [name, t] of tensors) {
    assert.deepEqual(back.tensors.get(name)?.shape, t.shape);
    assert.deepEqual(Array.from(back.tensors.get(name)!.data), Array.from(t.data));
  }
});

test('safetensors: the layout matches the specification byte for byte', () => {
  const buf = encodeSafetensors(new Map([['w', { shape: [2], data: Float32Array.from([1, 2]) }]]), {});
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  assert.deepEqual(header.w, { dtype: 'F32', shape: [2], data_offsets: [0, 8] });
  assert.equal(buf.readFloatLE(8 + n), 1);
  assert.equal(buf.readFloatLE(8 + n + 4), 2);
  assert.equal(buf.length, 8 + n + 8);
});

test('safetensors: truncated, garbage and inconsistent files are rejected with the reason', () => {
  const good = encodeSafetensors(tensors, {});
  assert.throws(() => decodeSafetensors(good.subarray(0, 5)), /too short/);
  assert.throws(() => decodeSafetensors(good.subarray(0, good.length - 4)), /truncated/);
  assert.throws(() => decodeSafetensors(Buffer.from('PK\x03\x04 this is a zip file, not safetensors')), /header length|not valid JSON/);
  const badJson = Buffer.alloc(16); badJson.writeBigUInt64LE(8n, 0); badJson.write('{nope!!!', 8);
  assert.throws(() => decodeSafetensors(badJson), /not valid JSON/);
  const header = JSON.stringify({ w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } });
  const f16 = Buffer.concat([Buffer.alloc(8), Buffer.from(header), Buffer.alloc(2)]); f16.writeBigUInt64LE(BigInt(header.length), 0);
  assert.throws(() => decodeSafetensors(f16), (e: Error) => e instanceof SafetensorsError && /F16/.test(e.message));
  const shapeMismatch = JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } });
  const sm = Buffer.concat([Buffer.alloc(8), Buffer.from(shapeMismatch), Buffer.alloc(8)]); sm.writeBigUInt64LE(BigInt(shapeMismatch.length), 0);
  assert.throws(() => decodeSafetensors(sm), /needs 12 bytes/);
});

test('checkpoints: a foreign safetensors file, a corrupt file and a missing file each get a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-ckpt-'));
  const foreign = join(dir, 'model.safetensors');
  writeFileSync(foreign, encodeSafetensors(tensors, { format: 'pt' }));
  assert.throws(() => loadCheckpoint(foreign), (e: Error) => e instanceof CheckpointError && e.message.startsWith(foreign) && /not a Latent Lab checkpoint/.test(e.message));
  const corrupt = join(dir, 'corrupt.safetensors');
  writeFileSync(corrupt, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  assert.throws(() => loadCheckpoint(corrupt), /not a readable safetensors file/);
  assert.throws(() => loadCheckpoint(join(dir, 'missing.safetensors')), /missing\.safetensors: does not exist/);
});

test('atomic writes replace the whole file and leave no temporary files behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-atomic-'));
  const path = join(dir, 'f.json');
  writeFileAtomic(path, 'old');
  writeFileAtomic(path, 'new contents');
  assert.equal(readFileSync(path, 'utf8'), 'new contents');
  assert.deepEqual(readdirSync(dir), ['f.json']);
});
