// Which primitives of a program run split across threads, how each thread's part is chosen, and
// where the threads must meet at a barrier.
//
// At B = 1 every primitive with a shared-coefficient WebAssembly kernel (statevector/apply.ts
// hasWasmKernel: rotations, 2×2 matrices, X/CNOT/Toffoli with at most 3 fixed bits) runs split on
// the range kernels (assembly/split-kernels.ts). Everything else (SWAP, two-wire matrices, pair
// mixers, parities, generic matrices, more fixed bits) runs on the main thread alone, between
// barriers, on the JavaScript kernels, exactly as the one-thread engine runs it.
//
// Two ways to split a primitive:
//
// - By partition bits (T = 2^t threads): rank r takes the pairs whose t partition bits spell r,
//   i.e. the kernel runs with those bits as extra fixed bits set to r's (at most 3 fixed bits in
//   all). Consecutive primitives that leave the same t bits alone then need no barrier between
//   them: each rank reads only amplitudes it wrote itself. A greedy pass groups primitives for as
//   long as some t high bits stay untouched (lowestPartitionBit), and picks the highest such bits:
//   each rank's part is then long contiguous blocks. Bit 0 is never a partition bit: it would
//   turn a gate's f64x2 loop into the scalar one, whose rounding differs, and the state must stay
//   bit for bit.
// - By ranges (any T, or a primitive with too many fixed bits): rank r takes the r-th of T
//   contiguous parts of the gate's enumeration, cut at multiples of min(runE, 8) elements (even,
//   as the f64x2 loops need; whole 64-byte lines in long runs); a barrier follows every one.

import type { Primitive } from '../primitive.js';
import type { Program } from '../program.js';
import { WASM_MAX_FIXED } from '../wasm/backend.js';
import { hasWasmKernel } from '../statevector/apply.js';

/** Whether primitive p runs split at batch 1. */
export function splitsPrimitive(p: Primitive): boolean {
  return hasWasmKernel(p, true, 1);
}

/** Rank r's part [q0, q1) of primitive p's enumeration among T threads (dim amplitudes, B = 1). */
export function splitRange(p: Primitive, dim: number, r: number, T: number): [number, number] {
  const f = p.fixed.length;
  const runE = 2 ** p.fixed[0];
  const unit = Math.min(runE, 8);
  const units = (dim / 2 ** f) / unit;
  return [Math.floor((r * units) / T) * unit, Math.floor(((r + 1) * units) / T) * unit];
}

/** One step between barriers. */
export interface SplitStep {
  /** False: primitives for the main thread alone. */
  split: boolean;
  /** Primitive indices, in the order they run. */
  prims: number[];
  /** Partition bits of a split step (ascending); empty: split by ranges (then one primitive). */
  bits: number[];
}

/** log2(T) when T is a power of two, else -1. */
function log2Exact(T: number): number {
  const t = Math.round(Math.log2(T));
  return 2 ** t === T ? t : -1;
}

/**
 * Lowest partition bit on n wires. A partition bit b gives each rank blocks of 2^b contiguous
 * amplitudes; a low one interleaves the ranks within cache lines, and the two cores then fight
 * over every line they write (measured: a 20-qubit forward ran 2.7x slower on two threads than on
 * one when the greedy pass, free to pick any bit, ended its groups on bit 1). From bit 7 a block
 * is 1 KiB per array. Small circuits (tests) may use any bit but 0.
 */
export function lowestPartitionBit(n: number): number {
  return Math.max(1, Math.min(7, n - 6));
}

/** Bits a primitive leaves alone that may partition it (never bit 0 nor below lowestPartitionBit: see above). */
function freeBits(p: Primitive, n: number): number[] {
  const out: number[] = [];
  for (let b = lowestPartitionBit(n); b < n; b++) if (!p.fixed.includes(b)) out.push(b);
  return out;
}

/**
 * The steps of the forward pass (program order) or of the adjoint sweep (reverse order) for T
 * threads, with a barrier after each.
 */
export function splitSteps(program: Program, reverse: boolean, T: number): SplitStep[] {
  const n = program.prims.length;
  const t = log2Exact(T);
  const steps: SplitStep[] = [];
  let group: number[] = [];
  let candidates: number[] = [];
  const close = (): void => {
    if (group.length === 0) return;
    steps.push({ split: true, prims: group, bits: candidates.slice(-t) });
    group = [];
    candidates = [];
  };
  for (let i = 0; i < n; i++) {
    const k = reverse ? n - 1 - i : i;
    const p = program.prims[k];
    if (!splitsPrimitive(p)) {
      close();
      const last = steps.at(-1);
      if (last && !last.split) last.prims.push(k);
      else steps.push({ split: false, prims: [k], bits: [] });
      continue;
    }
    const free = freeBits(p, program.numWires);
    if (t < 1 || p.fixed.length + t > WASM_MAX_FIXED || free.length < t) {
      close();
      steps.push({ split: true, prims: [k], bits: [] });
      continue;
    }
    const joint = group.length ? candidates.filter((b) => free.includes(b)) : free;
    if (joint.length < t) {
      close();
      group = [k];
      candidates = free;
    } else {
      group.push(k);
      candidates = joint;
    }
  }
  close();
  return steps;
}

/** One kernel call of one rank: the fixed bits (target, controls, partition bits), mask and range. */
export interface SplitCall {
  f: number;
  f0: number;
  f1: number;
  f2: number;
  mask: number;
  q0: number;
  q1: number;
}

/** Rank r's call for primitive p in a step partitioned by `bits` (empty: by ranges). */
export function splitCall(p: Primitive, dim: number, bits: readonly number[], r: number, T: number): SplitCall {
  let fixed = Array.from(p.fixed);
  let mask = p.mask;
  let q0: number, q1: number;
  if (bits.length === 0) [q0, q1] = splitRange(p, dim, r, T);
  else {
    bits.forEach((b, j) => {
      if ((r >> j) & 1) mask |= 1 << b;
    });
    fixed = [...fixed, ...bits].sort((a, b) => a - b);
    q0 = 0;
    q1 = dim / 2 ** fixed.length;
  }
  const f = fixed.length;
  return { f, f0: fixed[0], f1: f > 1 ? fixed[1] : 0, f2: f > 2 ? fixed[2] : 0, mask, q0, q1 };
}

/** Share of the primitives that run split (a program mostly of main-only primitives gains nothing). */
export function splitShare(program: Program): number {
  const n = program.prims.length;
  return n === 0 ? 0 : program.prims.filter(splitsPrimitive).length / n;
}
