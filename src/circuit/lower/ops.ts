// The lowered circuit: a flat list of basis gates with numeric or input-dependent angles. One
// small vocabulary serves every pass and target:
//   u              a constant 2×2 unitary (the passes' working form of any one-qubit gate)
//   rz rx ry       rotations exp(−iθσ/2), θ in radians (rz is the only gate whose angle may read inputs)
//   sx x           √X and X (IBM's one-qubit basis with rz)
//   cx cz ecr      IBM's two-qubit gates; ecr(a, b) = (X_a − Y_a X_b)/√2, a the Z side (Qiskit's ECRGate)
//   gpi gpi2 ms    IonQ's native gates, phases kept in radians here (the JSON writer prints turns):
//                  GPI(φ) = [[0, e^{−iφ}], [e^{iφ}, 0]], GPI2(φ) = [[1, −ie^{−iφ}], [−ie^{iφ}, 1]]/√2,
//                  MS(φ0, φ1) = exp(−i(π/4) σ_φ0 ⊗ σ_φ1), σ_φ = cos φ X + sin φ Y (fully entangling)
// Matrices here are the definitions the equivalence check runs; the tests check each against a
// matrix written out by hand from the providers' documentation.

import { Circuit } from '../circuit.js';
import { gateMatrices } from '../gates.js';
import { cmat, matmul, type ComplexMatrix } from '../matrix.js';
import { constantValue, paramOfAngle, type Angle } from './angle.js';

export type LowGate = 'u' | 'rz' | 'rx' | 'ry' | 'sx' | 'x' | 'cx' | 'cz' | 'ecr' | 'gpi' | 'gpi2' | 'ms';

export interface LowOp {
  readonly gate: LowGate;
  readonly wires: readonly number[];
  readonly angles: readonly Angle[];
  /** The matrix of a `u`. */
  readonly matrix?: ComplexMatrix;
}

export interface LoweredCircuit {
  readonly numWires: number;
  readonly ops: readonly LowOp[];
}

export const TWO_QUBIT_GATES: ReadonlySet<LowGate> = new Set(['cx', 'cz', 'ecr', 'ms']);

export const u = (wire: number, matrix: ComplexMatrix): LowOp => ({ gate: 'u', wires: [wire], angles: [], matrix });
export const rz = (wire: number, angle: Angle): LowOp => ({ gate: 'rz', wires: [wire], angles: [angle] });
export const cx = (control: number, target: number): LowOp => ({ gate: 'cx', wires: [control, target], angles: [] });
export const gate = (g: LowGate, wires: readonly number[], angles: readonly Angle[] = []): LowOp => ({ gate: g, wires, angles });

const { rx, ry, rz: rzm, X } = gateMatrices;
const SQ = Math.SQRT1_2;
const SX = cmat([
  [[0.5, 0.5], [0.5, -0.5]],
  [[0.5, -0.5], [0.5, 0.5]],
]);

function gpi(phi: number): ComplexMatrix {
  return cmat([
    [0, [Math.cos(phi), -Math.sin(phi)]],
    [[Math.cos(phi), Math.sin(phi)], 0],
  ]);
}
function gpi2(phi: number): ComplexMatrix {
  // −i e^{∓iφ} = −sin φ ∓ … : (−i)(cos φ − i sin φ) = −sin φ − i cos φ; (−i)(cos φ + i sin φ) = sin φ − i cos φ.
  return cmat([
    [SQ, [-SQ * Math.sin(phi), -SQ * Math.cos(phi)]],
    [[SQ * Math.sin(phi), -SQ * Math.cos(phi)], SQ],
  ]);
}
function ms(phi0: number, phi1: number): ComplexMatrix {
  const e = (a: number): [number, number] => [SQ * Math.sin(a), -SQ * Math.cos(a)]; // −i e^{ia}/√2
  return cmat([
    [SQ, 0, 0, e(-(phi0 + phi1))],
    [0, SQ, e(-(phi0 - phi1)), 0],
    [0, e(phi0 - phi1), SQ, 0],
    [e(phi0 + phi1), 0, 0, SQ],
  ]);
}
const ECR = cmat([
  // (X⊗I − Y⊗X)/√2 with wire a (the Z side of Qiskit's rzx) first = most significant.
  [0, 0, SQ, [0, SQ]],
  [0, 0, [0, SQ], SQ],
  [SQ, [0, -SQ], 0, 0],
  [[0, -SQ], SQ, 0, 0],
]);
const CX = cmat([
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
  [0, 0, 1, 0],
]);
const CZ = cmat([
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, -1],
]);

/** The numeric matrix of a lowered gate (its wires in the order listed); angles must be numbers. */
export function lowMatrix(op: LowOp): ComplexMatrix {
  const a = op.angles.map((x, i) => {
    const v = constantValue(x);
    if (v === undefined) throw new RangeError(`lowMatrix: angle ${i} of ${op.gate} reads inputs; bind them first`);
    return v;
  });
  switch (op.gate) {
    case 'u':
      return op.matrix!;
    case 'rz':
      return rzm(a[0]);
    case 'rx':
      return rx(a[0]);
    case 'ry':
      return ry(a[0]);
    case 'sx':
      return SX;
    case 'x':
      return X;
    case 'cx':
      return CX;
    case 'cz':
      return CZ;
    case 'ecr':
      return ECR;
    case 'gpi':
      return gpi(a[0]);
    case 'gpi2':
      return gpi2(a[0]);
    case 'ms':
      return ms(a[0], a[1]);
  }
}

/** The product of one wire's run of one-qubit ops, in time order (later gates multiply on the left). */
export function productOf(ops: readonly LowOp[]): ComplexMatrix {
  let m = cmat([
    [1, 0],
    [0, 1],
  ]);
  for (const op of ops) m = matmul(lowMatrix(op), m);
  return m;
}

const TABLE_GATE: Partial<Record<LowGate, string>> = { rz: 'RZ', rx: 'RX', ry: 'RY', sx: 'SX', x: 'PauliX', cx: 'CNOT', cz: 'CZ' };

/**
 * The lowered circuit as a circuit of the gate table, so the engine simulates it exactly as it
 * simulates the original: input-dependent rz angles stay expressions of the same inputs.
 */
export function toTableCircuit(lowered: LoweredCircuit, numInputs: number): Circuit {
  const c = new Circuit(lowered.numWires);
  for (const op of lowered.ops) {
    const name = TABLE_GATE[op.gate];
    if (name) c.add(name, op.wires, op.angles.map(paramOfAngle));
    else c.unitary(op.wires, lowMatrix(op));
  }
  c.declareInputs(numInputs);
  return c;
}
