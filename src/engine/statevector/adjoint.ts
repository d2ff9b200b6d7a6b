// The adjoint sweep (Jones & Gacon, arXiv:2009.02823): with the final state ψ = U_K⋯U_1 ψ0 and
// the co-state λ, defined by dL = 2 Re⟨λ|dψ⟩ (measure.ts), walk the primitives backwards. At
// primitive k, with U_k = exp(−iαG/2) and ψ, λ both taken just after it, dψ/dα = (−i/2) G ψ, so
//
//     dL/dα = 2 Re⟨λ|(−i/2) G|ψ⟩ = Im⟨λ|G|ψ⟩,
//
// then ψ ← U_k† ψ and λ ← U_k† λ. Each kind knows its generator (generators.ts, the fused
// rotation kernels) and its inverse (apply.ts); the sweep knows nothing gate-specific beyond
// choosing the fused kernel that does both in one pass. Cost: about three forward passes.
//
// Gradients go into slotGrad[s * B + b] per sample; for a slot shared by the batch (weights,
// constants) only the batch total, in slotGrad[s * B]. Afterwards ψ is back at the initial state
// and λ has been propagated to it (the amplitude-embedding gradient reads it, initial.ts).

import { xperm2 } from '../kernels.js';
import { adjointRotate } from '../rotation-kernels.js';
import { adjointMat1 } from '../fused-kernels.js';
import { adjointGeneric } from '../generic-matrix.js';
import { dagger2, identity2, mul2, rotationTangent } from '../mat2x2.js';
import { pairGenerator, parityGenerator } from '../generators.js';
import { Axis, Kind, type Primitive } from '../program.js';
import type { KernelMemory } from '../wasm/backend.js';
import type { Coefficients } from '../coefficients.js';
import { applyPrimitive, hasWasmKernel } from './apply.js';
import type { StateVectorBatch } from './state.js';

/** Buffers of one sweep, sized per batch so that the sweep allocates nothing. */
export class AdjointScratch {
  /** Per-sample generator overlaps. */
  readonly gen: Float64Array;
  /** FUSED: the 2×2 overlap S per sample (entry e of sample b at [e * n + b]). */
  readonly S: Float64Array;
  readonly t1 = new Float64Array(8);
  readonly t2 = new Float64Array(8);
  readonly t3 = new Float64Array(8);
  readonly t4 = new Float64Array(8);
  constructor(B: number) {
    this.gen = new Float64Array(B);
    this.S = new Float64Array(8 * B);
  }
}

export function adjointSweep(state: StateVectorBatch, coefs: Coefficients, scratch: AdjointScratch, slotGrad: Float64Array): void {
  const km = state.kernels;
  for (let k = coefs.program.prims.length - 1; k >= 0; k--) {
    if (km !== null && adjointStepWasm(km, state, coefs, k, scratch, slotGrad)) continue;
    adjointStep(state, coefs, k, scratch, slotGrad);
  }
}

/** Whether primitive k's gradient is wanted (it reads a weight or an input, not a constant). */
export function wanted(coefs: Coefficients, p: Primitive): boolean {
  return p.slot >= 0 && coefs.program.slots[p.slot].ref.kind !== 'const';
}

/**
 * Primitive k on the WebAssembly kernels (FUSED, XPERM, ROT; shared or per-sample, with a batch
 * of one taken as shared); false if it has none. Per-sample coefficients go through km.coefs:
 * inputs at its start, the kernel's per-sample outputs after them. `p`: primitive k, or k with
 * its bits moved to a chunk's positions (chunked.ts, where `state` is the chunk).
 */
export function adjointStepWasm(
  km: KernelMemory, state: StateVectorBatch, coefs: Coefficients, k: number, scratch: AdjointScratch, slotGrad: Float64Array,
  p: Primitive = coefs.program.prims[k],
): boolean {
  const kern = km.kernels;
  const { re, im, lre, lim, batch: B, dim } = state;
  if (!hasWasmKernel(p, coefs.shared[k] === 1, B)) return false;
  const fx = p.fixed;
  const f = fx.length;
  const one = coefs.shared[k] === 1 || B === 1;
  const f0 = fx[0], f1 = f > 1 ? fx[1] : 0, f2 = f > 2 ? fx[2] : 0;
  if (p.kind === Kind.FUSED) {
    const m = coefs.inv[k];
    if (one) {
      kern.adjMat1Shared(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2,
        m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], 0);
      scratch.S.set(km.scratch);
    } else {
      const cs = km.coefs;
      cs.set(m.subarray(0, 8 * B));
      kern.adjMat1Batch(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2,
        cs.byteOffset, cs.byteOffset + 64 * B);
      scratch.S.set(cs.subarray(8 * B, 16 * B));
    }
    fusedGradients(coefs, k, B, scratch, slotGrad);
    return true;
  }
  if (p.kind === Kind.XPERM) {
    kern.xpermPair(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2);
    return true;
  }
  if (p.kind === Kind.ROT && wanted(coefs, p)) {
    const c = coefs.coef[k];
    const scale = rotationGradientScale(p.axis);
    if (one) {
      const total = kern.adjRotShared(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2, c[0], c[1]);
      slotGrad[p.slot * B] += scale * total;
      return true;
    }
    const cs = km.coefs;
    cs.set(c.subarray(0, 2 * B));
    kern.adjRotBatch(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2,
      cs.byteOffset, cs.byteOffset + 16 * B);
    const off = p.slot * B;
    for (let b = 0; b < B; b++) slotGrad[off + b] += scale * cs[2 * B + b];
    return true;
  }
  return false;
}

/** Primitive k on the JavaScript kernels. */
export function adjointStep(state: StateVectorBatch, coefs: Coefficients, k: number, scratch: AdjointScratch, slotGrad: Float64Array): void {
  const p = coefs.program.prims[k];
  const { re, im, lre, lim, batch: B, dim } = state;
  const { gen } = scratch;
  if (p.kind === Kind.GENERIC) {
    adjointGeneric(p, coefs.program.slots, coefs.slotVals, B, dim, re, im, lre, lim, slotGrad);
    return;
  }
  if (p.kind === Kind.FUSED) {
    adjointMat1(re, im, lre, lim, B, dim, p.bitA, p.mask, p.fixed, coefs.inv[k], coefs.width(k), scratch.S);
    fusedGradients(coefs, k, B, scratch, slotGrad);
    return;
  }
  if (p.kind === Kind.XPERM) {
    xperm2(re, im, lre, lim, B, dim, p.bitA, p.mask, p.fixed);
    return;
  }
  const off = p.slot * B;
  const want = wanted(coefs, p);
  if (p.kind === Kind.ROT && want) {
    // Fused: generator overlap and both inverse applications in one pass.
    const scale = rotationGradientScale(p.axis);
    const n = coefs.width(k);
    const total = adjointRotate(re, im, lre, lim, B, dim, p.axis, p.bitA, p.mask, p.fixed, coefs.coef[k], n, gen);
    if (n === 1) slotGrad[off] += scale * total;
    else for (let b = 0; b < B; b++) slotGrad[off + b] += scale * gen[b];
    return;
  }
  if (want) {
    if (p.kind === Kind.PAIRMIX) pairGenerator(lre, lim, re, im, B, dim, p.bitA, p.bitB, p.fixed, p.axis === Axis.X ? 1 : -1, gen);
    else parityGenerator(lre, lim, re, im, B, dim, p.mask, gen);
    for (let b = 0; b < B; b++) slotGrad[off + b] += gen[b];
  }
  applyPrimitive(state, coefs, k, re, im, true);
  applyPrimitive(state, coefs, k, lre, lim, true);
}

/**
 * FUSED primitive k = U_m⋯U_1, after its adjoint kernel filled S (the 2×2 overlap of λ and ψ):
 * part j's gradient is 2 Re Σ_ab D_ab S_ba with D = A T_j A†, A = U_m⋯U_{j+1} and T_j the
 * tangent dU_j/dα · U_j† (see fused-kernels.ts).
 */
export function fusedGradients(coefs: Coefficients, k: number, B: number, scratch: AdjointScratch, slotGrad: Float64Array): void {
  const parts = coefs.program.prims[k].parts!;
  const { slots } = coefs.program;
  const n = coefs.width(k);
  const { t1: A, t2: T, t3: tmp, t4: D, S } = scratch;
  const pm = coefs.partM[k];
  for (let b = 0; b < n; b++) {
    identity2(A);
    for (let j = parts.length - 1; j >= 0; j--) {
      const q = parts[j];
      if (q.kind === Kind.ROT && q.slot >= 0 && slots[q.slot].ref.kind !== 'const') {
        rotationTangent(q.axis, T);
        mul2(A, T, tmp); // A T
        dagger2(A, D);
        mul2(tmp, D, T); // A T A† (reusing T)
        slotGrad[q.slot * B + b] += 2 * traceProduct(T, S, n, b);
      }
      // A ← A · U_j
      for (let e = 0; e < 8; e++) D[e] = pm[(j * 8 + e) * n + b];
      mul2(A, D, tmp);
      A.set(tmp);
    }
  }
}

/** Re Σ_ac D_ac S_ca for a 2×2 D (interleaved) and sample b of S. */
function traceProduct(D: Float64Array, S: Float64Array, n: number, b: number): number {
  let g = 0;
  for (let a = 0; a < 2; a++)
    for (let c = 0; c < 2; c++) {
      const d = (2 * a + c) * 2; // D_ac
      const sIdx = (2 * c + a) * 2; // S_ca
      g += D[d] * S[sIdx * n + b] - D[d + 1] * S[(sIdx + 1) * n + b];
    }
  return g;
}

/**
 * d loss / d angle of a rotation = scale × the overlap its adjoint kernel accumulates:
 * rotations exp(−iασ/2) give 1; PhaseShift, U = exp(iαΠ) = exp(−iα·(−1)·Π), gives −2.
 */
export function rotationGradientScale(axis: Axis): number {
  return axis === Axis.P ? -2 : 1;
}
