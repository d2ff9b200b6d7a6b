// Pass 1: every operation of the gate table becomes the core vocabulary {u, rz, cx}.
//
// A one-qubit gate whose parameters are numbers becomes one `u` holding its matrix from the gate
// table — the later passes derive every basis sequence from that matrix (Euler angles), so no
// one-qubit gate needs a rule of its own. Parameters that read per-sample inputs cannot go through
// a matrix; they go through exact identities in which the input appears only as an rz angle:
//   RX(θ) = H·RZ(θ)·H,  RY(θ) = W·RZ(θ)·W† with W = S·H,  P(θ) ≅ RZ(θ),  Rot and U3 as RZ·RY·RZ.
// Multi-qubit gates use the textbook CNOT identities (the same with numeric or symbolic angles):
//   CRZ(θ) = RZ_t(θ/2) CX RZ_t(−θ/2) CX;  CRX, CRY: CRZ conjugated by H, W on the target;
//   CP(θ) ≅ RZ_c(θ/2)·CRZ(θ);  controlled products (CRot, CU3) control each factor;
//   CZ = H_t CX H_t; CY = S_t CX S†_t; SWAP = 3 CX; Ising/MultiRZ: a CX parity ladder around RZ;
//   Toffoli: the 6-CNOT, 7-T circuit (Nielsen & Chuang, Fig. 4.9).
// "≅" is equality up to a global phase: every check downstream is phase-free (probabilities, and
// the unitary up to one global phase), which is all hardware can observe.

import type { Circuit, Operation } from '../circuit.js';
import { CircuitError } from '../circuit.js';
import { GATES, gateMatrices } from '../gates.js';
import { matmul, type ComplexMatrix } from '../matrix.js';
import { bindParam } from '../qasm/export.js';
import { angleOfParam, isConstant, constantValue, scaleAngle, type Angle } from './angle.js';
import { cx, rz, u, type LoweredCircuit, type LowOp } from './ops.js';

const { H, phase } = gateMatrices;
const S = phase(Math.PI / 2);
const SDG = phase(-Math.PI / 2);
/** W·Z·W† = Y, so RY(θ) = W·RZ(θ)·W†. */
const W = matmul(S, H);
const WDG = matmul(H, SDG);
const T = phase(Math.PI / 4);
const TDG = phase(-Math.PI / 4);

export interface ExpandOptions {
  /** The trained weights (always bound). */
  weights: ArrayLike<number>;
  /** One sample's inputs; absent: inputs stay symbolic (rz angles that read them). */
  inputs?: ArrayLike<number>;
}

export class LoweringError extends CircuitError {
  override name = 'LoweringError';
}

/** Conjugation in time order: `pre` on the wire, the body, then `post`. */
const around = (wire: number, pre: ComplexMatrix, body: LowOp[], post: ComplexMatrix): LowOp[] => [u(wire, pre), ...body, u(wire, post)];

function ry(wire: number, a: Angle): LowOp[] {
  return around(wire, WDG, [rz(wire, a)], W);
}

function crz(c: number, t: number, a: Angle): LowOp[] {
  return [rz(t, scaleAngle(a, 0.5)), cx(c, t), rz(t, scaleAngle(a, -0.5)), cx(c, t)];
}
function crx(c: number, t: number, a: Angle): LowOp[] {
  return around(t, H, crz(c, t, a), H);
}
function cry(c: number, t: number, a: Angle): LowOp[] {
  return around(t, WDG, crz(c, t, a), W);
}
function cphase(c: number, t: number, a: Angle): LowOp[] {
  return [rz(c, scaleAngle(a, 0.5)), ...crz(c, t, a)];
}
function parityRz(wires: readonly number[], a: Angle): LowOp[] {
  const ladder = wires.slice(0, -1).map((w, i) => cx(w, wires[i + 1]));
  return [...ladder, rz(wires[wires.length - 1], a), ...[...ladder].reverse()];
}
function toffoli(a: number, b: number, t: number): LowOp[] {
  return [
    u(t, H), cx(b, t), u(t, TDG), cx(a, t), u(t, T), cx(b, t), u(t, TDG), cx(a, t),
    u(b, T), u(t, T), u(t, H), cx(a, b), u(a, T), u(b, TDG), cx(a, b),
  ];
}

/** One operation (parameters already bound as far as they go) in the core vocabulary. */
export function expandOperation(op: Operation, angles: readonly Angle[], where: string): LowOp[] {
  const w = op.wires;
  const numeric = angles.every(isConstant);
  const def = (GATES as Record<string, (typeof GATES)[keyof typeof GATES] | undefined>)[op.gate];
  if (op.gate === 'QubitUnitary') {
    if (op.matrix!.dim !== 2) {
      throw new LoweringError(`${where}: a two-wire QubitUnitary has no decomposition here yet (no KAK pass); express it with table gates before exporting`);
    }
    return [u(w[0], op.matrix!)];
  }
  if (op.gate === 'Identity') return [];
  // Any one-qubit gate with numeric parameters: its matrix, exactly as the gate table defines it.
  if (def && def.numWires === 1 && numeric) return [u(w[0], def.matrix(angles.map((a) => constantValue(a)!)))];
  const [a0, a1, a2] = angles;
  switch (op.gate) {
    case 'RZ':
    case 'PhaseShift':
      return [rz(w[0], a0)];
    case 'RX':
      return around(w[0], H, [rz(w[0], a0)], H);
    case 'RY':
      return ry(w[0], a0);
    case 'Rot': // RZ(ω)·RY(θ)·RZ(φ): φ first in time.
      return [rz(w[0], a0), ...ry(w[0], a1), rz(w[0], a2)];
    case 'U3': // P(φ)·RY(θ)·P(λ): λ first in time.
      return [rz(w[0], a2), ...ry(w[0], a0), rz(w[0], a1)];
    case 'CNOT':
      return [cx(w[0], w[1])];
    case 'CZ':
      return around(w[1], H, [cx(w[0], w[1])], H);
    case 'CY':
      return around(w[1], SDG, [cx(w[0], w[1])], S);
    case 'SWAP':
      return [cx(w[0], w[1]), cx(w[1], w[0]), cx(w[0], w[1])];
    case 'CRZ':
      return crz(w[0], w[1], a0);
    case 'CRX':
      return crx(w[0], w[1], a0);
    case 'CRY':
      return cry(w[0], w[1], a0);
    case 'CRot':
      return [...crz(w[0], w[1], a0), ...cry(w[0], w[1], a1), ...crz(w[0], w[1], a2)];
    case 'ControlledPhaseShift':
      return cphase(w[0], w[1], a0);
    case 'CU3': // controlled(P(φ)·RY(θ)·P(λ)) = CP(φ)·CRY(θ)·CP(λ): CP(λ) first in time.
      return [...cphase(w[0], w[1], a2), ...cry(w[0], w[1], a0), ...cphase(w[0], w[1], a1)];
    case 'IsingXX':
      return [u(w[0], H), u(w[1], H), ...parityRz(w, a0), u(w[0], H), u(w[1], H)];
    case 'IsingYY':
      return [u(w[0], WDG), u(w[1], WDG), ...parityRz(w, a0), u(w[0], W), u(w[1], W)];
    case 'IsingZZ':
    case 'MultiRZ':
      return parityRz(w, a0);
    case 'Toffoli':
      return toffoli(w[0], w[1], w[2]);
  }
  throw new LoweringError(`${where}: no lowering rule for gate ${op.gate}${numeric ? '' : ' with input-dependent parameters'}`);
}

/** The parameters of an operation with the weights (and, when given, the inputs) substituted. */
export function boundAngles(op: Operation, opts: ExpandOptions): Angle[] {
  return op.params.map((p) => angleOfParam(bindParam(p, { weights: opts.weights, inputs: opts.inputs })));
}

export function describeOp(op: Operation, index: number): string {
  return `operation #${index} (${op.gate} on wires [${op.wires.join(', ')}])`;
}

/** Pass 1 over a whole circuit. */
export function expandCircuit(circuit: Circuit, opts: ExpandOptions): LoweredCircuit {
  if (circuit.amplitudeInit) {
    throw new LoweringError('AmplitudeEmbedding prepares an arbitrary input-dependent state, which no gate sequence here reproduces; export a circuit without it');
  }
  const ops = circuit.ops.flatMap((op, i) => expandOperation(op, boundAngles(op, opts), describeOp(op, i)));
  return { numWires: circuit.numWires, ops };
}
