// Compilation: a Circuit becomes a flat list of primitive instructions that the kernels execute.
//
// Every gate of the table lowers exactly to a few primitives, each with at most one angle:
//   ROT      rotation about X, Y or Z (exp(−iασ/2)) or a phase diag(1, e^{iα}) on one target bit,
//            optionally controlled on a set of bits (CRX, CRY, CRZ, CPhase, Z, S, T, CZ, …)
//   MAT1     a constant 2×2 matrix on one bit, optionally controlled (H, Y, SX, CY, 1-wire unitary)
//   XPERM    X on a target bit, optionally controlled (X, CNOT, Toffoli): a pure permutation
//   SWAP     exchange of two bits
//   MAT2     a constant 4×4 matrix on two bits (2-wire unitary)
//   PAIRMIX  exp(−iα/2 P⊗P) for P = X or Y (IsingXX, IsingYY)
//   PARITY   exp(−iα/2 Z⊗…⊗Z) (IsingZZ, MultiRZ): a diagonal phase by parity
//   FUSED    a run of ROT / MAT1 on one target under one control mask, applied as one 2×2
//            matrix (fuse.ts); compile() fuses unless told not to
// Composite gates decompose exactly: Rot(φ,θ,ω) = RZ(ω)RY(θ)RZ(φ); U3(θ,φ,λ) = P(φ)RY(θ)P(λ)
// (no global phase is lost); CRot and CU3 are the same with every factor controlled.
//
// Angles: every gate parameter (an "occurrence" of a weight, input, constant or expression) gets a
// slot; a primitive's angle is exactly one slot (or a constant). The adjoint method produces
// d loss / d angle per primitive and sample, which the slot's parameter ref maps onto weights and
// inputs. Parameter-shift and finite differences shift slots.

import { GATES, type ShiftRule } from '../circuit/gates.js';
import type { Circuit, Operation } from '../circuit/circuit.js';
import type { ParamRef } from '../circuit/params.js';
import { exprSources, type ExprSource } from '../circuit/expr.js';
import { fuseSingleTargetRuns } from './fuse.js';

export enum Kind {
  ROT = 0,
  MAT1 = 1,
  XPERM = 2,
  SWAP = 3,
  MAT2 = 4,
  PAIRMIX = 5,
  PARITY = 6,
  /** A product of ROT / MAT1 parts on one target under one control mask (see fuse.ts). */
  FUSED = 7,
}

export enum Axis {
  X = 0,
  Y = 1,
  Z = 2,
  /** diag(1, e^{iα}): PhaseShift. */
  P = 3,
}

export interface Primitive {
  readonly kind: Kind;
  /** ROT: axis; PAIRMIX: Axis.X or Axis.Y. */
  readonly axis: Axis;
  /** Bit position (n − 1 − wire) of the target (ROT, MAT1, XPERM) or first wire (SWAP, MAT2, PAIRMIX). */
  readonly bitA: number;
  /** Bit position of the second wire (SWAP, MAT2, PAIRMIX); −1 otherwise. */
  readonly bitB: number;
  /** Bits that must be 1 for the primitive to act (controls); PARITY: the wires' bit mask. */
  readonly mask: number;
  /** Angle slot, or −1 for a constant angle (then `constAngle`). */
  readonly slot: number;
  readonly constAngle: number;
  /** MAT1 / MAT2 matrices and their inverses (conjugate transposes), re/im interleaved by entry. */
  readonly mre?: Float64Array;
  readonly mim?: Float64Array;
  readonly ire?: Float64Array;
  readonly iim?: Float64Array;
  /** Index of the user-level operation this primitive came from (for errors and drawings). */
  readonly opIndex: number;
  /**
   * Bit positions held fixed while the kernel enumerates amplitude groups (target, controls, or both
   * wires of a two-wire op), ascending; precomputed so kernels allocate nothing.
   */
  readonly fixed: Int32Array;
  /** FUSED: the parts, in application order (all ROT or MAT1 with this target and mask). */
  readonly parts?: readonly Primitive[];
}

/** A gate parameter occurrence: its reference and how to shift it for parameter-shift. */
export interface Slot {
  readonly ref: ParamRef;
  readonly opIndex: number;
  readonly paramIndex: number;
  readonly rule: ShiftRule;
  /** True when the value differs per sample (reads an input). */
  readonly perSample: boolean;
  /** For expression refs: the sources it reads. */
  readonly sources: readonly ExprSource[];
}

export interface Program {
  readonly numWires: number;
  readonly dim: number;
  readonly numWeights: number;
  readonly numInputs: number;
  readonly prims: readonly Primitive[];
  readonly slots: readonly Slot[];
  /** Whether single-target runs were fused. */
  readonly fused: boolean;
  readonly circuit: Circuit;
}

function bit(n: number, wire: number): number {
  return n - 1 - wire;
}

function splitMatrix(m: { dim: number; re: Float64Array; im: Float64Array }): Pick<Primitive, 'mre' | 'mim' | 'ire' | 'iim'> {
  const d = m.dim;
  const ire = new Float64Array(d * d);
  const iim = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      ire[j * d + i] = m.re[i * d + j];
      iim[j * d + i] = -m.im[i * d + j];
    }
  return { mre: Float64Array.from(m.re), mim: Float64Array.from(m.im), ire, iim };
}

function isPerSample(ref: ParamRef, sources: readonly ExprSource[]): boolean {
  return ref.kind === 'input' || ref.kind === 'inputProduct' || (ref.kind === 'expr' && sources.some((s) => s.kind === 'input'));
}

export interface CompileOptions {
  /**
   * Fuse runs of single-target gates into one 2×2 pass (default true: applied on circuits of
   * MIN_WIRES_FOR_FUSION wires or more, where it pays; false for benchmarks and tests).
   */
  fuse?: boolean;
}

/** Compile a circuit once; the result is immutable and shared by every evaluation. */
export function compile(circuit: Circuit, opts: CompileOptions = {}): Program {
  const n = circuit.numWires;
  const prims: Primitive[] = [];
  const slots: Slot[] = [];

  const push = (p: Omit<Primitive, 'fixed'>): void => {
    let bits = p.mask;
    if (p.kind !== Kind.PARITY) {
      bits |= 1 << p.bitA;
      if (p.bitB >= 0) bits |= 1 << p.bitB;
    } else bits = 0; // a parity phase visits every amplitude
    const fixed: number[] = [];
    for (let b = 0; b < n; b++) if (bits & (1 << b)) fixed.push(b);
    prims.push({ ...p, fixed: Int32Array.from(fixed) });
  };

  circuit.ops.forEach((op: Operation, opIndex: number) => {
    // One slot per parameter of the operation.
    const slotOf = op.params.map((ref, paramIndex) => {
      const rules = op.gate === 'MultiRZ' ? (['two'] as ShiftRule[]) : GATES[op.gate]?.shiftRules ?? [];
      const sources = ref.kind === 'expr' ? exprSources(ref.expr) : [];
      slots.push({ ref, opIndex, paramIndex, rule: rules[paramIndex] ?? 'two', perSample: isPerSample(ref, sources), sources });
      return slots.length - 1;
    });
    const base = { bitB: -1, mask: 0, slot: -1, constAngle: 0, opIndex, axis: Axis.X };
    const rot = (axis: Axis, target: number, controls: readonly number[], slot: number, constAngle = 0): void => {
      let mask = 0;
      for (const cw of controls) mask |= 1 << bit(n, cw);
      push({ ...base, kind: Kind.ROT, axis, bitA: bit(n, target), mask, slot, constAngle });
    };
    const mat1 = (target: number, controls: readonly number[], m: ReturnType<(typeof GATES)['Hadamard']['matrix']>): void => {
      let mask = 0;
      for (const cw of controls) mask |= 1 << bit(n, cw);
      push({ ...base, kind: Kind.MAT1, bitA: bit(n, target), mask, ...splitMatrix(m) });
    };
    const w = op.wires;
    const s = slotOf;
    switch (op.gate) {
      case 'Identity':
        break;
      case 'PauliX':
        push({ ...base, kind: Kind.XPERM, bitA: bit(n, w[0]) });
        break;
      case 'CNOT':
        push({ ...base, kind: Kind.XPERM, bitA: bit(n, w[1]), mask: 1 << bit(n, w[0]) });
        break;
      case 'Toffoli':
        push({ ...base, kind: Kind.XPERM, bitA: bit(n, w[2]), mask: (1 << bit(n, w[0])) | (1 << bit(n, w[1])) });
        break;
      case 'PauliZ':
        rot(Axis.P, w[0], [], -1, Math.PI);
        break;
      case 'S':
        rot(Axis.P, w[0], [], -1, Math.PI / 2);
        break;
      case 'T':
        rot(Axis.P, w[0], [], -1, Math.PI / 4);
        break;
      case 'CZ':
        rot(Axis.P, w[1], [w[0]], -1, Math.PI);
        break;
      case 'PauliY':
      case 'Hadamard':
      case 'SX':
        mat1(w[0], [], GATES[op.gate].matrix([]));
        break;
      case 'CY':
        mat1(w[1], [w[0]], GATES.PauliY.matrix([]));
        break;
      case 'RX':
        rot(Axis.X, w[0], [], s[0]);
        break;
      case 'RY':
        rot(Axis.Y, w[0], [], s[0]);
        break;
      case 'RZ':
        rot(Axis.Z, w[0], [], s[0]);
        break;
      case 'PhaseShift':
        rot(Axis.P, w[0], [], s[0]);
        break;
      case 'CRX':
        rot(Axis.X, w[1], [w[0]], s[0]);
        break;
      case 'CRY':
        rot(Axis.Y, w[1], [w[0]], s[0]);
        break;
      case 'CRZ':
        rot(Axis.Z, w[1], [w[0]], s[0]);
        break;
      case 'ControlledPhaseShift':
        rot(Axis.P, w[1], [w[0]], s[0]);
        break;
      case 'Rot':
        rot(Axis.Z, w[0], [], s[0]);
        rot(Axis.Y, w[0], [], s[1]);
        rot(Axis.Z, w[0], [], s[2]);
        break;
      case 'CRot':
        rot(Axis.Z, w[1], [w[0]], s[0]);
        rot(Axis.Y, w[1], [w[0]], s[1]);
        rot(Axis.Z, w[1], [w[0]], s[2]);
        break;
      case 'U3':
        rot(Axis.P, w[0], [], s[2]);
        rot(Axis.Y, w[0], [], s[0]);
        rot(Axis.P, w[0], [], s[1]);
        break;
      case 'CU3':
        rot(Axis.P, w[1], [w[0]], s[2]);
        rot(Axis.Y, w[1], [w[0]], s[0]);
        rot(Axis.P, w[1], [w[0]], s[1]);
        break;
      case 'SWAP':
        push({ ...base, kind: Kind.SWAP, bitA: bit(n, w[0]), bitB: bit(n, w[1]) });
        break;
      case 'IsingXX':
        push({ ...base, kind: Kind.PAIRMIX, axis: Axis.X, bitA: bit(n, w[0]), bitB: bit(n, w[1]), slot: s[0] });
        break;
      case 'IsingYY':
        push({ ...base, kind: Kind.PAIRMIX, axis: Axis.Y, bitA: bit(n, w[0]), bitB: bit(n, w[1]), slot: s[0] });
        break;
      case 'IsingZZ':
      case 'MultiRZ': {
        let mask = 0;
        for (const wire of w) mask |= 1 << bit(n, wire);
        push({ ...base, kind: Kind.PARITY, bitA: -1, mask, slot: s[0] });
        break;
      }
      case 'QubitUnitary': {
        const m = op.matrix!;
        if (w.length === 1) mat1(w[0], [], m);
        else push({ ...base, kind: Kind.MAT2, bitA: bit(n, w[0]), bitB: bit(n, w[1]), ...splitMatrix(m) });
        break;
      }
      default:
        throw new Error(`engine: no lowering for gate ${(op as Operation).gate} (operation #${opIndex})`);
    }
  });

  return {
    numWires: n,
    dim: 1 << n,
    numWeights: circuit.numWeights,
    numInputs: circuit.numInputs,
    prims: opts.fuse === false ? prims : fuseSingleTargetRuns(prims, n),
    slots,
    circuit,
    fused: opts.fuse !== false,
  };
}
