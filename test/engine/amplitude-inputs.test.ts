// AmplitudeEmbedding's input checks, per sample of a batch: a feature vector that cannot be
// normalized (all zeros), or one that claims to be normalized but is not, is refused with an
// error naming the sample; vectors within the tolerance (1e-6 of norm 1) are accepted as given.
// Ground truth: |ψ_i|² of an embedded unit vector v is v_i² (written here, not the engine's).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { probs } from '../../src/circuit/measurements.js';
import { QNode } from '../../src/engine/qnode.js';
import { EngineInputError } from '../../src/engine/errors.js';

function embedded(normalize: boolean): QNode {
  const c = new Circuit(2).setAmplitudeInit({ firstInput: 0, length: 4, normalize, pad: 0 });
  return new QNode(c, probs());
}

test('normalize: an all-zero feature vector is refused, naming its sample; others are scaled to norm 1', () => {
  const q = embedded(true);
  const ok = q.forward(Float64Array.from([3, 0, 4, 0, 0, 1, 0, 1]), [], 2);
  const want = [9 / 25, 0, 16 / 25, 0, 0, 0.5, 0, 0.5];
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(ok[i] - want[i]) < 1e-15, `probs[${i}] ${ok[i]} vs ${want[i]}`);
  assert.throws(
    () => q.forward(Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0]), [], 2),
    (e: unknown) => e instanceof EngineInputError && /sample 1 has an all-zero feature vector/.test(e.message),
    'sample 1 is all zeros',
  );
});

test('without normalize: a vector off norm 1 by more than 1e-6 is refused with its norm; within it, used as given', () => {
  const q = embedded(false);
  assert.throws(
    () => q.forward(Float64Array.from([1, 0, 0, 0, 0.6, 0.8, 0.1, 0]), [], 2),
    (e: unknown) => e instanceof EngineInputError && /sample 1 has norm 1\.00499/.test(e.message) && /normalize: true/.test(e.message),
    'sample 1 has norm sqrt(1.01)',
  );
  const s = Math.SQRT1_2 * (1 + 4e-7);
  const out = q.forward(Float64Array.from([s, 0, 0, s]), [], 1);
  assert.equal(out[0], s * s, 'the amplitude is used as given, not rescaled');
  assert.throws(() => q.forward(Float64Array.from([Math.SQRT1_2 * (1 + 2e-6), 0, 0, Math.SQRT1_2]), [], 1), /has norm/, 'just past the tolerance');
});
