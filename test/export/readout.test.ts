// Expectation values from counts: the exported circuits (one per qubit-wise-commuting group, with
// basis rotations appended) read back from the written files, their exact probabilities turned
// into <observable> by the parity rule, must equal the engine's expectation values of the trained
// circuit. Also the parity rule itself on states with known answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { w, x } from '../../src/circuit/params.js';
import { expval, probs } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { parseQasm } from '../../src/circuit/qasm/import.js';
import { expvalsFromProbs, planReadout, wordExpectation } from '../../src/circuit/lower/readout.js';
import { QNode } from '../../src/engine/qnode.js';
import { exportCircuit } from '../../src/export/export.js';
import { engineProbs } from '../../src/export/check.js';

const circuit = new Circuit(3).ry(0, x(0)).rx(1, x(1)).cnot(0, 1).rot(2, w(0), w(1), w(2)).crz(1, 2, w(3)).h(0).cy(2, 0);
const weights = Float64Array.of(0.3, -1.2, 2.0, 0.7);
const inputs = Float64Array.of(0.9, -0.4);
const observables = ['X0 X1', 'Y0 Z2', 'Z1', '0.5*X0 Y1 + Z2 - 0.25*Y2', 'X1 X2'].map((s) => parseObservable(s, 3));

test('the parity rule: <Z0> = p(0..) − p(1..), <Z0 Z1> by parity, identity → 1', () => {
  const p = Float64Array.of(0.1, 0.2, 0.3, 0.4); // 2 wires: |00>, |01>, |10>, |11>
  assert.ok(Math.abs(wordExpectation(p, 2, [0]) - (0.1 + 0.2 - 0.3 - 0.4)) < 1e-15, 'Math.abs(wordExpectation(p, 2, [0]) - (0.1 + 0.2 - 0.3 - 0.4)) < 1e-15');
  assert.ok(Math.abs(wordExpectation(p, 2, [1]) - (0.1 - 0.2 + 0.3 - 0.4)) < 1e-15, 'Math.abs(wordExpectation(p, 2, [1]) - (0.1 - 0.2 + 0.3 - 0.4)) < 1e-15');
  assert.ok(Math.abs(wordExpectation(p, 2, [0, 1]) - (0.1 - 0.2 - 0.3 + 0.4)) < 1e-15, 'Math.abs(wordExpectation(p, 2, [0, 1]) - (0.1 - 0.2 - 0.3 + 0.4)) < 1e-15');
  assert.ok(Math.abs(wordExpectation(p, 2, []) - 1) < 1e-15, 'Math.abs(wordExpectation(p, 2, []) - 1) < 1e-15');
});

test('qubit-wise commuting words share a circuit; conflicting ones get their own', () => {
  const r = planReadout(expval(observables), 3);
  // Greedy, in term order: X0X1 → 0; Y0Z2 clashes on wire 0 → 1; Z1 joins 1; X0Y1 clashes with both → 2;
  // Z2 joins 0; Y2 joins 2; X1X2 clashes with all three → 3.
  assert.deepEqual(r.groups, [{ 0: 'X', 1: 'X', 2: 'Z' }, { 0: 'Y', 1: 'Z', 2: 'Z' }, { 0: 'X', 1: 'Y', 2: 'Y' }, { 1: 'X', 2: 'X' }]);
  assert.deepEqual(r.observables.map((terms) => terms.map((t) => t.group)), [[0], [1], [1], [2, 0, 2], [3]]);
  for (const terms of r.observables) for (const t of terms) for (const f of t.factors) assert.equal(r.groups[t.group][f.wire], f.pauli, 'each word is read in a group that measures its Paulis');
  assert.equal(planReadout(probs(), 3).groups.length, 1);
});

for (const target of ['openqasm3', 'ibm', 'braket'] as const) {
  test(`${target}: expvals from the written circuits' exact probabilities equal the engine's`, () => {
    const out = exportCircuit({ circuit, weights, measurement: expval(observables), target, inputs, shots: 100, name: 'readout' });
    const programs =
      target === 'ibm'
        ? (JSON.parse(out.files[0].text) as { params: { pubs: [string][] } }).params.pubs.map((p) => p[0])
        : target === 'braket'
          ? out.files.map((f) => (JSON.parse(JSON.parse(f.text).action) as { source: string }).source.replace('OPENQASM 3.0;\n', 'OPENQASM 3.0;\ninclude "stdgates.inc";\ngate cnot a, b { cx a, b; }\n'))
          : out.files.map((f) => f.text);
    assert.equal(programs.length, out.report.readout.groups.length);
    const groupProbs = programs.map((text) => engineProbs(parseQasm(text).circuit, [], [new Float64Array(0)])[0]);
    const got = expvalsFromProbs(out.report.readout, groupProbs, 3);
    const want = new QNode(circuit, expval(observables)).forward(inputs, weights, 1);
    got.forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 1e-10, `observable ${k}: ${v} vs ${want[k]}`));
  });
}
