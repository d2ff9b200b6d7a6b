// Chunked passes: the forward run and the adjoint sweep for a state that lives in JavaScript
// arrays because it is too large for one WebAssembly memory (27+ qubits forward + gradient,
// 28+ forward), with its SIMD-able gates still on the SIMD kernels.
//
// chunk-plan.ts splits the program into segments. A chunked segment runs chunk by chunk: copy
// the chunk's amplitudes (ψ, and λ in the sweep) into a small kernel memory (`state.chunks`),
// apply every primitive of the segment there, copy them back. A chunk's amplitudes are 2^h'
// contiguous runs of the big arrays (h' picked bits above the contiguous low ones), so the copies
// are TypedArray.set over long stretches. The other segments run on the JavaScript kernels over
// the whole arrays, exactly as without chunks.
//
// Results: each amplitude goes through the same kernel arithmetic as on one big memory, so the
// forward state is bit for bit the single-memory engine's. Gradients are sums over the state:
// here summed per chunk and then across chunks, so they agree with the single-memory engine to
// rounding (a different order of the same additions), not bit for bit.

import type { Coefficients } from '../coefficients.js';
import type { KernelMemory } from '../wasm/backend.js';
import { COEF_DOUBLES_PER_SAMPLE, WASM_MAX_FIXED } from '../wasm/backend.js';
import { AdjointScratch, adjointStep, adjointStepWasm } from './adjoint.js';
import { applyPrimitive, applyWasmPrimitive, hasWasmKernel } from './apply.js';
import { chunkGeometry, planSegments, type ChunkGeometry, type Segment } from './chunk-plan.js';
import { chunking } from './chunk-settings.js';
import type { StateVectorBatch } from './state.js';

/**
 * Picked bits per chunk: at least WASM_MAX_FIXED, so that every primitive with a SIMD kernel fits
 * some chunk and runs on that kernel, as on one memory (the JavaScript kernels differ from the
 * SIMD ones in the sign of some zeros).
 */
export function pickedBits(): number {
  return Math.max(chunking().highBits, WASM_MAX_FIXED);
}

/** The chunk's qubits at batch B: the configured count, or as many as the element target allows (at least pickedBits). */
export function chunkBitsFor(numBits: number, B: number): number {
  const s = chunking();
  let c = 0;
  if (s.chunkBits !== undefined) c = s.chunkBits;
  else while (c < numBits && 2 ** (c + 1) * B <= s.chunkElements) c++;
  return Math.min(numBits, Math.max(c, pickedBits()));
}

/** The segments for `state` and `coefs` at the current batch size and kernel settings. */
export function planFor(state: StateVectorBatch, coefs: Coefficients): { g: ChunkGeometry; segments: Segment[] } {
  const B = state.batch;
  const n = Math.log2(state.dim);
  const s = chunking();
  const g = chunkGeometry(n, chunkBitsFor(n, B), pickedBits());
  const prims = coefs.program.prims;
  const segments = planSegments(prims, g, (k) => hasWasmKernel(prims[k], coefs.shared[k] === 1, B), s.minSegment);
  return { g, segments };
}

/** ψ ← U_K ⋯ U_1 ψ with chunked segments in `km` (state.re/im are JavaScript arrays). */
export function simulateChunked(state: StateVectorBatch, coefs: Coefficients, km: KernelMemory): void {
  const { g, segments } = planFor(state, coefs);
  const B = state.batch;
  const chunkDim = 2 ** g.chunkBits;
  for (const seg of segments) {
    if (!seg.chunked) {
      for (let k = seg.start; k < seg.end; k++) applyPrimitive(state, coefs, k, state.re, state.im, false);
      continue;
    }
    km.size(chunkDim * B, false, COEF_DOUBLES_PER_SAMPLE * B);
    const big = [state.re, state.im];
    const small = [km.re, km.im];
    forEachChunk(g, seg, B, big, small, () => {
      for (let k = seg.start; k < seg.end; k++) applyWasmPrimitive(km, seg.local[k - seg.start], k, coefs, B, chunkDim, km.re, km.im, false);
    });
  }
}

/** The adjoint sweep (adjoint.ts) with chunked segments in `km`: ψ and λ both travel through the chunk. */
export function adjointChunked(
  state: StateVectorBatch, coefs: Coefficients, km: KernelMemory, scratch: AdjointScratch, slotGrad: Float64Array,
): void {
  const { g, segments } = planFor(state, coefs);
  const B = state.batch;
  const chunkDim = 2 ** g.chunkBits;
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i];
    if (!seg.chunked) {
      for (let k = seg.end - 1; k >= seg.start; k--) adjointStep(state, coefs, k, scratch, slotGrad);
      continue;
    }
    km.size(chunkDim * B, true, COEF_DOUBLES_PER_SAMPLE * B);
    const view: StateVectorBatch = { dim: chunkDim, batch: B, re: km.re, im: km.im, lre: km.lre, lim: km.lim, kernels: km };
    forEachChunk(g, seg, B, [state.re, state.im, state.lre, state.lim], [km.re, km.im, km.lre, km.lim], () => {
      for (let k = seg.end - 1; k >= seg.start; k--) {
        const p = seg.local[k - seg.start];
        if (adjointStepWasm(km, view, coefs, k, scratch, slotGrad, p)) continue;
        // No fused step (a constant rotation, a MAT1): un-apply to ψ and λ, as adjointStep does.
        applyWasmPrimitive(km, p, k, coefs, B, chunkDim, km.re, km.im, true);
        applyWasmPrimitive(km, p, k, coefs, B, chunkDim, km.lre, km.lim, true);
      }
    });
  }
}

/**
 * For each chunk of segment `seg`: copy its amplitudes from `big[j]` into `small[j]`, run
 * `body`, copy them back. Chunk layout: chunk index t = (picked bits' values) · 2^lowBits + low bits.
 */
function forEachChunk(
  g: ChunkGeometry, seg: Segment, B: number, big: Float64Array[], small: Float64Array[], body: () => void,
): void {
  // Picked bits that continue the low ones make the contiguous runs longer.
  let runBits = g.lowBits;
  let first = 0;
  while (first < seg.high.length && seg.high[first] === runBits) {
    runBits++;
    first++;
  }
  const scattered = Array.from(seg.high.subarray(first));
  const picked = new Set(seg.high);
  const outer: number[] = [];
  for (let b = g.lowBits; b < g.numBits; b++) if (!picked.has(b)) outer.push(b);
  const runE = 2 ** runBits * B;
  const runs = 2 ** scattered.length;
  const chunks = 2 ** outer.length;
  for (let q = 0; q < chunks; q++) {
    const base = deposit(q, outer);
    for (let t = 0; t < runs; t++) {
      const at = (base + deposit(t, scattered)) * B;
      for (let j = 0; j < big.length; j++) small[j].set(big[j].subarray(at, at + runE), t * runE);
    }
    body();
    for (let t = 0; t < runs; t++) {
      const at = (base + deposit(t, scattered)) * B;
      for (let j = 0; j < big.length; j++) big[j].set(small[j].subarray(t * runE, (t + 1) * runE), at);
    }
  }
}

/** The number whose bit bits[i] is bit i of `v` (the others 0). Sums, not ORs: indices reach 2^30. */
function deposit(v: number, bits: readonly number[]): number {
  let x = 0;
  for (let i = 0; i < bits.length; i++) if ((v >>> i) & 1) x += 2 ** bits[i];
  return x;
}
