// Pass: every constant one-qubit unitary `u` into a target's one-qubit basis, from its Euler
// angles. Any U ∈ U(2) is e^{iα}·U3(θ, φ, λ) = e^{iα}·P(φ)·RY(θ)·P(λ) ≅ RZ(φ)·RY(θ)·RZ(λ)
// (qasm/export.ts u3Angles reads θ ∈ [0, π], φ, λ off the matrix), and then:
//   zyz  RZ(φ)·RY(θ)·RZ(λ)                                          (Braket, IonQ's QIS gates)
//   zsx  RZ(φ+π)·SX·RZ(θ+π)·SX·RZ(λ)  (two SX; SX ≅ RX(π/2))          (IBM)
//        with the shorter exact forms θ = 0: RZ(φ+λ);  θ = π/2: RZ(φ+π/2)·SX·RZ(λ−π/2);
//        θ = π: RZ(φ)·X·RZ(λ+π)  — fewer physical pulses, the reason IBM's transpiler uses them.
// Products are written here as matrices (right acts first); the ops come out in time order.

import { u3Angles } from '../qasm/export.js';
import type { ComplexMatrix } from '../matrix.js';
import { num } from './angle.js';
import { IDENTITY_TOLERANCE } from './merge.js';
import { gate, rz, type LoweredCircuit, type LowOp } from './ops.js';

export type OneQubitBasis = 'zyz' | 'zsx';

const PI = Math.PI;
const near = (a: number, b: number): boolean => Math.abs(a - b) < IDENTITY_TOLERANCE;

export function zyz(wire: number, m: ComplexMatrix): LowOp[] {
  const { theta, phi, lambda } = u3Angles(m);
  if (near(theta, 0)) return [rz(wire, num(phi + lambda))];
  return [rz(wire, num(lambda)), gate('ry', [wire], [num(theta)]), rz(wire, num(phi))];
}

export function zsx(wire: number, m: ComplexMatrix): LowOp[] {
  const { theta, phi, lambda } = u3Angles(m);
  const sx = gate('sx', [wire]);
  if (near(theta, 0)) return [rz(wire, num(phi + lambda))];
  if (near(theta, PI / 2)) return [rz(wire, num(lambda - PI / 2)), sx, rz(wire, num(phi + PI / 2))];
  if (near(theta, PI)) return [rz(wire, num(lambda + PI)), gate('x', [wire]), rz(wire, num(phi))];
  return [rz(wire, num(lambda)), sx, rz(wire, num(theta + PI)), sx, rz(wire, num(phi + PI))];
}

const RULES: Record<OneQubitBasis, (wire: number, m: ComplexMatrix) => LowOp[]> = { zyz, zsx };

export function toOneQubitBasis(c: LoweredCircuit, basis: OneQubitBasis): LoweredCircuit {
  return { numWires: c.numWires, ops: c.ops.flatMap((op) => (op.gate === 'u' ? RULES[basis](op.wires[0], op.matrix!) : [op])) };
}
