// Textbook matrices of every gate of the table, written here from their definitions (PennyLane's
// conventions, wire 0 = most significant), independently of src/circuit/gates.ts: the lowering
// tests compare against these, never against the table the lowering reads.

import { cmat, kron, matmul, type ComplexMatrix } from '../../src/circuit/matrix.js';

const { cos, sin, PI } = Math;
const h = Math.SQRT1_2;
const I2 = cmat([[1, 0], [0, 1]]);
const X = cmat([[0, 1], [1, 0]]);
const Y = cmat([[0, [0, -1]], [[0, 1], 0]]);
const Z = cmat([[1, 0], [0, -1]]);

/** exp(−iθ/2 P) = cos(θ/2)·I − i·sin(θ/2)·P, for P with P² = I. */
function expPauli(theta: number, p: ComplexMatrix): ComplexMatrix {
  const c = cos(theta / 2);
  const s = sin(theta / 2);
  const d = p.dim;
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) {
    re[i] = s * p.im[i] + (i % (d + 1) === 0 ? c : 0);
    im[i] = -s * p.re[i];
  }
  return { dim: d, re, im };
}
const diag = (...phases: number[]): ComplexMatrix =>
  cmat(phases.map((a, i) => phases.map((_, j): [number, number] => (i === j ? [cos(a), sin(a)] : [0, 0]))));
function ctrl(u: ComplexMatrix): ComplexMatrix {
  const d = u.dim;
  const rows = Array.from({ length: 2 * d }, (_, i) =>
    Array.from({ length: 2 * d }, (_, j): [number, number] => {
      if (i < d || j < d) return [i === j ? 1 : 0, 0];
      return [u.re[(i - d) * d + (j - d)], u.im[(i - d) * d + (j - d)]];
    }),
  );
  return cmat(rows);
}
const RX = (t: number) => expPauli(t, X);
const RY = (t: number) => expPauli(t, Y);
const RZ = (t: number) => expPauli(t, Z);
const P = (t: number) => diag(0, t);
const U3 = (t: number, p: number, l: number) =>
  cmat([
    [cos(t / 2), [-cos(l) * sin(t / 2), -sin(l) * sin(t / 2)]],
    [[cos(p) * sin(t / 2), sin(p) * sin(t / 2)], [cos(p + l) * cos(t / 2), sin(p + l) * cos(t / 2)]],
  ]);
const Rot = (a: number, b: number, c: number) => matmul(RZ(c), matmul(RY(b), RZ(a)));

/** name → (params) → matrix; MultiRZ on three wires. */
export const TEXTBOOK: Record<string, { wires: number; params: number; matrix: (p: number[]) => ComplexMatrix }> = {
  Identity: { wires: 1, params: 0, matrix: () => I2 },
  PauliX: { wires: 1, params: 0, matrix: () => X },
  PauliY: { wires: 1, params: 0, matrix: () => Y },
  PauliZ: { wires: 1, params: 0, matrix: () => Z },
  Hadamard: { wires: 1, params: 0, matrix: () => cmat([[h, h], [h, -h]]) },
  S: { wires: 1, params: 0, matrix: () => diag(0, PI / 2) },
  T: { wires: 1, params: 0, matrix: () => diag(0, PI / 4) },
  SX: { wires: 1, params: 0, matrix: () => cmat([[[0.5, 0.5], [0.5, -0.5]], [[0.5, -0.5], [0.5, 0.5]]]) },
  RX: { wires: 1, params: 1, matrix: (p) => RX(p[0]) },
  RY: { wires: 1, params: 1, matrix: (p) => RY(p[0]) },
  RZ: { wires: 1, params: 1, matrix: (p) => RZ(p[0]) },
  PhaseShift: { wires: 1, params: 1, matrix: (p) => P(p[0]) },
  Rot: { wires: 1, params: 3, matrix: (p) => Rot(p[0], p[1], p[2]) },
  U3: { wires: 1, params: 3, matrix: (p) => U3(p[0], p[1], p[2]) },
  CNOT: { wires: 2, params: 0, matrix: () => ctrl(X) },
  CZ: { wires: 2, params: 0, matrix: () => ctrl(Z) },
  CY: { wires: 2, params: 0, matrix: () => ctrl(Y) },
  SWAP: { wires: 2, params: 0, matrix: () => cmat([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]) },
  CRX: { wires: 2, params: 1, matrix: (p) => ctrl(RX(p[0])) },
  CRY: { wires: 2, params: 1, matrix: (p) => ctrl(RY(p[0])) },
  CRZ: { wires: 2, params: 1, matrix: (p) => ctrl(RZ(p[0])) },
  CRot: { wires: 2, params: 3, matrix: (p) => ctrl(Rot(p[0], p[1], p[2])) },
  ControlledPhaseShift: { wires: 2, params: 1, matrix: (p) => diag(0, 0, 0, p[0]) },
  CU3: { wires: 2, params: 3, matrix: (p) => ctrl(U3(p[0], p[1], p[2])) },
  IsingXX: { wires: 2, params: 1, matrix: (p) => expPauli(p[0], kron(X, X)) },
  IsingYY: { wires: 2, params: 1, matrix: (p) => expPauli(p[0], kron(Y, Y)) },
  IsingZZ: { wires: 2, params: 1, matrix: (p) => expPauli(p[0], kron(Z, Z)) },
  Toffoli: { wires: 3, params: 0, matrix: () => ctrl(ctrl(X)) },
  MultiRZ: { wires: 3, params: 1, matrix: (p) => expPauli(p[0], kron(Z, kron(Z, Z))) },
};

export const PAULI = { I2, X, Y, Z };
export { RX, RY, RZ, expPauli, ctrl, diag };
