// Kernel coefficients of every primitive of a program, for the current parameter values: what
// the kernels read instead of angles. They do not depend on how the state is stored, so any
// backend can share them. Sized once per batch size; prepare() allocates nothing.
//
// - ROT / PAIRMIX / PARITY: c = cos(α/2), s = sin(α/2) (PhaseShift: cos α, sin α), stored [c | s]
//   with one entry each (angle shared by the batch) or B entries (per-sample angle);
// - MAT1: the constant 2×2 matrix and its inverse, interleaved [r00, i00, r01, i01, r10, i10, r11, i11];
// - FUSED: per sample, every part's matrix U_j, their product M = U_m…U_1 and its inverse M†.

import { dagger2, identity2, mul2, rotationMatrix } from './mat2x2.js';
import { Axis, Kind, type Primitive, type Program } from './program.js';

export class Coefficients {
  readonly program: Program;
  /** Per primitive: 1 when every angle it reads is the same for the whole batch. */
  readonly shared: Uint8Array;
  /** Per primitive: [c | s] for angles (n = 1 or B each), or the interleaved MAT1/FUSED matrix. */
  coef: Float64Array[] = [];
  /** Per primitive: the inverse MAT1/FUSED matrix (empty for others). */
  inv: Float64Array[] = [];
  /** FUSED primitives: every part's matrix, part j entry e of sample b at [(j*8 + e)*n + b]. */
  partM: Float64Array[] = [];
  /** The slot values of the last prepare() (slotVals[s * B + b]): the generic matrix path reads its parameters there. */
  slotVals: Float64Array = new Float64Array(0);
  private batch = 0;
  private readonly u = new Float64Array(8);
  private readonly m = new Float64Array(8);
  private readonly next = new Float64Array(8);

  constructor(program: Program) {
    this.program = program;
    const sharedSlot = (p: Primitive): boolean => p.slot < 0 || !program.slots[p.slot].perSample;
    this.shared = Uint8Array.from(program.prims, (p) => (p.kind === Kind.FUSED ? p.parts!.every(sharedSlot) : sharedSlot(p)) ? 1 : 0);
  }

  /** Entries per coefficient of primitive k: 1 if shared by the batch, else B. */
  width(k: number): number {
    return this.shared[k] ? 1 : this.batch;
  }

  /** Size every array for batch B (constant matrices are filled here, once). */
  resize(B: number): void {
    this.batch = B;
    const { prims } = this.program;
    const width = (k: number): number => this.width(k);
    this.coef = prims.map((p, k) => new Float64Array(p.kind === Kind.MAT1 ? 8 : p.kind === Kind.FUSED ? 8 * width(k) : hasAngle(p) ? 2 * width(k) : 0));
    this.inv = prims.map((p, k) => new Float64Array(p.kind === Kind.MAT1 ? 8 : p.kind === Kind.FUSED ? 8 * width(k) : 0));
    this.partM = prims.map((p, k) => new Float64Array(p.kind === Kind.FUSED ? p.parts!.length * 8 * width(k) : 0));
    prims.forEach((p, k) => {
      if (p.kind === Kind.MAT1) {
        interleave(p.mre!, p.mim!, this.coef[k]);
        interleave(p.ire!, p.iim!, this.inv[k]);
      }
    });
  }

  /** Coefficients from slot values (slotVals[s * B + b]). */
  prepare(slotVals: Float64Array): void {
    this.slotVals = slotVals;
    const { prims } = this.program;
    const B = this.batch;
    for (let k = 0; k < prims.length; k++) {
      const p = prims[k];
      if (p.kind === Kind.FUSED) {
        this.prepareFused(k, slotVals);
        continue;
      }
      if (!hasAngle(p)) continue;
      const n = this.shared[k] ? 1 : B;
      const cs = this.coef[k];
      const half = p.kind === Kind.ROT && p.axis === Axis.P ? 1 : 0.5;
      for (let b = 0; b < n; b++) {
        const a = (p.slot < 0 ? p.constAngle : slotVals[p.slot * B + b]) * half;
        cs[b] = Math.cos(a);
        cs[n + b] = Math.sin(a);
      }
    }
  }

  /** FUSED: each part's matrix per sample, their product M and its inverse M†. */
  private prepareFused(k: number, slotVals: Float64Array): void {
    const parts = this.program.prims[k].parts!;
    const B = this.batch;
    const n = this.shared[k] ? 1 : B;
    const { u, m, next } = this;
    const pm = this.partM[k];
    const coef = this.coef[k];
    const inv = this.inv[k];
    for (let b = 0; b < n; b++) {
      identity2(m);
      for (let j = 0; j < parts.length; j++) {
        partMatrix(parts[j], slotVals, B, n === 1 ? 0 : b, u);
        for (let e = 0; e < 8; e++) pm[(j * 8 + e) * n + b] = u[e];
        mul2(u, m, next);
        m.set(next);
      }
      dagger2(m, next);
      for (let e = 0; e < 8; e++) {
        coef[e * n + b] = m[e];
        inv[e * n + b] = next[e];
      }
    }
  }
}

/** A FUSED part's 2×2 matrix for sample b (interleaved). */
function partMatrix(q: Primitive, slotVals: Float64Array, B: number, b: number, u: Float64Array): void {
  if (q.kind === Kind.MAT1) {
    for (let e = 0; e < 4; e++) {
      u[2 * e] = q.mre![e];
      u[2 * e + 1] = q.mim![e];
    }
  } else rotationMatrix(q.axis, q.slot < 0 ? q.constAngle : slotVals[q.slot * B + b], u);
}

/** Primitives whose kernel takes an angle (as [c | s] coefficients). */
export function hasAngle(p: Primitive): boolean {
  return p.kind === Kind.ROT || p.kind === Kind.PAIRMIX || p.kind === Kind.PARITY;
}

function interleave(re: Float64Array, im: Float64Array, out: Float64Array): void {
  for (let i = 0; i < 4; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im[i];
  }
}
