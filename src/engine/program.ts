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
//   GENERIC  a gate of the table without a fast kernel: its matrix function, applied densely on
//            its 1 or 2 wires (generic-matrix.ts)
// Which primitive a gate becomes is declared by its table entry (`fast` in circuit/gates.ts), not
// decided here by name. Composite gates decompose exactly: Rot(φ,θ,ω) = RZ(ω)RY(θ)RZ(φ);
// U3(θ,φ,λ) = P(φ)RY(θ)P(λ) (no global phase is lost); CRot and CU3 are the same with every factor
// controlled.
//
// Angles: every gate parameter (an "occurrence" of a weight, input, constant or expression) gets a
// slot; a primitive's angle is exactly one slot (or a constant). The adjoint method produces
// d loss / d angle per primitive and sample, which the slot's parameter ref maps onto weights and
// inputs. Parameter-shift and finite differences shift slots.

import { GATES, type AngleSource, type FastLowering, type GateDef, type RotationAxis, type ShiftRule } from '../circuit/gates.js';
import type { Circuit, Operation } from '../circuit/circuit.js';
import type { ComplexMatrix } from '../circuit/matrix.js';
import type { ParamRef } from '../circuit/params.js';
import { exprSources, type ExprSource } from '../circuit/expr.js';
import { fuseSingleTargetRuns } from './fuse.js';
import { Axis, Kind, type Primitive } from './primitive.js';

export { Axis, Kind, type Primitive } from './primitive.js';

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
  /**
   * Run these table gates on the generic matrix path even though they have a fast kernel (tests
   * and benchmarks of the generic path; results agree with the fast kernels to rounding).
   */
  genericGates?: readonly string[];
}

const AXIS: Record<RotationAxis, Axis> = { X: Axis.X, Y: Axis.Y, Z: Axis.Z, P: Axis.P };

/** The table entry of an operation's gate; the variadic gates get their lowering from the operation. */
function loweringOf(op: Operation, generic: ReadonlySet<string>): { def?: GateDef; fast?: FastLowering | 'unitary' } {
  if (op.gate === 'MultiRZ') return { fast: { kind: 'parity-phase' } };
  if (op.gate === 'QubitUnitary') return { fast: 'unitary' };
  const def = GATES[op.gate];
  if (def === undefined) return {};
  return { def, fast: generic.has(op.gate) ? undefined : def.fast };
}

/** Compile a circuit once; the result is immutable and shared by every evaluation. */
export function compile(circuit: Circuit, opts: CompileOptions = {}): Program {
  const n = circuit.numWires;
  const prims: Primitive[] = [];
  const slots: Slot[] = [];
  const generic = new Set(opts.genericGates ?? []);

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
    const { def, fast } = loweringOf(op, generic);
    // One slot per parameter of the operation.
    const slotOf = op.params.map((ref, paramIndex) => {
      const rules: readonly ShiftRule[] = op.gate === 'MultiRZ' ? ['two'] : def?.shiftRules ?? [];
      const sources = ref.kind === 'expr' ? exprSources(ref.expr) : [];
      slots.push({ ref, opIndex, paramIndex, rule: rules[paramIndex] ?? 'two', perSample: isPerSample(ref, sources), sources });
      return slots.length - 1;
    });
    const base = { bitB: -1, mask: 0, slot: -1, constAngle: 0, opIndex, axis: Axis.X };
    const w = op.wires;
    // Controlled lowerings act on the last wire under the leading numControls wires.
    const numControls = def?.numControls ?? 0;
    let controlMask = 0;
    for (let k = 0; k < numControls; k++) controlMask |= 1 << bit(n, w[k]);
    const target = bit(n, w[w.length - 1]);
    const mat1 = (m: ComplexMatrix, mask: number): void => push({ ...base, kind: Kind.MAT1, bitA: target, mask, ...splitMatrix(m) });
    const angle = (a: AngleSource): { slot: number; constAngle: number } =>
      'param' in a ? { slot: slotOf[a.param], constAngle: 0 } : { slot: -1, constAngle: a.constant };

    if (fast === undefined) {
      if (def === undefined) throw new Error(`engine: no lowering for gate ${op.gate} (operation #${opIndex})`);
      if (w.length > 2) {
        throw new Error(`engine: gate ${op.gate} (operation #${opIndex}) has no fast kernel, and the generic matrix path covers 1 or 2 wires, not ${w.length}`);
      }
      push({ ...base, kind: Kind.GENERIC, bitA: bit(n, w[0]), bitB: w.length > 1 ? bit(n, w[1]) : -1, gate: def, slots: Int32Array.from(slotOf) });
      return;
    }
    if (fast === 'unitary') {
      const m = op.matrix!;
      if (w.length === 1) mat1(m, 0);
      else push({ ...base, kind: Kind.MAT2, bitA: bit(n, w[0]), bitB: bit(n, w[1]), ...splitMatrix(m) });
      return;
    }
    switch (fast.kind) {
      case 'identity':
        return;
      case 'permutation-x':
        push({ ...base, kind: Kind.XPERM, bitA: target, mask: controlMask });
        return;
      case 'swap':
        push({ ...base, kind: Kind.SWAP, bitA: bit(n, w[0]), bitB: bit(n, w[1]) });
        return;
      case 'rotations':
        for (const step of fast.steps) push({ ...base, kind: Kind.ROT, axis: AXIS[step.axis], bitA: target, mask: controlMask, ...angle(step.angle) });
        return;
      case 'matrix-2x2':
        mat1(fast.target(), controlMask);
        return;
      case 'pair-rotation':
        push({ ...base, kind: Kind.PAIRMIX, axis: AXIS[fast.pauli], bitA: bit(n, w[0]), bitB: bit(n, w[1]), slot: slotOf[0] });
        return;
      case 'parity-phase': {
        let mask = 0;
        for (const wire of w) mask |= 1 << bit(n, wire);
        push({ ...base, kind: Kind.PARITY, bitA: -1, mask, slot: slotOf[0] });
        return;
      }
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
