// Pass: every CNOT into a target's two-qubit gate, with one-qubit corrections (`u`, merged into
// their neighbours afterwards). The identities, in time order, each exact up to a global phase
// (the tests multiply them out against the textbook CNOT):
//   cz   CX(c,t) = H_t · CZ · H_t
//   ecr  with ECR(c,t) = X_c·RZX(π/2), RZX(θ) = exp(−iθ/2 Z_c X_t) (Qiskit's ECRGate, c the Z side):
//        CX ≅ RZ_c(−π/2)·RX_t(−π/2)·RZX(π/2), since Z_c + X_t − Z_cX_t = 2·CX − 1; so
//        time order ECR(c,t), then X·RZ(−π/2)… on c: u_c = RZ(−π/2)·X, u_t = RX(−π/2)
//   ms   MS(0,0) = exp(−i(π/4) X_c X_t), and RY_c(π/2) turns X_c into Z_c… : CX ≅ RZ_c(−π/2)·RX_t(−π/2)·
//        RY_c(−π/2)·MS(0,0)·RY_c(π/2) (Maslov, "Basic circuit compilation techniques for an ion-trap
//        quantum machine", 2017, Fig. 7, up to the sign conventions of RY used here)

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
