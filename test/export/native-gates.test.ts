// The providers' native gates as their documentation defines them, written out here:
//   IonQ (docs.ionq.com, "Getting started with native gates"; phases in turns, 1 turn = 2π):
//     GPI(φ)  = [[0, e^{−i2πφ}], [e^{i2πφ}, 0]]
//     GPI2(φ) = 1/√2 [[1, −i e^{−i2πφ}], [−i e^{i2πφ}, 1]]
//     MS(φ0, φ1) = 1/√2 [[1, 0, 0, −i e^{−i2π(φ0+φ1)}], [0, 1, −i e^{−i2π(φ0−φ1)}, 0],
//                        [0, −i e^{i2π(φ0−φ1)}, 1, 0], [−i e^{i2π(φ0+φ1)}, 0, 0, 1]]
//   IBM / Qiskit ECRGate, as Qiskit prints it (little-endian: basis |q1 q0⟩, q0 the first argument):
//     1/√2 [[0, 1, 0, i], [1, 0, −i, 0], [0, i, 0, 1], [−i, 0, 1, 0]]
// and the writers' units (turns in [0, 1)) checked through the JSON they produce.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cmat, maxAbsDiff, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { gate, lowMatrix } from '../../src/circuit/lower/ops.js';
import { num } from '../../src/circuit/lower/angle.js';
import { toIonqGates, toTurns, ionqGatesToCircuit } from '../../src/export/ionq.js';
import { Circuit } from '../../src/circuit/circuit.js';
import { lowerCircuit } from '../../src/circuit/lower/pipeline.js';
import { withoutFinalRz } from '../../src/circuit/lower/stats.js';
import { engineProbs } from '../../src/export/check.js';

const { cos, sin, PI, SQRT1_2: h } = Math;
const e = (a: number): [number, number] => [cos(a), sin(a)];
const minusIe = (a: number): [number, number] => [h * sin(a), -h * cos(a)]; // −i e^{ia}/√2

const GPI = (t: number): ComplexMatrix => cmat([[0, e(-2 * PI * t)], [e(2 * PI * t), 0]]);
const GPI2 = (t: number): ComplexMatrix => cmat([[h, minusIe(-2 * PI * t)], [minusIe(2 * PI * t), h]]);
const MS = (a: number, b: number): ComplexMatrix =>
  cmat([
    [h, 0, 0, minusIe(-2 * PI * (a + b))],
    [0, h, minusIe(-2 * PI * (a - b)), 0],
    [0, minusIe(2 * PI * (a - b)), h, 0],
    [minusIe(2 * PI * (a + b)), 0, 0, h],
  ]);

const turns = fc.double({ min: -1, max: 1, noNaN: true });

test('GPI, GPI2 and MS match IonQ\'s definitions with phases in turns', () => {
  fc.assert(
    fc.property(turns, turns, (a, b) => {
      assert.ok(maxAbsDiff(lowMatrix(gate('gpi', [0], [num(2 * PI * a)])), GPI(a)) < 1e-14, 'maxAbsDiff(lowMatrix(gate(\'gpi\', [0], [num(2 * PI * a)])), GPI(a)) < 1e-14');
      assert.ok(maxAbsDiff(lowMatrix(gate('gpi2', [0], [num(2 * PI * a)])), GPI2(a)) < 1e-14, 'maxAbsDiff(lowMatrix(gate(\'gpi2\', [0], [num(2 * PI * a)])), GPI2(a)) < 1e-14');
      assert.ok(maxAbsDiff(lowMatrix(gate('ms', [0, 1], [num(2 * PI * a), num(2 * PI * b)])), MS(a, b)) < 1e-14, 'maxAbsDiff(lowMatrix(gate(\'ms\', [0, 1], [num(2 * PI * a), num(2 * PI * b)])), MS(a, b))...');
    }),
    { numRuns: 30, seed: 3 },
  );
});

test('MS(0, 0) is exp(−iπ/4 X⊗X), the fully entangling angle 0.25 turn', () => {
  const xx = cmat([[h, 0, 0, [0, -h]], [0, h, [0, -h], 0], [0, [0, -h], h, 0], [[0, -h], 0, 0, h]]);
  assert.ok(maxAbsDiff(MS(0, 0), xx) < 1e-15, 'maxAbsDiff(MS(0, 0), xx) < 1e-15');
});

test("ECR matches Qiskit's documented matrix (read in our wire order)", () => {
  const qiskit = cmat([[0, 1, 0, [0, 1]], [1, 0, [0, -1], 0], [0, [0, 1], 0, 1], [[0, -1], 0, 1, 0]]);
  // Qiskit's index is q1·2 + q0 with q0 = our wire a (most significant here): swap the bit order.
  const perm = [0, 2, 1, 3];
  const ours = lowMatrix(gate('ecr', [0, 1]));
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      const q = perm[i] * 4 + perm[j];
      assert.ok(Math.abs(ours.re[i * 4 + j] - h * qiskit.re[q]) < 1e-15 && Math.abs(ours.im[i * 4 + j] - h * qiskit.im[q]) < 1e-15, `entry ${i},${j}`);
    }
});

test('the IonQ writer prints phases in turns in [0, 1), and its JSON reads back to the same circuit', () => {
  assert.equal(toTurns(PI), 0.5);
  assert.equal(toTurns(-PI / 2), 0.75);
  assert.equal(toTurns(2 * PI), 0);
  const c = new Circuit(2).rx(0, 0.4).cry(0, 1, -1.1).h(1).rz(1, 2.5);
  const lowered = withoutFinalRz(lowerCircuit(c, 'ionq-native', { weights: [] }));
  const gates = toIonqGates(lowered, 'native');
  for (const g of gates) {
    const ph = 'phase' in g ? [g.phase] : 'phases' in g ? g.phases : [];
    for (const p of ph) assert.ok(p >= 0 && p < 1, `phase ${p} in turns`);
  }
  // The JSON's gates with the documented (turns) matrices give the original probabilities.
  const rebuilt = new Circuit(2);
  for (const g of gates) {
    if (g.gate === 'gpi') rebuilt.unitary([g.target], GPI(g.phase));
    else if (g.gate === 'gpi2') rebuilt.unitary([g.target], GPI2(g.phase));
    else if (g.gate === 'ms') rebuilt.unitary(g.targets, MS(g.phases[0], g.phases[1]));
  }
  const want = engineProbs(c, [], [new Float64Array(0)])[0];
  const got = engineProbs(rebuilt, [], [new Float64Array(0)])[0];
  const got2 = engineProbs(ionqGatesToCircuit(2, gates), [], [new Float64Array(0)])[0];
  want.forEach((p, i) => {
    assert.ok(Math.abs(p - got[i]) < 1e-12, `documented matrices, state ${i}`);
    assert.ok(Math.abs(p - got2[i]) < 1e-12, `reader, state ${i}`);
  });
});
