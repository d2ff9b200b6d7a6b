import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint, type CheckpointData } from '../../src/train/checkpoint.js';

const fingerprint = { model: 'a'.repeat(64), config: 'b'.repeat(64) };

function sample(): CheckpointData {
  return {
    epoch: 3,
    fingerprint,
    tensors: new Map([
      ['weights/layer0_dense/kernel', { shape: [2, 3], values: Float32Array.from([1.5, -2, 3e-8, Math.PI, -0, 7]) }],
      ['optimizer/m/layer0_dense/kernel', { shape: [2, 3], values: new Float32Array(6).fill(0.25) }],
    ]),
    state: { history: [{ epoch: 1, val_loss: null }], nested: { x: 1 } },
  };
}

function refusal(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${String(e)}`);
    return e;
  }
  assert.fail('the checkpoint was accepted');
}

test('a checkpoint round-trips bit for bit through an atomic file write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const path = join(dir, 'checkpoints', 'last.ckpt');
  writeCheckpoint(path, sample());
  const back = readCheckpoint(path, fingerprint);
  assert.equal(back.epoch, 3);
  assert.deepEqual(back.state, sample().state);
  const k = back.tensors.get('weights/layer0_dense/kernel')!;
  assert.deepEqual(k.shape, [2, 3]);
  assert.deepEqual(new Uint8Array(k.values.buffer), new Uint8Array(sample().tensors.get('weights/layer0_dense/kernel')!.values.buffer));
});

test('a truncated checkpoint is refused as truncated, at every cut point', () => {
  const bytes = encodeCheckpoint(sample());
  for (const cut of [0, 5, 11, 20, bytes.length - 40, bytes.length - 1]) {
    const e = refusal(() => decodeCheckpoint(bytes.subarray(0, cut), 'x.ckpt', fingerprint));
    assert.equal(e.problem, 'truncated', `cut at ${cut}: ${e.message}`);
    assert.match(e.message, /refusing checkpoint x\.ckpt: truncated: /);
  }
});

test('a flipped bit anywhere is refused as corrupt (checksum)', () => {
  const bytes = encodeCheckpoint(sample());
  for (const at of [bytes.length - 50, bytes.length - 10, 40]) {
    const damaged = Buffer.from(bytes);
    damaged[at] ^= 0x10;
    const e = refusal(() => decodeCheckpoint(damaged, 'x.ckpt', fingerprint));
    assert.equal(e.problem, 'corrupt', e.message);
  }
  const payloadFlip = Buffer.from(bytes);
  payloadFlip[bytes.length - 40] ^= 1;
  assert.match(refusal(() => decodeCheckpoint(payloadFlip, 'x.ckpt')).message, /checksum mismatch/);
  const notCkpt = Buffer.from('hello world, this is not a checkpoint at all........');
  assert.match(refusal(() => decodeCheckpoint(notCkpt, 'x.ckpt')).message, /corrupt: .*magic/);
});

test('a checkpoint of another model or config is refused as foreign and says which differs', () => {
  const bytes = encodeCheckpoint(sample());
  const model = refusal(() => decodeCheckpoint(bytes, 'x.ckpt', { ...fingerprint, model: 'c'.repeat(64) }));
  assert.equal(model.problem, 'foreign');
  assert.match(model.message, /model architecture/);
  assert.doesNotMatch(model.message, /resolved config/);
  const config = refusal(() => decodeCheckpoint(bytes, 'x.ckpt', { ...fingerprint, config: 'd'.repeat(64) }));
  assert.match(config.message, /foreign: .*resolved config/);
});

test('a missing file is reported as missing', () => {
  const e = refusal(() => readCheckpoint(join(tmpdir(), 'no-such-dir-xyz', 'last.ckpt')));
  assert.equal(e.problem, 'missing');
});

test('a file damaged on disk is refused by readCheckpoint too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  const path = join(dir, 'last.ckpt');
  writeCheckpoint(path, sample());
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.length - 7));
  assert.equal(refusal(() => readCheckpoint(path, fingerprint)).problem, 'truncated');
});
