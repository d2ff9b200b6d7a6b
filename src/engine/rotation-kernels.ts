// Rotation kernels, written out per axis (see program.ts for the primitive):
//   X: exp(−iαX/2)   Y: exp(−iαY/2)   Z: exp(−iαZ/2)   P: diag(1, e^{iα})
// Coefficients cs = [c | s] with c = cos(α/2), s = sin(α/2) (P: cos α, sin α), n entries each:
// n = 1 when the angle is shared by the batch, n = B when it differs per sample.
// `sign` = −1 applies the inverse. Every branch is hoisted out of the inner loops (one loop per
// axis and per shared/per-sample case): these loops are the hot path of the whole engine.

import { Axis } from './program.js';
import { groupBase } from './kernels.js';

/** Apply a rotation (sign = +1) or its inverse (sign = −1) to the target bit where `mask` is set. */
export function rotate(
  re: Float64Array, im: Float64Array, B: number, dim: number, axis: Axis,
  tbit: number, mask: number, fixed: Int32Array, cs: Float64Array, n: number, sign: number,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  if (n === 1) {
    const c = cs[0];
    const s = sign * cs[1];
    switch (axis) {
      case Axis.X:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 + s * i1; im[e] = c * i0 - s * r1;
            re[e1] = c * r1 + s * i0; im[e1] = c * i1 - s * r0;
          }
        }
        return;
      case Axis.Y:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 - s * r1; im[e] = c * i0 - s * i1;
            re[e1] = s * r0 + c * r1; im[e1] = s * i0 + c * i1;
          }
        }
        return;
      case Axis.Z:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 + s * i0; im[e] = c * i0 - s * r0;
            re[e1] = c * r1 - s * i1; im[e1] = c * i1 + s * r1;
          }
        }
        return;
      case Axis.P:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const r1 = re[e1], i1 = im[e1];
            re[e1] = c * r1 - s * i1; im[e1] = c * i1 + s * r1;
          }
        }
        return;
    }
  }
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    for (let r = a0, end = a0 + runE; r < end; r += B) {
      switch (axis) {
        case Axis.X:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = sign * cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 + s * i1; im[e] = c * i0 - s * r1;
            re[e1] = c * r1 + s * i0; im[e1] = c * i1 - s * r0;
          }
          break;
        case Axis.Y:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = sign * cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 - s * r1; im[e] = c * i0 - s * i1;
            re[e1] = s * r0 + c * r1; im[e1] = s * i0 + c * i1;
          }
          break;
        case Axis.Z:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = sign * cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
            re[e] = c * r0 + s * i0; im[e] = c * i0 - s * r0;
            re[e1] = c * r1 - s * i1; im[e1] = c * i1 + s * r1;
          }
          break;
        case Axis.P:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = sign * cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const r1 = re[e1], i1 = im[e1];
            re[e1] = c * r1 - s * i1; im[e1] = c * i1 + s * r1;
          }
          break;
      }
    }
  }
}

/**
 * One fused step of the adjoint sweep for a rotation: accumulate Im⟨λ|G|ψ⟩ (ψ, λ taken after the
 * gate), then un-apply the gate to both ψ and λ, in a single pass over the four arrays.
 * Shared angle (n = 1): returns the batch total. Per-sample angles: writes out[b], returns 0.
 */
export function adjointRotate(
  pre: Float64Array, pim: Float64Array, lre: Float64Array, lim: Float64Array,
  B: number, dim: number, axis: Axis, tbit: number, mask: number, fixed: Int32Array,
  cs: Float64Array, n: number, out: Float64Array,
): number {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  if (n === 1) {
    const c = cs[0];
    const s = cs[1];
    let acc = 0;
    switch (axis) {
      case Axis.X:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            acc += lr0 * pi1 - li0 * pr1 + lr1 * pi0 - li1 * pr0;
            pre[e] = c * pr0 - s * pi1; pim[e] = c * pi0 + s * pr1;
            pre[e1] = c * pr1 - s * pi0; pim[e1] = c * pi1 + s * pr0;
            lre[e] = c * lr0 - s * li1; lim[e] = c * li0 + s * lr1;
            lre[e1] = c * lr1 - s * li0; lim[e1] = c * li1 + s * lr0;
          }
        }
        return acc;
      case Axis.Y:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            acc += lr1 * pr0 + li1 * pi0 - lr0 * pr1 - li0 * pi1;
            pre[e] = c * pr0 + s * pr1; pim[e] = c * pi0 + s * pi1;
            pre[e1] = c * pr1 - s * pr0; pim[e1] = c * pi1 - s * pi0;
            lre[e] = c * lr0 + s * lr1; lim[e] = c * li0 + s * li1;
            lre[e1] = c * lr1 - s * lr0; lim[e1] = c * li1 - s * li0;
          }
        }
        return acc;
      case Axis.Z:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            acc += lr0 * pi0 - li0 * pr0 - lr1 * pi1 + li1 * pr1;
            pre[e] = c * pr0 - s * pi0; pim[e] = c * pi0 + s * pr0;
            pre[e1] = c * pr1 + s * pi1; pim[e1] = c * pi1 - s * pr1;
            lre[e] = c * lr0 - s * li0; lim[e] = c * li0 + s * lr0;
            lre[e1] = c * lr1 + s * li1; lim[e1] = c * li1 - s * lr1;
          }
        }
        return acc;
      case Axis.P:
        for (let k = 0; k < outer; k++) {
          const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
          for (let e = a0, end = a0 + runE; e < end; e++) {
            const e1 = e + tOff;
            const pr1 = pre[e1], pi1 = pim[e1];
            const lr1 = lre[e1], li1 = lim[e1];
            acc += lr1 * pi1 - li1 * pr1;
            pre[e1] = c * pr1 + s * pi1; pim[e1] = c * pi1 - s * pr1;
            lre[e1] = c * lr1 + s * li1; lim[e1] = c * li1 - s * lr1;
          }
        }
        return acc;
    }
    return acc;
  }
  out.fill(0, 0, B);
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    for (let r = a0, end = a0 + runE; r < end; r += B) {
      switch (axis) {
        case Axis.X:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            out[b] += lr0 * pi1 - li0 * pr1 + lr1 * pi0 - li1 * pr0;
            pre[e] = c * pr0 - s * pi1; pim[e] = c * pi0 + s * pr1;
            pre[e1] = c * pr1 - s * pi0; pim[e1] = c * pi1 + s * pr0;
            lre[e] = c * lr0 - s * li1; lim[e] = c * li0 + s * lr1;
            lre[e1] = c * lr1 - s * li0; lim[e1] = c * li1 + s * lr0;
          }
          break;
        case Axis.Y:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            out[b] += lr1 * pr0 + li1 * pi0 - lr0 * pr1 - li0 * pi1;
            pre[e] = c * pr0 + s * pr1; pim[e] = c * pi0 + s * pi1;
            pre[e1] = c * pr1 - s * pr0; pim[e1] = c * pi1 - s * pi0;
            lre[e] = c * lr0 + s * lr1; lim[e] = c * li0 + s * li1;
            lre[e1] = c * lr1 - s * lr0; lim[e1] = c * li1 - s * li0;
          }
          break;
        case Axis.Z:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
            const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
            out[b] += lr0 * pi0 - li0 * pr0 - lr1 * pi1 + li1 * pr1;
            pre[e] = c * pr0 - s * pi0; pim[e] = c * pi0 + s * pr0;
            pre[e1] = c * pr1 + s * pi1; pim[e1] = c * pi1 - s * pr1;
            lre[e] = c * lr0 - s * li0; lim[e] = c * li0 + s * lr0;
            lre[e1] = c * lr1 + s * li1; lim[e1] = c * li1 - s * lr1;
          }
          break;
        case Axis.P:
          for (let b = 0; b < B; b++) {
            const c = cs[b];
            const s = cs[B + b];
            const e = r + b;
            const e1 = e + tOff;
            const pr1 = pre[e1], pi1 = pim[e1];
            const lr1 = lre[e1], li1 = lim[e1];
            out[b] += lr1 * pi1 - li1 * pr1;
            pre[e1] = c * pr1 + s * pi1; pim[e1] = c * pi1 - s * pr1;
            lre[e1] = c * lr1 + s * li1; lim[e1] = c * li1 - s * lr1;
          }
          break;
      }
    }
  }
  return 0;
}
