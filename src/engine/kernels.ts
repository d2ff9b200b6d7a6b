// Gate kernels on a batch of state vectors.
//
// Memory layout (chosen for batches of small circuits and for single large states alike):
// amplitude-major, batch-minor, real and imaginary parts in separate Float64Arrays:
//     amplitude i of sample b  is  re[i * B + b] + i·im[i * B + b]
// A gate pairs amplitudes i and i | (1 << bit); all samples of one amplitude are contiguous, so a
// kernel walks runs of (1 << lowestFixedBit) * B consecutive elements, a long stride-1 inner loop
// for both W4-like workloads (n = 4, B = 32) and single 20-qubit states.
//
// Enumeration: the bits in `fixed` (target, controls, second wire; ascending) are held at 0 and
// every other bit runs over all values. Group k's first index is k with zeros inserted at the
// fixed positions; control bits are then OR-ed in. Nothing here allocates.

/** Index of group k's first amplitude: insert zero bits at fixed[1..] (fixed[0] is below the run). */
export function groupBase(k: number, fixed: Int32Array, f: number, low: number): number {
  let x = k << (low + 1);
  for (let j = 1; j < f; j++) {
    const p = fixed[j];
    x = ((x >>> p) << (p + 1)) | (x & ((1 << p) - 1));
  }
  return x;
}

/**
 * Apply a 2×2 complex matrix, the same for every sample, to target bit `tbit` where `mask` bits are 1.
 * m = [r00, i00, r01, i01, r10, i10, r11, i11].
 */
export function mat1Shared(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  tbit: number, mask: number, fixed: Int32Array, m: Float64Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  const ar = m[0], ai = m[1], br = m[2], bi = m[3], cr = m[4], ci = m[5], dr = m[6], di = m[7];
  const real = ai === 0 && bi === 0 && ci === 0 && di === 0;
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    const end = a0 + runE;
    if (real) {
      for (let e = a0; e < end; e++) {
        const e1 = e + tOff;
        const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
        re[e] = ar * r0 + br * r1;
        im[e] = ar * i0 + br * i1;
        re[e1] = cr * r0 + dr * r1;
        im[e1] = cr * i0 + dr * i1;
      }
    } else {
      for (let e = a0; e < end; e++) {
        const e1 = e + tOff;
        const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
        re[e] = ar * r0 - ai * i0 + br * r1 - bi * i1;
        im[e] = ar * i0 + ai * r0 + br * i1 + bi * r1;
        re[e1] = cr * r0 - ci * i0 + dr * r1 - di * i1;
        im[e1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
      }
    }
  }
}

/** X on the target bit where the mask bits are set (X, CNOT, Toffoli): swap the paired halves. */
export function xperm(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  tbit: number, mask: number, fixed: Int32Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    const end = a0 + runE;
    for (let e = a0; e < end; e++) {
      const e1 = e + tOff;
      const r = re[e];
      re[e] = re[e1];
      re[e1] = r;
      const i = im[e];
      im[e] = im[e1];
      im[e1] = i;
    }
  }
}

/** xperm on two states at once (the adjoint un-applies a CNOT to the state and the co-state). */
export function xperm2(
  re: Float64Array, im: Float64Array, re2: Float64Array, im2: Float64Array, B: number, dim: number,
  tbit: number, mask: number, fixed: Int32Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const tOff = (1 << tbit) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = ((f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) | mask) * B;
    const end = a0 + runE;
    for (let e = a0; e < end; e++) {
      const e1 = e + tOff;
      let t = re[e]; re[e] = re[e1]; re[e1] = t;
      t = im[e]; im[e] = im[e1]; im[e1] = t;
      t = re2[e]; re2[e] = re2[e1]; re2[e1] = t;
      t = im2[e]; im2[e] = im2[e1]; im2[e1] = t;
    }
  }
}

/** SWAP of bits a and b: exchange |…0_a…1_b…⟩ and |…1_a…0_b…⟩. */
export function swapBits(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  bitA: number, bitB: number, fixed: Int32Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const offA = (1 << bitA) * B;
  const offB = (1 << bitB) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = (f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) * B;
    const end = a0 + runE;
    for (let e = a0; e < end; e++) {
      const eA = e + offA;
      const eB = e + offB;
      const r = re[eA];
      re[eA] = re[eB];
      re[eB] = r;
      const i = im[eA];
      im[eA] = im[eB];
      im[eB] = i;
    }
  }
}

/**
 * A constant 4×4 matrix on bits (a, b), sub-index 2·bit_a + bit_b (bit a is the first wire).
 * mr/mi are row-major 4×4.
 */
export function mat2Shared(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  bitA: number, bitB: number, fixed: Int32Array, mr: Float64Array, mi: Float64Array,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const oA = (1 << bitA) * B;
  const oB = (1 << bitB) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = (f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) * B;
    const end = a0 + runE;
    for (let e = a0; e < end; e++) {
      const e1 = e + oB, e2 = e + oA, e3 = e + oA + oB;
      const r0 = re[e], i0 = im[e], r1 = re[e1], i1 = im[e1];
      const r2 = re[e2], i2 = im[e2], r3 = re[e3], i3 = im[e3];
      for (let row = 0; row < 4; row++) {
        const o = row * 4;
        const nr = mr[o] * r0 - mi[o] * i0 + mr[o + 1] * r1 - mi[o + 1] * i1
          + mr[o + 2] * r2 - mi[o + 2] * i2 + mr[o + 3] * r3 - mi[o + 3] * i3;
        const ni = mr[o] * i0 + mi[o] * r0 + mr[o + 1] * i1 + mi[o + 1] * r1
          + mr[o + 2] * i2 + mi[o + 2] * r2 + mr[o + 3] * i3 + mi[o + 3] * r3;
        const dst = row === 0 ? e : row === 1 ? e1 : row === 2 ? e2 : e3;
        re[dst] = nr;
        im[dst] = ni;
      }
    }
  }
}

/**
 * exp(−iα/2 P⊗P) for P = X (sOuter = +1) or Y (sOuter = −1) on bits (a, b):
 * ψ_x ← c ψ_x − i s σ ψ_partner with σ = sOuter for 00↔11 and +1 for 01↔10.
 * cs holds [c | s] (length 2B, per sample) or [c, s] when `shared`; sign = −1 applies the inverse.
 */
export function pairMix(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  bitA: number, bitB: number, fixed: Int32Array, cs: Float64Array, shared: boolean, sOuter: number, sign: number,
): void {
  const f = fixed.length;
  const low = fixed[0];
  const runE = (1 << low) * B;
  const outer = dim >>> (f + low);
  const oA = (1 << bitA) * B;
  const oB = (1 << bitB) * B;
  for (let k = 0; k < outer; k++) {
    const a0 = (f === 1 ? k << (low + 1) : groupBase(k, fixed, f, low)) * B;
    const end = a0 + runE;
    for (let r = a0; r < end; r += B) {
      for (let b = 0; b < B; b++) {
        const c = shared ? cs[0] : cs[b];
        const s = sign * (shared ? cs[1] : cs[B + b]);
        const so = s * sOuter;
        const e00 = r + b, e01 = e00 + oB, e10 = e00 + oA, e11 = e10 + oB;
        // 00 ↔ 11: new = c ψ − i so ψ'  →  re += so·im', im −= so·re'
        let xr = re[e00], xi = im[e00], yr = re[e11], yi = im[e11];
        re[e00] = c * xr + so * yi;
        im[e00] = c * xi - so * yr;
        re[e11] = c * yr + so * xi;
        im[e11] = c * yi - so * xr;
        xr = re[e01]; xi = im[e01]; yr = re[e10]; yi = im[e10];
        re[e01] = c * xr + s * yi;
        im[e01] = c * xi - s * yr;
        re[e10] = c * yr + s * xi;
        im[e10] = c * yi - s * xr;
      }
    }
  }
}

/** Parity of the set bits of x (0 or 1). */
export function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * exp(−iα/2 Z⊗…⊗Z) on the wires in `mask`: amplitude × (c − i s) for even parity, (c + i s) for odd.
 * cs as in pairMix; sign = −1 applies the inverse.
 */
export function parityPhase(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  mask: number, cs: Float64Array, shared: boolean, sign: number,
): void {
  for (let i = 0; i < dim; i++) {
    const parSign = parity(i & mask) ? 1 : -1;
    const base = i * B;
    for (let b = 0; b < B; b++) {
      const c = shared ? cs[0] : cs[b];
      const s = (shared ? cs[1] : cs[B + b]) * sign * parSign;
      const e = base + b;
      const r = re[e], m = im[e];
      re[e] = c * r - s * m;
      im[e] = c * m + s * r;
    }
  }
}
