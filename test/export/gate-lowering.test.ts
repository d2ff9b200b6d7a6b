// Every gate of the table, lowered alone to every target basis, against its textbook matrix
// (textbook.ts) up to one global phase — with numeric parameters (the matrix-derived Euler path)
// and with parameters that read inputs (the symbolic identities), and only basis gates left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { GATES } from '../../src/circuit/gates.js';
import { x } from '../../src/circuit/params.js';
import { BASES, lowerCircuit, type BasisName } from '../../src/circuit/lower/pipeline.js';
import { LoweringError } from '../../src/circuit/lower/expand.js';
import { ALLOWED, loweredUnitary, phaseDistance, substituted } from './unitary.js';
import { TEXTBOOK } from './textbook.js';

const angle = fc.double({ min: -7, max: 7, noNaN: true });

test('the textbook table covers every gate of the gate table (and MultiRZ)', () => {
  assert.deepEqual(Object.keys(TEXTBOOK).sort(), [...Object.keys(GATES), 'MultiRZ'].sort());
});

for (const [name, tb] of Object.entries(TEXTBOOK)) {
  test(`${name}: lowered to every basis equals its textbook matrix up to phase, numeric and input-dependent`, () => {
    fc.assert(
      fc.property(fc.array(angle, { minLength: tb.params, maxLength: tb.params }), (p) => {
        const wires = Array.from({ length: tb.wires }, (_, i) => i);
        const numeric = new Circuit(tb.wires).add(name, wires, p);
        const symbolic = new Circuit(tb.wires).add(name, wires, p.map((_, i) => x(i)));
        const want = tb.matrix(p);
        for (const basis of Object.keys(BASES) as BasisName[]) {
          const a = lowerCircuit(numeric, basis, { weights: [] });
          assert.ok(phaseDistance(loweredUnitary(a), want) < 1e-9, `${name} → ${basis} (numeric)`);
          for (const op of a.ops) assert.ok(ALLOWED[basis].includes(op.gate), `${name} → ${basis}: ${op.gate} is not a basis gate`);
          if (basis === 'ionq-native') continue; // IonQ takes numbers only (checked below)
          const s = lowerCircuit(symbolic, basis, { weights: [] });
          for (const op of s.ops) {
            assert.ok(ALLOWED[basis].includes(op.gate), `${name} → ${basis} (symbolic): ${op.gate}`);
            if (op.gate !== 'rz') assert.ok(op.angles.every((t) => t.op === 'num'), `only rz may read inputs, ${op.gate} does`);
          }
          assert.ok(phaseDistance(loweredUnitary(substituted(s, p)), want) < 1e-9, `${name} → ${basis} (symbolic)`);
        }
      }),
      { numRuns: tb.params ? 8 : 1, seed: 12 },
    );
  });
}

test('the phase-free comparison can fail: CNOT lowered is not CZ, RX(θ) is not RX(−θ)', () => {
  const cnot = lowerCircuit(new Circuit(2).cnot(0, 1), 'ibm-cz', { weights: [] });
  assert.ok(phaseDistance(loweredUnitary(cnot), TEXTBOOK.CZ.matrix([])) > 0.5, 'phaseDistance(loweredUnitary(cnot), TEXTBOOK.CZ.matrix([])) > 0.5');
  const rx = lowerCircuit(new Circuit(1).rx(0, 0.7), 'ionq-native', { weights: [] });
  assert.ok(phaseDistance(loweredUnitary(rx), TEXTBOOK.RX.matrix([-0.7])) > 0.1, 'phaseDistance(loweredUnitary(rx), TEXTBOOK.RX.matrix([-0.7])) > 0.1');
});

test('IonQ native needs bound inputs; a two-wire QubitUnitary is refused with the gate named', () => {
  assert.throws(() => lowerCircuit(new Circuit(1).rx(0, x(0)), 'ionq-native', { weights: [] }), /bind them/);
  const c = new Circuit(2).unitary([0, 1], TEXTBOOK.CNOT.matrix([]));
  assert.throws(() => lowerCircuit(c, 'ibm-cz', { weights: [] }), (e: unknown) => e instanceof LoweringError && /operation #0 \(QubitUnitary/.test((e as Error).message));
});
