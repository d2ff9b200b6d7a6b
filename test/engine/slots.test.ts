// Parameter slots (src/engine/slots.ts): non-finite values are refused naming the operation,
// parameter and sample — for slots shared by the batch (checked once) and per-sample slots (checked
// per sample) alike — and finite ones pass through to the same outputs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval } from '../../src/circuit/measurements.js';
import { zOnEveryWire } from '../../src/circuit/observables.js';
import { w, x } from '../../src/circuit/params.js';
import { QNode } from '../../src/engine/qnode.js';

function node(): QNode {
  const c = new Circuit(2);
  c.declareInputs(1);
  c.declareWeights(2);
  c.rx(0, x(0));
  c.ry(1, w(0));
  c.rz(1, w(1, { scale: 2, offset: 0.1 }));
  return new QNode(c, expval(zOnEveryWire(2)));
}

test('a non-finite weight is refused as its slot, sample 0 (a shared slot holds one value)', () => {
  assert.throws(() => node().forward([0.1, 0.2, 0.3], [0.5, Infinity]), /operation #2 \(RZ on wires 1\), parameter 0: value is Infinity for sample 0/);
  assert.throws(() => node().forward([0.1, 0.2, 0.3], [NaN, 1]), /operation #1 \(RY on wires 1\), parameter 0: value is NaN for sample 0/);
});

test('a non-finite input is refused with the sample it is in', () => {
  assert.throws(() => node().forward([0.1, 0.2, -Infinity], [0.5, 1]), /operation #0 \(RX on wires 0\), parameter 0: value is -Infinity for sample 2/);
});

test('finite parameters give the closed form: <Z0> = cos x, <Z1> = cos w0 (RZ leaves Z alone)', () => {
  const q = node();
  const out = q.forward([0.1, 0.2, 0.3], [0.5, 1]);
  for (let b = 0; b < 3; b++) {
    assert.ok(Math.abs(out[2 * b] - Math.cos(0.1 * (b + 1))) < 1e-14, 'Math.abs(out[2 * b] - Math.cos(0.1 * (b + 1))) < 1e-14');
    assert.ok(Math.abs(out[2 * b + 1] - Math.cos(0.5)) < 1e-14, 'Math.abs(out[2 * b + 1] - Math.cos(0.5)) < 1e-14');
  }
});
