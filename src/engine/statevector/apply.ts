// Apply one primitive U (or its inverse U†) to a batch of state vectors: ψ_b ← U_b ψ_b for every
// sample b, where U_b is the primitive's matrix at sample b's parameters (see coefficients.ts).
// The primitive kinds and their matrices are described in program.ts; the kernels in kernels.ts,
// rotation-kernels.ts and fused-kernels.ts (JavaScript) and wasm/ (WebAssembly SIMD).
//
// applyPrimitive is the ONE dispatch over primitive kinds: a new kind is one more case here (and
// in applyWasm if it has a SIMD kernel). The arrays may be the state (re, im) or the co-state
// (lre, lim): the adjoint sweep un-applies gates to both.

import { mat1Shared, mat2Shared, pairMix, parityPhase, swapBits, xperm } from '../kernels.js';
import { rotate } from '../rotation-kernels.js';
import { mat1Batch } from '../fused-kernels.js';
import { applyGeneric } from '../generic-matrix.js';
import { Axis, Kind, type Primitive } from '../program.js';
import { WASM_MAX_FIXED, wasmPerSampleKernels, type KernelMemory } from '../wasm/backend.js';
import type { Coefficients } from '../coefficients.js';
import type { StateVectorBatch } from './state.js';

/** Apply primitive k of the program (its inverse with `inverse`) to re/im, arrays of `state`'s layout. */
export function applyPrimitive(
  state: StateVectorBatch, coefs: Coefficients, k: number, re: Float64Array, im: Float64Array, inverse: boolean,
): void {
  const p = coefs.program.prims[k];
  const B = state.batch;
  const dim = state.dim;
  const c = coefs.coef[k];
  const shared = coefs.shared[k] === 1;
  const sign = inverse ? -1 : 1;
  const km = state.kernels;
  if (km !== null && km.owns(re) && applyWasm(km, p, B, dim, c, coefs.inv[k], re, im, shared, inverse)) return;
  switch (p.kind) {
    case Kind.ROT:
      rotate(re, im, B, dim, p.axis, p.bitA, p.mask, p.fixed, c, shared ? 1 : B, sign);
      break;
    case Kind.MAT1:
      mat1Shared(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? coefs.inv[k] : c);
      break;
    case Kind.FUSED:
      if (shared) mat1Shared(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? coefs.inv[k] : c);
      else mat1Batch(re, im, B, dim, p.bitA, p.mask, p.fixed, inverse ? coefs.inv[k] : c);
      break;
    case Kind.XPERM:
      xperm(re, im, B, dim, p.bitA, p.mask, p.fixed);
      break;
    case Kind.SWAP:
      swapBits(re, im, B, dim, p.bitA, p.bitB, p.fixed);
      break;
    case Kind.MAT2:
      if (inverse) mat2Shared(re, im, B, dim, p.bitA, p.bitB, p.fixed, p.ire!, p.iim!);
      else mat2Shared(re, im, B, dim, p.bitA, p.bitB, p.fixed, p.mre!, p.mim!);
      break;
    case Kind.PAIRMIX:
      pairMix(re, im, B, dim, p.bitA, p.bitB, p.fixed, c, shared, p.axis === Axis.X ? 1 : -1, sign);
      break;
    case Kind.PARITY:
      parityPhase(re, im, B, dim, p.mask, c, shared, sign);
      break;
    case Kind.GENERIC:
      applyGeneric(p, coefs.program.slots, coefs.slotVals, B, dim, re, im, inverse);
      break;
  }
}

/**
 * Whether primitive `p` (its coefficients `shared` by the batch or not, at batch size B) runs on
 * a WebAssembly kernel when the state lives in kernel memory, in the forward pass and the adjoint
 * sweep alike: rotations, 2×2 matrices and X-type permutations with at most WASM_MAX_FIXED
 * target + control bits. The one predicate applyWasm and adjointStepWasm dispatch on, and what
 * QNode.kernelReport tells.
 */
export function hasWasmKernel(p: Primitive, shared: boolean, B: number): boolean {
  if (p.fixed.length > WASM_MAX_FIXED) return false;
  if (p.kind === Kind.XPERM) return true;
  if (p.kind !== Kind.ROT && p.kind !== Kind.MAT1 && p.kind !== Kind.FUSED) return false;
  return shared || B === 1 || wasmPerSampleKernels();
}

/**
 * Primitive `p` standing for primitive k of the program (k's coefficients; `p` may be k with its
 * bits moved, as chunked.ts does) on the WebAssembly kernel, on arrays in `km` of `dim`
 * amplitudes per sample; false where it has none.
 */
export function applyWasmPrimitive(
  km: KernelMemory, p: Primitive, k: number, coefs: Coefficients, B: number, dim: number, re: Float64Array, im: Float64Array, inverse: boolean,
): boolean {
  return applyWasm(km, p, B, dim, coefs.coef[k], coefs.inv[k], re, im, coefs.shared[k] === 1, inverse);
}

/**
 * The WebAssembly kernel for a primitive on arrays in `km`, if it has one (rotations, 2×2
 * matrices, X; shared or per-sample); false leaves the primitive to the JavaScript kernels.
 * A batch of one is always "shared": its per-sample coefficients have the shared layout.
 */
function applyWasm(
  km: KernelMemory, p: Primitive, B: number, dim: number, c: Float64Array, inv: Float64Array,
  re: Float64Array, im: Float64Array, shared: boolean, inverse: boolean,
): boolean {
  if (!hasWasmKernel(p, shared, B)) return false;
  const fx = p.fixed;
  const f = fx.length, f0 = fx[0], f1 = f > 1 ? fx[1] : 0, f2 = f > 2 ? fx[2] : 0;
  const kern = km.kernels;
  const one = shared || B === 1;
  switch (p.kind) {
    case Kind.ROT: {
      if (one) {
        kern.rotShared(re.byteOffset, im.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2, c[0], inverse ? -c[1] : c[1]);
        return true;
      }
      const cs = km.coefs;
      cs.set(c.subarray(0, 2 * B));
      kern.rotBatch(re.byteOffset, im.byteOffset, B, dim, p.axis, p.bitA, p.mask, f, f0, f1, f2, cs.byteOffset, inverse ? -1 : 1);
      return true;
    }
    case Kind.MAT1:
    case Kind.FUSED: {
      const m = inverse ? inv : c;
      if (one) {
        kern.mat1Shared(re.byteOffset, im.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
        return true;
      }
      const cs = km.coefs;
      cs.set(m.subarray(0, 8 * B));
      kern.mat1Batch(re.byteOffset, im.byteOffset, B, dim, p.bitA, p.mask, f, f0, f1, f2, cs.byteOffset);
      return true;
    }
    case Kind.XPERM:
      kern.xpermPair(re.byteOffset, im.byteOffset, 0, 0, B, dim, p.bitA, p.mask, f, f0, f1, f2);
      return true;
    default:
      return false;
  }
}
