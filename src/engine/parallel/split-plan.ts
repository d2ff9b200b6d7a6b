// Which primitives of a program run split across threads, and which part each thread takes.
//
// At B = 1 every primitive with a shared-coefficient WebAssembly kernel (statevector/apply.ts
// hasWasmKernel: rotations, 2×2 matrices, X/CNOT/Toffoli with at most 3 fixed bits) has a range
// version (assembly/split-kernels.ts) and is split: rank r of T takes the r-th of T contiguous
// parts of the gate's enumeration (dim >> f pair elements). Parts are cut at multiples of
// min(runE, 8) elements: even, as the f64x2 loops need, and whole 64-byte lines where the runs
// are long, so two threads never write the same cache line inside a run. Everything else (SWAP,
// two-wire matrices, pair mixers, parities, generic matrices, more fixed bits) runs on the main
// thread alone, between barriers, on the JavaScript kernels, exactly as the one-thread engine
// runs it (there it is JavaScript too).

import type { Primitive } from '../primitive.js';
import type { Program } from '../program.js';
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

/** One step between barriers: a split primitive, or a run of main-thread-only primitives. */
export interface SplitStep {
  split: boolean;
  /** Primitive indices, in the order they run (one when split). */
  prims: number[];
}

/** The steps of the forward pass (program order) or of the adjoint sweep (reverse order). */
export function splitSteps(program: Program, reverse: boolean): SplitStep[] {
  const n = program.prims.length;
  const steps: SplitStep[] = [];
  for (let i = 0; i < n; i++) {
    const k = reverse ? n - 1 - i : i;
    const split = splitsPrimitive(program.prims[k]);
    const last = steps.at(-1);
    if (!split && last && !last.split) last.prims.push(k);
    else steps.push({ split, prims: [k] });
  }
  return steps;
}

/** Share of the primitives that run split (a program mostly of main-only primitives gains nothing). */
export function splitShare(program: Program): number {
  const n = program.prims.length;
  return n === 0 ? 0 : program.prims.filter(splitsPrimitive).length / n;
}
