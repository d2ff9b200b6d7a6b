// Every gate against its matrix written out here from PennyLane's definitions (not from the gate
// table): the engine applies the gate to each basis state |j⟩, and the state it returns must be
// column j of the matrix. The kernel tests (gates.test.ts) compare the kernels with the table's
// own matrices, so a wrong sign in the table itself would pass them; these tests would not.
// Wire order: the first listed wire is the most significant bit (controls first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit, GATES, state } from '../../src/circuit/index.js';
import { QNode } from '../../src/engine/index.js';

type C = readonly [number, number];
const { cos, sin, SQRT1_2: R } = Math;
const e = (a: number): C => [cos(a), sin(a)];
const scale = (a: C, s: number): C => [a[0] * s, a[1] * s];
const I: C = [0, 1];
const ONE: C = [1, 0];
const ZERO: C = [0, 0];
const mi = (s: number): C => [0, -s]; // −i·s

/** U with a control wire in front: |0⟩⟨0| ⊗ 1 + |1⟩⟨1| ⊗ U. */
function controlled(u: C[][]): C[][] {
  const d = u.length;
  return Array.from({ length: 2 * d }, (_, i) =>
    Array.from({ length: 2 * d }, (_, j) => (i < d ? (i === j ? ONE : ZERO) : j < d ? ZERO : u[i - d][j - d])),
  );
}
const diag = (...v: C[]): C[][] => v.map((x, i) => v.map((_, j) => (i === j ? x : ZERO)));

const rx = (t: number): C[][] => [[[cos(t / 2), 0], mi(sin(t / 2))], [mi(sin(t / 2)), [cos(t / 2), 0]]];
const ry = (t: number): C[][] => [[[cos(t / 2), 0], [-sin(t / 2), 0]], [[sin(t / 2), 0], [cos(t / 2), 0]]];
const rz = (t: number): C[][] => diag(e(-t / 2), e(t / 2));
// Rot(φ, θ, ω) = RZ(ω) RY(θ) RZ(φ), multiplied out.
const rot = (p: number, t: number, o: number): C[][] => [
  [scale(e(-(p + o) / 2), cos(t / 2)), scale(e((p - o) / 2), -sin(t / 2))],
  [scale(e(-(p - o) / 2), sin(t / 2)), scale(e((p + o) / 2), cos(t / 2))],
];
const u3 = (t: number, p: number, l: number): C[][] => [
  [[cos(t / 2), 0], scale(e(l), -sin(t / 2))],
  [scale(e(p), sin(t / 2)), scale(e(p + l), cos(t / 2))],
];

const a = 0.7;
const b = -1.3;
const g = 2.1;

/** gate → [parameters, matrix], the matrix written from the definition. */
const EXPECTED: Record<string, [number[], C[][]]> = {
  Identity: [[], diag(ONE, ONE)],
  PauliX: [[], [[ZERO, ONE], [ONE, ZERO]]],
  PauliY: [[], [[ZERO, mi(1)], [I, ZERO]]],
  PauliZ: [[], diag(ONE, [-1, 0])],
  Hadamard: [[], [[[R, 0], [R, 0]], [[R, 0], [-R, 0]]]],
  S: [[], diag(ONE, I)],
  T: [[], diag(ONE, e(Math.PI / 4))],
  SX: [[], [[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]],
  RX: [[a], rx(a)],
  RY: [[a], ry(a)],
  RZ: [[a], rz(a)],
  PhaseShift: [[a], diag(ONE, e(a))],
  Rot: [[a, b, g], rot(a, b, g)],
  U3: [[a, b, g], u3(a, b, g)],
  CNOT: [[], controlled([[ZERO, ONE], [ONE, ZERO]])],
  CZ: [[], diag(ONE, ONE, ONE, [-1, 0])],
  CY: [[], controlled([[ZERO, mi(1)], [I, ZERO]])],
  SWAP: [[], [[ONE, ZERO, ZERO, ZERO], [ZERO, ZERO, ONE, ZERO], [ZERO, ONE, ZERO, ZERO], [ZERO, ZERO, ZERO, ONE]]],
  CRX: [[a], controlled(rx(a))],
  CRY: [[a], controlled(ry(a))],
  CRZ: [[a], controlled(rz(a))],
  CRot: [[a, b, g], controlled(rot(a, b, g))],
  ControlledPhaseShift: [[a], diag(ONE, ONE, ONE, e(a))],
  CU3: [[a, b, g], controlled(u3(a, b, g))],
  // exp(−iφ/2 X⊗X), exp(−iφ/2 Y⊗Y) (Y⊗Y|00⟩ = −|11⟩), exp(−iφ/2 Z⊗Z).
  IsingXX: [[a], [[[cos(a / 2), 0], ZERO, ZERO, mi(sin(a / 2))], [ZERO, [cos(a / 2), 0], mi(sin(a / 2)), ZERO], [ZERO, mi(sin(a / 2)), [cos(a / 2), 0], ZERO], [mi(sin(a / 2)), ZERO, ZERO, [cos(a / 2), 0]]]],
  IsingYY: [[a], [[[cos(a / 2), 0], ZERO, ZERO, [0, sin(a / 2)]], [ZERO, [cos(a / 2), 0], mi(sin(a / 2)), ZERO], [ZERO, mi(sin(a / 2)), [cos(a / 2), 0], ZERO], [[0, sin(a / 2)], ZERO, ZERO, [cos(a / 2), 0]]]],
  IsingZZ: [[a], diag(e(-a / 2), e(a / 2), e(a / 2), e(-a / 2))],
  Toffoli: [[], Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => ((i < 6 ? i === j : i + j === 13) ? ONE : ZERO)))],
};

/** Column j of the gate's matrix as the engine computes it: the gate applied to |j⟩. */
function engineColumn(gate: string, params: readonly number[], numWires: number, j: number, wires: readonly number[], n: number): C[] {
  const c = new Circuit(n);
  // Prepare |j⟩ on the gate's wires (bit k of j, from the most significant end, on wires[k]).
  for (let k = 0; k < numWires; k++) if ((j >> (numWires - 1 - k)) & 1) c.x(wires[k]);
  c.add(gate, wires, [...params]);
  const out = new QNode(c, state()).forward([], [], 1);
  const dim = 1 << n;
  // Read the amplitudes back in the gate's own basis order (other wires stay |0⟩).
  return Array.from({ length: 1 << numWires }, (_, i) => {
    let idx = 0;
    for (let k = 0; k < numWires; k++) if ((i >> (numWires - 1 - k)) & 1) idx |= 1 << (n - 1 - wires[k]);
    return [out[idx], out[dim + idx]] as C;
  });
}

test('the closed forms cover every gate of the table', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(GATES).sort());
});

for (const [gate, [params, matrix]] of Object.entries(EXPECTED)) {
  test(`${gate}${params.length ? `(${params.join(', ')})` : ''} applies the matrix of its definition`, () => {
    const k = Math.log2(matrix.length);
    // On the first wires in order, and on scattered wires in reverse order inside a larger register
    // (so that a kernel mixing up which wire is which shows).
    const placements = [Array.from({ length: k }, (_, i) => i), Array.from({ length: k }, (_, i) => 2 * (k - 1 - i) + 1)];
    for (const wires of placements) {
      const n = Math.max(...wires) + 2;
      for (let j = 0; j < matrix.length; j++) {
        const col = engineColumn(gate, params, k, j, wires, n);
        for (let i = 0; i < matrix.length; i++) {
          const [er, ei] = matrix[i][j];
          assert.ok(Math.abs(col[i][0] - er) < 1e-14 && Math.abs(col[i][1] - ei) < 1e-14, `${gate} on wires [${wires}]: entry (${i}, ${j}) is ${col[i][0]} + ${col[i][1]}i, expected ${er} + ${ei}i`);
        }
      }
    }
  });
}

test('MultiRZ(φ) on 3 wires is exp(−iφ/2 Z⊗Z⊗Z): e^{∓iφ/2} by the parity of the basis state', () => {
  for (let j = 0; j < 8; j++) {
    const c = new Circuit(3);
    for (let k = 0; k < 3; k++) if ((j >> (2 - k)) & 1) c.x(k);
    c.multiRZ([0, 1, 2], a);
    const out = new QNode(c, state()).forward([], [], 1);
    const odd = [1, 2, 4, 7].includes(j);
    const [er, ei] = e(odd ? a / 2 : -a / 2);
    assert.ok(Math.abs(out[j] - er) < 1e-14 && Math.abs(out[8 + j] - ei) < 1e-14, `MultiRZ on |${j.toString(2).padStart(3, '0')}⟩`);
  }
});
