// The memory map of one state split across threads: one shared WebAssembly.Memory holds the
// barrier's control words, the parameters of the current call, the threads' partial sums and the
// state (and co-state) arrays, so the main thread and every worker see the same bytes and the
// split kernels (wasm/split-backend.ts) can address all of it.
//
//   [0, 64 KiB)           left free (the kernel module keeps no data, but the one-thread memory
//                          layout reserves it too; see wasm/backend.ts)
//   control               64 Int32 words for the barrier, then one 64-byte line per rank
//                          (each rank's arrival count on its own cache line)
//   params                inputs, then weights (float64)
//   partials              per rank, per primitive, 8 float64s (an adjoint step's overlap)
//   arrays (64 KiB-aligned) re, im, then λre, λim: dim float64s each
//
// Only B = 1 is split (a batch takes the batch shards instead), so the arrays are `dim` long.

import { WASM_PAGE } from '../wasm/split-backend.js';

export const CONTROL_AT = 65536;
/** Barrier words (Int32 indices from CONTROL_AT; see barrier.ts). */
export const B_ARRIVED = 0;
export const B_GEN = 1;
export const B_SLEEPERS = 2;
export const B_ABORT = 3;
/** Rank that set ABORT (first one wins), or -1. */
export const B_ABORT_RANK = 4;
/** Int32 index of rank r's arrival counter: its own 64-byte line after the first. */
export function passedWord(r: number): number {
  return 16 * (1 + r);
}

export interface SplitLayout {
  dim: number;
  threads: number;
  numPrims: number;
  /** Byte offsets. */
  control: number;
  params: number;
  partials: number;
  re: number;
  im: number;
  lre: number;
  lim: number;
  /** Pages for the forward (state only) and with the co-state. */
  forwardPages: number;
  adjointPages: number;
}

const align = (x: number, a: number): number => Math.ceil(x / a) * a;

export function splitLayout(dim: number, threads: number, numPrims: number, numParams: number): SplitLayout {
  const control = CONTROL_AT;
  const params = align(control + 64 * (1 + threads), 64);
  const partials = align(params + 8 * numParams, 64);
  const arrays = align(partials + threads * align(64 * numPrims, 64), WASM_PAGE);
  const re = arrays;
  const im = re + 8 * dim;
  const lre = im + 8 * dim;
  const lim = lre + 8 * dim;
  return {
    dim, threads, numPrims, control, params, partials, re, im, lre, lim,
    forwardPages: Math.ceil(lre / WASM_PAGE),
    adjointPages: Math.ceil((lim + 8 * dim) / WASM_PAGE),
  };
}

/** Byte offset of rank r's 8 partial sums for primitive k. */
export function partialAt(L: SplitLayout, r: number, k: number): number {
  return L.partials + r * align(64 * L.numPrims, 64) + 64 * k;
}
