// The split kernels (assembly/split-kernels.ts): range versions of the shared-coefficient kernels
// on a shared WebAssembly.Memory, so that several threads can work on one state. Each thread
// instantiates the module on the same memory (src/engine/parallel/split-*.ts); the module is
// compiled once per thread from the committed base64.

import { compileBase64Module } from './load.js';
import { SPLIT_KERNELS_WASM_BASE64 } from './split-kernels-binary.js';

/** The split kernels' exports; arrays are byte addresses, q0/q1 the element range (see the source). */
export interface SplitKernels {
  rotRange(re: number, im: number, B: number, dim: number, axis: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, c: number, s: number, q0: number, q1: number): void;
  adjRotRange(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, axis: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, c: number, s: number, q0: number, q1: number): number;
  xpermRange(re: number, im: number, re2: number, im2: number, B: number, dim: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, q0: number, q1: number): void;
  mat1Range(re: number, im: number, B: number, dim: number, tbit: number, mask: number, f: number, f0: number, f1: number, f2: number,
    ar: number, ai: number, br: number, bi: number, cr: number, ci: number, dr: number, di: number, q0: number, q1: number): void;
  adjMat1Range(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number,
    ar: number, ai: number, br: number, bi: number, cr: number, ci: number, dr: number, di: number, sOut: number, q0: number, q1: number): void;
}

export const WASM_PAGE = 65536;
/** The module declares this maximum (scripts/build-wasm.ts SHARED_MEMORY_FLAGS). */
export const SPLIT_MAX_PAGES = 32768;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD or shared memories (threads) are missing. */
function splitModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = typeof SharedArrayBuffer === 'undefined' ? null : compileBase64Module(SPLIT_KERNELS_WASM_BASE64);
  }
  return compiled;
}

/** Whether this platform can run the split kernels at all. */
export function splitKernelsAvailable(): boolean {
  return splitModule() !== null;
}

/** A shared memory of `pages` pages that may grow to `maxPages` (both at most SPLIT_MAX_PAGES). */
export function createSharedMemory(pages: number, maxPages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: maxPages, shared: true });
}

/** The split kernels bound to `memory` (this thread's instance). */
export function instantiateSplitKernels(memory: WebAssembly.Memory): SplitKernels {
  const module = splitModule();
  if (module === null) throw new Error('the split kernels need WebAssembly SIMD and shared memory, which this platform lacks');
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SplitKernels;
}
