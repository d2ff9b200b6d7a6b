// Measurements on a batch of state vectors (layout: state.ts) and the co-states the adjoint method
// starts from (adjoint.ts): for an output L = Σ g·m(ψ), the λ with dL = 2 Re⟨λ|dψ⟩. Outputs are
// batch-major: out[b * K + k].
//
// A Pauli word P acts on basis states as P|i⟩ = i^{nY} (−1)^{popcount(i & zmask)} |i ^ xmask⟩,
// with xmask = bits of X and Y factors, zmask = bits of Z and Y factors (observables.ts), so
// ⟨ψ|P|ψ⟩ = Σ_i (−1)^{popcount(i & zmask)} Re(i^{nY} conj(ψ_{i^xmask}) ψ_i).

//
// Observables made only of Z words (diagonal: every <Z_w> read-out of a hybrid model) run on the
// WebAssembly kernels zTermExpval / zTermCostate when the state lives in kernel memory: the same
// arithmetic in the same order, so the same bits as the loops here (a property test checks).

import { parity } from '../kernels.js';
import type { CompiledObservable } from '../observables.js';
import type { KernelMemory } from '../wasm/backend.js';

let wasmReadout = true;

/**
 * Run diagonal read-outs on the WebAssembly kernels where they can (default) or in JavaScript, as
 * before those kernels existed: benchmarks compare the two in one run, tests check they agree.
 */
export function setWasmReadout(on: boolean): void {
  wasmReadout = on;
}

/**
 * The kernel memory to read `obs` out on, or null for JavaScript: every term diagonal, the state
 * in `km`, and `room` float64s (the accumulator or the cotangent) within its coefficient space.
 */
function diagonalKernels(km: KernelMemory | null, re: Float64Array, obs: readonly CompiledObservable[], room: number): KernelMemory | null {
  if (km === null || !wasmReadout || !km.owns(re) || km.coefs.length < room) return null;
  for (const o of obs) for (const t of o) if (t.xmask !== 0) return null;
  return km;
}

/**
 * Expectation values of compiled observables: out[b * K + k]. `km`: the kernel memory holding
 * re/im, if any (diagonal observables then run on its kernels). Returns whether they did.
 */
export function expvals(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  obs: readonly CompiledObservable[], out: Float64Array, km: KernelMemory | null = null,
): boolean {
  const K = obs.length;
  const wasm = diagonalKernels(km, re, obs, B);
  if (wasm !== null) {
    // Each observable's sum runs in acc (its first B coefficients) from +0, as out's does below.
    const acc = wasm.coefs;
    for (let k = 0; k < K; k++) {
      acc.fill(0, 0, B);
      for (const t of obs[k]) wasm.kernels.zTermExpval(re.byteOffset, im.byteOffset, B, dim, t.zmask, t.coeff, acc.byteOffset);
      for (let b = 0; b < B; b++) out[b * K + k] = acc[b];
    }
    return true;
  }
  out.fill(0, 0, B * K);
  for (let k = 0; k < K; k++) {
    for (const t of obs[k]) {
      if (t.xmask === 0) {
        for (let i = 0; i < dim; i++) {
          const s = parity(i & t.zmask) ? -t.coeff : t.coeff;
          const base = i * B;
          for (let b = 0; b < B; b++) {
            const r = re[base + b], m = im[base + b];
            out[b * K + k] += s * (r * r + m * m);
          }
        }
      } else {
        for (let i = 0; i < dim; i++) {
          const s = parity(i & t.zmask) ? -t.coeff : t.coeff;
          const bi = i * B;
          const bj = (i ^ t.xmask) * B;
          for (let b = 0; b < B; b++) {
            // z = conj(ψ_j) ψ_i; Re(i^{nY} z)
            const jr = re[bj + b], ji = im[bj + b], ir = re[bi + b], ii = im[bi + b];
            const zr = jr * ir + ji * ii;
            const zi = jr * ii - ji * ir;
            const v = t.nY === 0 ? zr : t.nY === 1 ? -zi : t.nY === 2 ? -zr : zi;
            out[b * K + k] += s * v;
          }
        }
      }
    }
  }
  return false;
}

/** λ = Σ_k g[b, k] O_k ψ (per sample b), written into lre/lim; `km` as for expvals (holding λ too). */
export function expvalCostate(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  obs: readonly CompiledObservable[], g: Float64Array, lre: Float64Array, lim: Float64Array,
  km: KernelMemory | null = null,
): boolean {
  const K = obs.length;
  lre.fill(0, 0, B * dim);
  lim.fill(0, 0, B * dim);
  const wasm = km !== null && km.owns(lre) ? diagonalKernels(km, re, obs, B * K) : null;
  if (wasm !== null) {
    // The cotangent goes into the coefficient space; terms in the loops' order below.
    wasm.coefs.set(g.length === B * K ? g : g.subarray(0, B * K));
    const at = wasm.coefs.byteOffset;
    for (let k = 0; k < K; k++) {
      for (const t of obs[k]) {
        wasm.kernels.zTermCostate(re.byteOffset, im.byteOffset, lre.byteOffset, lim.byteOffset, B, dim, t.zmask, t.coeff, at, K, k);
      }
    }
    return true;
  }
  for (let k = 0; k < K; k++) {
    for (const t of obs[k]) {
      for (let i = 0; i < dim; i++) {
        const s = parity(i & t.zmask) ? -t.coeff : t.coeff;
        const bi = i * B;
        const bj = (i ^ t.xmask) * B;
        for (let b = 0; b < B; b++) {
          const w = s * g[b * K + k];
          if (w === 0) continue;
          const r = re[bi + b] * w, m = im[bi + b] * w;
          // multiply by i^{nY}
          switch (t.nY) {
            case 0: lre[bj + b] += r; lim[bj + b] += m; break;
            case 1: lre[bj + b] -= m; lim[bj + b] += r; break;
            case 2: lre[bj + b] -= r; lim[bj + b] -= m; break;
            default: lre[bj + b] += m; lim[bj + b] -= r;
          }
        }
      }
    }
  }
  return false;
}

/** Probabilities over `wires` (map from marginalIndex, or null for all wires): out[b * M + m]. */
export function probabilities(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  map: Int32Array | null, M: number, out: Float64Array,
): void {
  out.fill(0, 0, B * M);
  for (let i = 0; i < dim; i++) {
    const m = map ? map[i] : i;
    const base = i * B;
    for (let b = 0; b < B; b++) {
      const r = re[base + b], x = im[base + b];
      out[b * M + m] += r * r + x * x;
    }
  }
}

/** λ_i = g[b, m(i)] ψ_i: the co-state of Σ g·p, since dp_i = 2 Re(conj(ψ_i) dψ_i). */
export function probsCostate(
  re: Float64Array, im: Float64Array, B: number, dim: number,
  map: Int32Array | null, M: number, g: Float64Array, lre: Float64Array, lim: Float64Array,
): void {
  for (let i = 0; i < dim; i++) {
    const m = map ? map[i] : i;
    const base = i * B;
    for (let b = 0; b < B; b++) {
      const w = g[b * M + m];
      lre[base + b] = w * re[base + b];
      lim[base + b] = w * im[base + b];
    }
  }
}

/** The state itself, per sample: out[b * 2·dim + i] = Re ψ_i, out[b * 2·dim + dim + i] = Im ψ_i. */
export function readState(re: Float64Array, im: Float64Array, B: number, dim: number, out: Float64Array): void {
  for (let b = 0; b < B; b++)
    for (let i = 0; i < dim; i++) {
      out[b * 2 * dim + i] = re[i * B + b];
      out[b * 2 * dim + dim + i] = im[i * B + b];
    }
}
