// The generic matrix path: any gate of the table on 1 or 2 wires that declares only its matrix
// function (no fast kernel) simulates correctly, forward and in the adjoint sweep.
//
// Forward: ψ ← U(θ) ψ, with U evaluated once per call (all parameters shared by the batch) or once
// per sample (some parameter reads an input), then applied densely to each group of 2 or 4
// amplitudes that differ only in the gate's bits. Slower than the fast kernels (it evaluates the
// matrix function per call and visits every amplitude index), never used by a gate that has one.
//
// Adjoint, with λ the co-state after the gate (d loss / dψ̄, so that d loss / dθ = 2 Re⟨λ|dψ/dθ⟩):
//   1. ψ ← U†ψ                                 (the state before the gate)
//   2. d loss / dθ_k += 2 Re⟨λ| dU/dθ_k |ψ⟩     for every non-constant parameter k
//   3. λ ← U†λ
// dU/dθ_k comes from the gate's declared `derivative` when it has one; otherwise it is DERIVED from
// the matrix function by a fourth-order central difference,
//   U'(θ) ≈ [−U(θ+2h) + 8U(θ+h) − 8U(θ−h) + U(θ−2h)] / 12h,  h = 1e-3,
// whose truncation error is h⁴/30·|U⁽⁵⁾| (≈ 1e-15 for rotation-like gates, frequencies ≤ 1) and
// round-off ≈ 1.5ε/h ≈ 3e-13: gradients agree with exact ones to ~1e-12.
//
// Wire order: the gate's wire 0 is the most significant bit of its local matrix index (as
// circuit/matrix.ts `embed` defines it), bitA is its bit in the state index, bitB the second wire's.

import type { GateDef } from '../circuit/gates.js';
import { dagger, type ComplexMatrix } from '../circuit/matrix.js';
import type { Primitive } from './primitive.js';
import type { Slot } from './program.js';

/** Step of the derived matrix derivative (see the header). */
export const DERIVATIVE_STEP = 1e-3;

/** dU/dθ_k of a gate: declared, or derived from its matrix function. */
export function gateDerivative(gate: GateDef, params: readonly number[], k: number): ComplexMatrix {
  if (gate.derivative) return gate.derivative(params, k);
  const h = DERIVATIVE_STEP;
  const at = (t: number): ComplexMatrix => gate.matrix(params.map((v, j) => (j === k ? v + t * h : v)));
  const [p2, p1, m1, m2] = [at(2), at(1), at(-1), at(-2)];
  const n = p1.re.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = (-p2.re[i] + 8 * p1.re[i] - 8 * m1.re[i] + m2.re[i]) / (12 * h);
    im[i] = (-p2.im[i] + 8 * p1.im[i] - 8 * m1.im[i] + m2.im[i]) / (12 * h);
  }
  return { dim: p1.dim, re, im };
}

/** Offsets (in amplitude index) of the 2^k members of a group, in local matrix order. */
function groupOffsets(p: Primitive): Int32Array {
  const bits = p.bitB >= 0 ? [p.bitA, p.bitB] : [p.bitA];
  const k = bits.length;
  const off = new Int32Array(1 << k);
  for (let l = 0; l < off.length; l++) for (let q = 0; q < k; q++) if ((l >> (k - 1 - q)) & 1) off[l] |= 1 << bits[q];
  return off;
}

/** Whether every parameter of the primitive has one value for the whole batch. */
function isShared(p: Primitive, slots: readonly Slot[]): boolean {
  return Array.from(p.slots!).every((s) => !slots[s].perSample);
}

function paramsOf(p: Primitive, slotVals: Float64Array, B: number, b: number): number[] {
  return Array.from(p.slots!, (s) => slotVals[s * B + b]);
}

/** m†, or m itself. */
const orDagger = (m: ComplexMatrix, conjugate: boolean): ComplexMatrix => (conjugate ? dagger(m) : m);

/** ψ_b ← m ψ_b on every group, for samples b in [b0, b1). */
function applyDense(
  re: Float64Array, im: Float64Array, B: number, dim: number, off: Int32Array, gateBits: number,
  m: ComplexMatrix, b0: number, b1: number,
): void {
  const d = off.length;
  const vr = new Float64Array(d);
  const vi = new Float64Array(d);
  for (let i = 0; i < dim; i++) {
    if (i & gateBits) continue;
    for (let b = b0; b < b1; b++) {
      for (let l = 0; l < d; l++) {
        const e = (i + off[l]) * B + b;
        vr[l] = re[e];
        vi[l] = im[e];
      }
      for (let r = 0; r < d; r++) {
        let sr = 0;
        let si = 0;
        for (let c = 0; c < d; c++) {
          const ar = m.re[r * d + c], ai = m.im[r * d + c];
          sr += ar * vr[c] - ai * vi[c];
          si += ar * vi[c] + ai * vr[c];
        }
        const e = (i + off[r]) * B + b;
        re[e] = sr;
        im[e] = si;
      }
    }
  }
}

/** Re⟨λ_b| m |ψ_b⟩ summed over the groups, for one sample b. */
function overlap(
  lre: Float64Array, lim: Float64Array, re: Float64Array, im: Float64Array, B: number, dim: number,
  off: Int32Array, gateBits: number, m: ComplexMatrix, b: number,
): number {
  const d = off.length;
  let total = 0;
  for (let i = 0; i < dim; i++) {
    if (i & gateBits) continue;
    for (let r = 0; r < d; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < d; c++) {
        const e = (i + off[c]) * B + b;
        const ar = m.re[r * d + c], ai = m.im[r * d + c];
        sr += ar * re[e] - ai * im[e];
        si += ar * im[e] + ai * re[e];
      }
      const e = (i + off[r]) * B + b;
      total += lre[e] * sr + lim[e] * si; // Re(conj(λ)·(mψ))
    }
  }
  return total;
}

function gateBitsOf(off: Int32Array): number {
  return off[off.length - 1];
}

/** Apply a GENERIC primitive (or its inverse U†) to a batch of states. */
export function applyGeneric(
  p: Primitive, slots: readonly Slot[], slotVals: Float64Array, B: number, dim: number,
  re: Float64Array, im: Float64Array, inverse: boolean,
): void {
  const gate = p.gate!;
  const off = groupOffsets(p);
  const bits = gateBitsOf(off);
  if (isShared(p, slots)) {
    applyDense(re, im, B, dim, off, bits, orDagger(gate.matrix(paramsOf(p, slotVals, B, 0)), inverse), 0, B);
    return;
  }
  for (let b = 0; b < B; b++) applyDense(re, im, B, dim, off, bits, orDagger(gate.matrix(paramsOf(p, slotVals, B, b)), inverse), b, b + 1);
}

/**
 * One step of the adjoint sweep through a GENERIC primitive (see the header): un-applies U from ψ
 * and λ and adds d loss / d slot per sample into slotGrad[slot * B + b].
 */
export function adjointGeneric(
  p: Primitive, slots: readonly Slot[], slotVals: Float64Array, B: number, dim: number,
  re: Float64Array, im: Float64Array, lre: Float64Array, lim: Float64Array, slotGrad: Float64Array,
): void {
  const gate = p.gate!;
  const off = groupOffsets(p);
  const bits = gateBitsOf(off);
  const shared = isShared(p, slots);
  const ps = p.slots!;
  const matricesAt = (b: number): { ud: ComplexMatrix; du: Array<ComplexMatrix | undefined> } => {
    const params = paramsOf(p, slotVals, B, b);
    const du = Array.from(ps, (s, k) => (slots[s].ref.kind === 'const' ? undefined : gateDerivative(gate, params, k)));
    return { ud: orDagger(gate.matrix(params), true), du };
  };
  // A shared gate's matrices are the same for every sample: evaluate them once.
  const once = shared ? matricesAt(0) : undefined;
  for (let b = 0; b < B; b++) {
    const { ud, du } = once ?? matricesAt(b);
    applyDense(re, im, B, dim, off, bits, ud, b, b + 1);
    for (let k = 0; k < ps.length; k++) {
      const d = du[k];
      if (d !== undefined) slotGrad[ps[k] * B + b] += 2 * overlap(lre, lim, re, im, B, dim, off, bits, d, b);
    }
    applyDense(lre, lim, B, dim, off, bits, ud, b, b + 1);
  }
}
