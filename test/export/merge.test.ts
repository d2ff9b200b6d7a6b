// The optimization passes: rotations merge within a wire's run and only there, identities drop,
// self-inverse pairs cancel only when nothing stands between them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { x } from '../../src/circuit/params.js';
import { num } from '../../src/circuit/lower/angle.js';
import { cancelPairs, mergeRuns, mergeRz } from '../../src/circuit/lower/merge.js';
import { cx, gate, rz, u, type LoweredCircuit } from '../../src/circuit/lower/ops.js';
import { expandCircuit } from '../../src/circuit/lower/expand.js';
import { lowerCircuit } from '../../src/circuit/lower/pipeline.js';
import { RX, RY } from './textbook.js';
import { loweredUnitary, phaseDistance, circuitUnitary } from './unitary.js';

const lc = (numWires: number, ops: LoweredCircuit['ops']): LoweredCircuit => ({ numWires, ops });

test('adjacent numeric rotations on a wire merge into one u with their product', () => {
  const c = lc(1, [u(0, RX(0.3)), u(0, RY(1.1)), u(0, RX(-0.4))]);
  const m = mergeRuns(c);
  assert.equal(m.ops.length, 1);
  assert.ok(phaseDistance(loweredUnitary(m), loweredUnitary(c)) < 1e-14, 'phaseDistance(loweredUnitary(m), loweredUnitary(c)) < 1e-14');
});

test('rz angles add (numeric and input-dependent), and zero rotations mod 2π drop', () => {
  const m = mergeRz(lc(1, [rz(0, num(0.25)), rz(0, num(0.5))]));
  assert.equal(m.ops.length, 1);
  assert.ok(Math.abs((m.ops[0].angles[0] as { value: number }).value - 0.75) < 1e-15, 'Math.abs((m.ops[0].angles[0] as { value: number }).value - 0.75) < 1e-15');
  assert.equal(mergeRz(lc(1, [rz(0, num(2 * Math.PI)), rz(0, num(4 * Math.PI))])).ops.length, 0);
  assert.equal(mergeRz(lc(1, [rz(0, num(1e-3))])).ops.length, 1, 'a small rotation is not an identity');
  // RX(2π) = −I: the identity up to phase, so it vanishes from the lowered circuit.
  assert.equal(lowerCircuit(new Circuit(1).rx(0, 2 * Math.PI), 'ibm-cz', { weights: [] }).ops.length, 0);
  // Input-dependent: RZ(x0) then a diagonal constant (T) fold into one rz(x0 + π/4).
  const s = mergeRuns(expandCircuit(new Circuit(1).rz(0, x(0)).t(0), { weights: [] }));
  assert.equal(s.ops.length, 1);
  assert.equal(s.ops[0].gate, 'rz');
});

test('no merging across a two-qubit gate on the same wire; gates on other wires do not interrupt a run', () => {
  const blocked = mergeRuns(lc(2, [u(0, RX(0.3)), cx(0, 1), u(0, RX(0.4))]));
  assert.equal(blocked.ops.filter((o) => o.gate === 'u').length, 2, 'the cx on wire 0 separates the two rotations');
  const across = mergeRuns(lc(3, [u(0, RX(0.3)), cx(1, 2), u(0, RX(0.4))]));
  assert.equal(across.ops.filter((o) => o.gate === 'u').length, 1, 'the cx on wires 1, 2 does not touch wire 0');
  // And the unitary is preserved in both cases.
  for (const c of [lc(2, [u(0, RX(0.3)), cx(0, 1), u(0, RX(0.4))]), lc(2, [u(1, RX(0.3)), cx(0, 1), u(1, RY(0.4))])]) {
    assert.ok(phaseDistance(loweredUnitary(mergeRuns(c)), loweredUnitary(c)) < 1e-14, 'phaseDistance(loweredUnitary(mergeRuns(c)), loweredUnitary(c)) < 1e-14');
  }
});

test('a pair of equal CNOTs cancels only with nothing between them on either wire', () => {
  assert.equal(cancelPairs(lc(2, [cx(0, 1), cx(0, 1)])).ops.length, 0);
  assert.equal(cancelPairs(lc(2, [cx(0, 1), cx(1, 0)])).ops.length, 2, 'reversed CNOTs are different gates');
  assert.equal(cancelPairs(lc(2, [cx(0, 1), u(0, RX(0.2)), cx(0, 1)])).ops.length, 3);
  assert.equal(cancelPairs(lc(3, [cx(0, 1), u(2, RX(0.2)), cx(0, 1)])).ops.length, 1, 'a gate on another wire does not block');
  // Nested pairs cancel from the inside out; CZ is symmetric.
  assert.equal(cancelPairs(lc(3, [cx(0, 1), cx(1, 2), cx(1, 2), cx(0, 1)])).ops.length, 0);
  assert.equal(cancelPairs(lc(2, [gate('cz', [0, 1]), gate('cz', [1, 0])])).ops.length, 0);
  // End to end: CNOT·CNOT lowers to nothing at all.
  const c = new Circuit(2).cnot(0, 1).cnot(0, 1);
  assert.equal(lowerCircuit(c, 'ibm-cz', { weights: [] }).ops.length, 0);
  assert.ok(phaseDistance(loweredUnitary(lowerCircuit(c, 'ibm-cz', { weights: [] })), circuitUnitary(c, [])) < 1e-14, 'phaseDistance(loweredUnitary(lowerCircuit(c, \'ibm-cz\', { weights: [] })), circuitUnitar...');
});
