// Generator overlaps for the adjoint method: out[b] = Im⟨λ_b| G |ψ_b⟩ for the generator G of a
// primitive (σ on the target inside the control subspace, P⊗P, or Z⊗…⊗Z). With U(α) = exp(−iαkG),
// d loss / dα = 2 Re⟨λ| dU/dα |ψ_before⟩ = 2k · Im⟨λ|G|ψ_after⟩, which the caller scales by 2k.

import { Axis } from './program.js';
import { groupBase, parity } from './kernels.js';

/** Im⟨λ|σ|ψ⟩ with σ = X, Y, Z, or the projector |1⟩⟨1| (Axis.P), on `tbit` inside `mask`. */
export function rotGenerator(
  axis: Axis,
  lre: Float64Array, lim: Float64Array, pre: Float64Array, pim: Float64Array,
  B: number, dim: number, tbit: number, mask: number, fixed: Int32Array, out: Float64Array,
): void {
  out.fill(0, 0, B);
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = (groupBase(k, fixed, f, low) | mask) * B;
    const end = a0 + runE;
    for (let r = a0; r < end; r += B) {
      for (let b = 0; b < B; b++) {
        const e = r + b;
        const e1 = e + tOff;
        const lr0 = lre[e], li0 = lim[e], lr1 = lre[e1], li1 = lim[e1];
        const pr0 = pre[e], pi0 = pim[e], pr1 = pre[e1], pi1 = pim[e1];
        let g: number;
        switch (axis) {
          case Axis.X: // conj(λ0)ψ1 + conj(λ1)ψ0
            g = lr0 * pi1 - li0 * pr1 + lr1 * pi0 - li1 * pr0;
            break;
          case Axis.Y: // conj(λ0)(−iψ1) + conj(λ1)(iψ0)
            g = -(lr0 * pr1 + li0 * pi1) + (lr1 * pr0 + li1 * pi0);
            break;
          case Axis.Z:
            g = lr0 * pi0 - li0 * pr0 - (lr1 * pi1 - li1 * pr1);
            break;
          default:
            g = lr1 * pi1 - li1 * pr1;
        }
        out[b] += g;
      }
    }
  }
}

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
    const a0 = groupBase(k, fixed, f, low) * B;
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
