// Kernels for FUSED primitives: a general 2×2 complex matrix on one target (under a control mask),
// per sample or shared, and the adjoint step that needs no per-parameter pass.
//
// Adjoint for a fused U = U_m…U_1: with ψ, λ taken after U, the gradient of part j is
//   2 Re⟨λ| A_j T_j A_j† |ψ⟩,  A_j = U_m…U_{j+1},  T_j = dU_j/dα_j · U_j†,
// and ⟨λ|D|ψ⟩ = Σ_ab D_ab S_ba with the 2×2 "overlap" S_ba = Σ_pairs ψ_b conj(λ_a). So one pass
// accumulates S (per sample) while un-applying U to ψ and λ, whatever the number of parts; the
// per-part gradients are then a few 2×2 products (fused-gradients in simulator.ts).
//
// Matrices are 8 numbers [r00, i00, r01, i01, r10, i10, r11, i11], entry k of sample b at [k*n + b].

import { groupBase } from './kernels.js';

/** Per-sample 2×2 complex matrix on the target bit where the mask bits are set. */
export function mat1Batch(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  tbit: number, mask: number, fixed: Int32Array, m: Float64Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  const B2 = 2 * B, B3 = 3 * B, B4 = 4 * B, B5 = 5 * B, B6 = 6 * B, B7 = 7 * B;
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    for (let r = a0, end = a0 + runE; r < end; r += B) {
      for (let b = 0; b < B; b++) {
        const e = r + b;
        const e1 = e + tOff;
        const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
        const ar = m[b], ai = m[B + b], br = m[B2 + b], bi = m[B3 + b];
        const cr = m[B4 + b], ci = m[B5 + b], dr = m[B6 + b], di = m[B7 + b];
        re[e] = ar * r0 - ai * i0 + br * r1 - bi * i1;
        im[e] = ar * i0 + ai * r0 + br * i1 + bi * r1;
        re[e1] = cr * r0 - ci * i0 + dr * r1 - di * i1;
        im[e1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
      }
    }
  }
}

/**
 * Accumulate S (8 numbers per sample, or one batch total when n = 1) from ψ, λ, then apply the
 * inverse matrix `inv` (n = 1: shared, else per sample) to both. S is zeroed first.
 */
export function adjointMat1(
  pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
  B: number, dim: number, tbit: number, mask: number, fixed: Int32Array,
  inv: Float64Array, n: number, S: Float64Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  S.fill(0, 0, 8 * n);
  if (n === 1) {
    const ar = inv[0], ai = inv[1], br = inv[2], bi = inv[3], cr = inv[4], ci = inv[5], dr = inv[6], di = inv[7];
    let s0r = 0, s0i = 0, s1r = 0, s1i = 0, s2r = 0, s2i = 0, s3r = 0, s3i = 0;
    for (let k = 0; k < outer; k++) {
      const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
      for (let e = a0, end = a0 + runE; e < end; e++) {
        const e1 = e + tOff;
        const p0r = pre[e], p0i = pim[e], p1r = pre[e1], p1i = pim[e1];
        const l0r = lre[e], l0i = lim[e], l1r = lre[e1], l1i = lim[e1];
        // S_ba = ψ_b conj(λ_a): entries 00, 01, 10, 11 as (b, a)
        s0r += p0r * l0r + p0i * l0i; s0i += p0i * l0r - p0r * l0i;
        s1r += p0r * l1r + p0i * l1i; s1i += p0i * l1r - p0r * l1i;
        s2r += p1r * l0r + p1i * l0i; s2i += p1i * l0r - p1r * l0i;
        s3r += p1r * l1r + p1i * l1i; s3i += p1i * l1r - p1r * l1i;
        pre[e] = ar * p0r - ai * p0i + br * p1r - bi * p1i;
        pim[e] = ar * p0i + ai * p0r + br * p1i + bi * p1r;
        pre[e1] = cr * p0r - ci * p0i + dr * p1r - di * p1i;
        pim[e1] = cr * p0i + ci * p0r + dr * p1i + di * p1r;
        lre[e] = ar * l0r - ai * l0i + br * l1r - bi * l1i;
        lim[e] = ar * l0i + ai * l0r + br * l1i + bi * l1r;
        lre[e1] = cr * l0r - ci * l0i + dr * l1r - di * l1i;
        lim[e1] = cr * l0i + ci * l0r + dr * l1i + di * l1r;
      }
    }
    S[0] = s0r; S[1] = s0i; S[2] = s1r; S[3] = s1i; S[4] = s2r; S[5] = s2i; S[6] = s3r; S[7] = s3i;
    return;
  }
  const B2 = 2 * B, B3 = 3 * B, B4 = 4 * B, B5 = 5 * B, B6 = 6 * B, B7 = 7 * B;
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    for (let r = a0, end = a0 + runE; r < end; r += B) {
      for (let b = 0; b < B; b++) {
        const e = r + b;
        const e1 = e + tOff;
        const p0r = pre[e], p0i = pim[e], p1r = pre[e1], p1i = pim[e1];
        const l0r = lre[e], l0i = lim[e], l1r = lre[e1], l1i = lim[e1];
        S[b] += p0r * l0r + p0i * l0i; S[B + b] += p0i * l0r - p0r * l0i;
        S[B2 + b] += p0r * l1r + p0i * l1i; S[B3 + b] += p0i * l1r - p0r * l1i;
        S[B4 + b] += p1r * l0r + p1i * l0i; S[B5 + b] += p1i * l0r - p1r * l0i;
        S[B6 + b] += p1r * l1r + p1i * l1i; S[B7 + b] += p1i * l1r - p1r * l1i;
        const ar = inv[b], ai = inv[B + b], br = inv[B2 + b], bi = inv[B3 + b];
        const cr = inv[B4 + b], ci = inv[B5 + b], dr = inv[B6 + b], di = inv[B7 + b];
        pre[e] = ar * p0r - ai * p0i + br * p1r - bi * p1i;
        pim[e] = ar * p0i + ai * p0r + br * p1i + bi * p1r;
        pre[e1] = cr * p0r - ci * p0i + dr * p1r - di * p1i;
        pim[e1] = cr * p0i + ci * p0r + dr * p1i + di * p1r;
        lre[e] = ar * l0r - ai * l0i + br * l1r - bi * l1i;
        lim[e] = ar * l0i + ai * l0r + br * l1i + bi * l1r;
        lre[e1] = cr * l0r - ci * l0i + dr * l1r - di * l1i;
        lim[e1] = cr * l0i + ci * l0r + dr * l1i + di * l1r;
      }
    }
  }
}
