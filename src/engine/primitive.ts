// The instruction set of a compiled program: the primitive kinds the kernels execute and the shape
// of one primitive. Its own module so that program.ts (which builds primitives) and the passes
// over them (fuse.ts, mat2x2.ts) share the types without importing each other.

import type { GateDef } from '../circuit/gates.js';

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
  /**
   * A gate of the table with no fast kernel: its matrix function evaluated per call (per sample
   * when a parameter differs per sample) and applied densely on its 1 or 2 wires
   * (generic-matrix.ts).
   */
  GENERIC = 8,
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
  /** Bit position (n − 1 − wire) of the target (ROT, MAT1, XPERM) or first wire (SWAP, MAT2, PAIRMIX, GENERIC). */
  readonly bitA: number;
  /** Bit position of the second wire (SWAP, MAT2, PAIRMIX, two-wire GENERIC); −1 otherwise. */
  readonly bitB: number;
  /** Bits that must be 1 for the primitive to act (controls); PARITY: the wires' bit mask. */
  readonly mask: number;
  /** Angle slot, or −1 for a constant angle (then `constAngle`). GENERIC: −1 (see `slots`). */
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
  /** GENERIC: the gate whose matrix function is applied. */
  readonly gate?: GateDef;
  /** GENERIC: the slot of each gate parameter, in parameter order. */
  readonly slots?: Int32Array;
}
