// Pass: every CNOT into a target's two-qubit gate, with one-qubit corrections (`u`, merged into
// their neighbours afterwards). Each identity is exact up to a global phase; products are written
// as matrices (right acts first), and the tests multiply them out against the textbook CNOT.
//   cz   CX(c,t) = H_t · CZ · H_t
//   ecr  Z_c + X_t − Z_c X_t = 2·CX − 1 gives CX ≅ RZ_c(−π/2)·RX_t(−π/2)·RZX(π/2), with
//        RZX(θ) = exp(−iθ/2 Z_c X_t); Qiskit's ECR(c,t) = X_c·RZX(π/2) (c its Z side), so
//        CX ≅ RZ_c(−π/2)·X_c·RX_t(−π/2)·ECR(c,t)
//   ms   IonQ's MS(0,0) = exp(−iπ/4 X_c X_t) and RY(−π/2)·X·RY(π/2) = Z, so RZX(π/2) =
//        RY_c(−π/2)·MS(0,0)·RY_c(π/2) and CX ≅ RZ_c(−π/2)·RX_t(−π/2)·RY_c(−π/2)·MS(0,0)·RY_c(π/2)

import { gateMatrices } from '../gates.js';
import { matmul } from '../matrix.js';
import { num } from './angle.js';
import { gate, u, type LoweredCircuit, type LowOp } from './ops.js';

export type TwoQubitBasis = 'cx' | 'cz' | 'ecr' | 'ms';

const { H, X, rx, ry, rz } = gateMatrices;
const HALF_PI = Math.PI / 2;

function rewrite(basis: TwoQubitBasis, c: number, t: number): LowOp[] {
  switch (basis) {
    case 'cx':
      return [gate('cx', [c, t])];
    case 'cz':
      return [u(t, H), gate('cz', [c, t]), u(t, H)];
    case 'ecr':
      return [gate('ecr', [c, t]), u(c, matmul(rz(-HALF_PI), X)), u(t, rx(-HALF_PI))];
    case 'ms':
      return [u(c, ry(HALF_PI)), gate('ms', [c, t], [num(0), num(0)]), u(c, matmul(rz(-HALF_PI), ry(-HALF_PI))), u(t, rx(-HALF_PI))];
  }
}

export function toTwoQubitBasis(circuit: LoweredCircuit, basis: TwoQubitBasis): LoweredCircuit {
  return { numWires: circuit.numWires, ops: circuit.ops.flatMap((op) => (op.gate === 'cx' ? rewrite(basis, op.wires[0], op.wires[1]) : [op])) };
}
