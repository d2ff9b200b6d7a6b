// Generator overlaps for the adjoint method: out[b] = Im⟨λ_b| G |ψ_b⟩ for the generator G of a
// two-wire or parity primitive (P⊗P, Z⊗…⊗Z); rotations have fused kernels in rotation-kernels.ts. With U(α) = exp(−iαkG),
// d loss / dα = 2 Re⟨λ| dU/dα |ψ_before⟩ = 2k · Im⟨λ|G|ψ_after⟩, which the caller scales by 2k.

import { groupBase, parity } from './kernels.js';

/** Im⟨λ|P⊗P|ψ⟩ on bits (a, b) for P = X (sOuter = +1) or Y (sOuter = −1). */
export function pairGenerator(
  lre: Float64Array, lim: Float64Array, pre: Float64Array, pim: Float64Array,
  B: number, dim: number, bitA: number, bitB: number, fixed: Int32Array, sOuter: number, out: Float64Array,
): void {
  out.fill(0, 0, B);
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const oA = (1 << bitA) * B;
  const oB = (1 << bitB) * B;
  const im = (x: number, y: number): number => lre[x] * pim[y] - lim[x] * pre[y];
  for (let k = 0; k < outer; k++) {
    const a0 = (f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) * B;
    const end = a0 + runE;
    for (let r = a0; r < end; r += B) {
      for (let b = 0; b < B; b++) {
        const e00 = r + b, e01 = e00 + oB, e10 = e00 + oA, e11 = e10 + oB;
        out[b] += sOuter * (im(e00, e11) + im(e11, e00)) + im(e01, e10) + im(e10, e01);
      }
    }
  }
}

/** Im⟨λ|Z⊗…⊗Z|ψ⟩ over the wires in `mask`. */
export function parityGenerator(
  lre: Float64Array, lim: Float64Array, pre: Float64Array, pim: Float64Array,
  B: number, dim: number, mask: number, out: Float64Array,
): void {
  out.fill(0, 0, B);
  for (let i = 0; i < dim; i++) {
    const sign = parity(i & mask) ? -1 : 1;
    const base = i * B;
    for (let b = 0; b < B; b++) {
      const e = base + b;
      out[b] += sign * (lre[e] * pim[e] - lim[e] * pre[e]);
    }
  }
}
