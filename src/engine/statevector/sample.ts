// Finite-shot estimates: draw N computational-basis samples per batch sample (seeded) and estimate
// probabilities or Pauli expectations from them, as real hardware would report.
//
// Sampling: basis index i with probability p_i = |ψ_i|² / Σ|ψ|², by inverting the cumulative sum
// (binary search for the first i with cdf_i > u·cdf_last, u uniform in [0, 1)). A Pauli term is
// estimated as the mean of (−1)^{popcount(i & support)} over shots after rotating each X or Y
// factor's wire into the Z basis.
//
// Memory: the rotated copy of the state (16 bytes per amplitude), the cdf (8 per basis state)
// and the drawn indices (4 per shot); see sampleFootprint.

import type { CompiledObservable } from '../observables.js';
import { parity, mat1Shared } from '../kernels.js';
import type { Footprint } from '../memory.js';
import type { Rng } from '../../util/random.js';

/** Draw `shots` basis indices for sample b of a batched state into out[0..shots). */
export function sampleIndices(
  re: Float64Array, im: Float64Array, B: number, dim: number, b: number,
  shots: number, rng: Rng, cdf: Float64Array, out: Int32Array,
): void {
  let acc = 0;
  for (let i = 0; i < dim; i++) {
    const r = re[i * B + b], m = im[i * B + b];
    acc += r * r + m * m;
    cdf[i] = acc;
  }
  for (let s = 0; s < shots; s++) {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = dim - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    out[s] = lo;
  }
}

const SQ = Math.SQRT1_2;
/** H, and H·S† (maps the Y eigenbasis onto Z's), interleaved re/im 2×2. */
const H = Float64Array.from([SQ, 0, SQ, 0, SQ, 0, -SQ, 0]);
const HSdg = Float64Array.from([SQ, 0, 0, -SQ, SQ, 0, 0, SQ]);

export interface ShotScratch {
  re: Float64Array;
  im: Float64Array;
  cdf: Float64Array;
  idx: Int32Array;
}

/** What makeShotScratch allocates. */
export function sampleFootprint(shots: number): Footprint {
  return { perAmplitude: 16, perBasisState: 8, perSample: 0, fixed: 4 * shots };
}

export function makeShotScratch(len: number, dim: number, shots: number): ShotScratch {
  return { re: new Float64Array(len), im: new Float64Array(len), cdf: new Float64Array(dim), idx: new Int32Array(shots) };
}

/** Probabilities over a marginal map estimated from `shots` samples: out[b * M + m]. */
export function shotProbs(
  re: Float64Array, im: Float64Array, B: number, dim: number, map: Int32Array | null, M: number,
  shots: number, rng: Rng, scratch: ShotScratch, out: Float64Array,
): void {
  out.fill(0, 0, B * M);
  for (let b = 0; b < B; b++) {
    sampleIndices(re, im, B, dim, b, shots, rng, scratch.cdf, scratch.idx);
    // Count first, divide once: estimates are exactly count / shots.
    for (let s = 0; s < shots; s++) {
      const i = scratch.idx[s];
      out[b * M + (map ? map[i] : i)] += 1;
    }
    for (let m = 0; m < M; m++) out[b * M + m] /= shots;
  }
}

/**
 * Expectation values estimated term by term: each Pauli term is measured in its own basis
 * (X → H, Y → H·S† before a Z measurement) with `shots` samples, and the estimates are summed.
 */
export function shotExpvals(
  re: Float64Array, im: Float64Array, B: number, numWires: number,
  obs: readonly CompiledObservable[], shots: number, rng: Rng, scratch: ShotScratch, out: Float64Array,
): void {
  const dim = 1 << numWires;
  const K = obs.length;
  out.fill(0, 0, B * K);
  const one = new Int32Array(1);
  for (let k = 0; k < K; k++) {
    for (const t of obs[k]) {
      const support = t.xmask | t.zmask;
      if (support === 0) {
        for (let b = 0; b < B; b++) out[b * K + k] += t.coeff;
        continue;
      }
      scratch.re.set(re);
      scratch.im.set(im);
      for (let bit = 0; bit < numWires; bit++) {
        const m = 1 << bit;
        if (!(t.xmask & m)) continue;
        one[0] = bit;
        mat1Shared(scratch.re, scratch.im, B, dim, bit, 0, one, t.zmask & m ? HSdg : H);
      }
      for (let b = 0; b < B; b++) {
        sampleIndices(scratch.re, scratch.im, B, dim, b, shots, rng, scratch.cdf, scratch.idx);
        let sum = 0;
        for (let s = 0; s < shots; s++) sum += parity(scratch.idx[s] & support) ? -1 : 1;
        out[b * K + k] += (t.coeff * sum) / shots;
      }
    }
  }
}
