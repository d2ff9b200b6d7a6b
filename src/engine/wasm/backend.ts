// The WebAssembly SIMD kernels (assembly/engine-kernels.ts) and the memory they work on.
//
// WebAssembly code can only touch its own linear memory, so a simulator that uses these kernels
// keeps its state and co-state arrays inside one: KernelMemory owns a WebAssembly.Memory, an
// instance of the kernels bound to it, and Float64Array views of the four arrays. JavaScript
// kernels work on the same views unchanged, so every primitive without a WebAssembly kernel
// (per-sample angles, two-wire matrices, parities) still runs, in JavaScript, on the same arrays.
//
// Memory map (bytes): [0, 64) the overlap scratch of adjMat1Shared; arrays from 65,536 on:
// re, im, then λre, λim, each `len` float64s. Growing a WebAssembly.Memory detaches its old
// buffer, so every view is re-created after a grow (callers read sim.re etc. afresh).
//
// Plain JavaScript is the fallback wherever WebAssembly or its SIMD extension is missing (the
// module then fails to compile), for states too large for a 32-bit memory, and on request
// (setWasmKernels(false): benchmarks compare the two; tests check they agree).

import { ENGINE_KERNELS_WASM_BASE64 } from './kernels-binary.js';
import { compileBase64Module } from './load.js';

/** The kernels' exports; arrays are byte addresses, see assembly/engine-kernels.ts. */
export interface WasmKernels {
  rotShared(re: number, im: number, B: number, dim: number, axis: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, c: number, s: number): void;
  adjRotShared(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, axis: number, tbit: number,
    mask: number, f: number, f0: number, f1: number, f2: number, c: number, s: number): number;
  xpermPair(re: number, im: number, re2: number, im2: number, B: number, dim: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number): void;
  mat1Shared(re: number, im: number, B: number, dim: number, tbit: number, mask: number, f: number, f0: number, f1: number, f2: number,
    ar: number, ai: number, br: number, bi: number, cr: number, ci: number, dr: number, di: number): void;
  adjMat1Shared(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number,
    ar: number, ai: number, br: number, bi: number, cr: number, ci: number, dr: number, di: number, sOut: number): void;
}

/** Primitives with more fixed bits (target + controls) than this run in JavaScript. */
export const WASM_MAX_FIXED = 3;
const ARRAYS_AT = 65536;
const PAGE = 65536;
/** Keep memories under 2 GiB (signed 32-bit addresses in every engine); larger states use JavaScript. */
const MAX_BYTES = 2 ** 31 - PAGE;

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

function kernelModule(): WebAssembly.Module | null {
  // null: no WebAssembly, or no SIMD; the JavaScript kernels then do everything.
  if (compiled === undefined) compiled = compileBase64Module(ENGINE_KERNELS_WASM_BASE64);
  return compiled;
}

/** Use the WebAssembly kernels for simulators created from now on (default: on, where supported). */
export function setWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether new simulators will use the WebAssembly kernels. */
export function wasmKernelsActive(): boolean {
  return enabled && kernelModule() !== null;
}

export class KernelMemory {
  readonly kernels: WasmKernels;
  private readonly memory: WebAssembly.Memory;
  private len = 0;
  private hasCostate = false;
  /** The memory's current buffer: arrays on it are ours (`owns`). */
  buffer: ArrayBuffer;
  re = new Float64Array(0);
  im = new Float64Array(0);
  lre = new Float64Array(0);
  lim = new Float64Array(0);
  /** adjMat1Shared's output: S as 8 numbers. */
  scratch = new Float64Array(0);

  private constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.kernels = instance.exports as unknown as WasmKernels;
    this.buffer = this.memory.buffer;
    this.views(false);
  }

  /**
   * A kernel memory, or null where WebAssembly (with SIMD) is unavailable or where no memory can
   * be had: V8 reserves address space per WebAssembly.Memory and refuses new
   * ones past ~13,000 live at once (measured on Node 20); the simulator then uses JavaScript arrays.
   */
  static create(): KernelMemory | null {
    // Whether to use the kernels at all is the simulator's decision (wasmKernelsActive, at construction).
    const module = kernelModule();
    if (module === null) return null;
    try {
      return new KernelMemory(module);
    } catch (e) {
      if (e instanceof RangeError) return null;
      throw e;
    }
  }

  /** Whether a state and co-state of `len` elements each fit in one kernel memory. */
  static fits(len: number): boolean {
    return ARRAYS_AT + 32 * len <= MAX_BYTES;
  }

  /** Room for the state (and the co-state with `costate`) at `len` elements each; zeroes what it lays out anew. */
  size(len: number, costate: boolean): void {
    if (len === this.len && costate === this.hasCostate) return;
    const need = ARRAYS_AT + (costate ? 4 : 2) * 8 * len;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const fresh = len !== this.len;
    const freshCostate = costate && (fresh || !this.hasCostate);
    this.len = len;
    this.hasCostate = costate;
    this.buffer = this.memory.buffer;
    this.views(costate);
    if (fresh) {
      this.re.fill(0);
      this.im.fill(0);
    }
    if (freshCostate) {
      this.lre.fill(0);
      this.lim.fill(0);
    }
  }

  owns(a: Float64Array): boolean {
    return a.buffer === this.buffer;
  }

  private views(costate: boolean): void {
    const b = this.memory.buffer;
    const n = this.len;
    this.scratch = new Float64Array(b, 0, 8);
    this.re = new Float64Array(b, ARRAYS_AT, n);
    this.im = new Float64Array(b, ARRAYS_AT + 8 * n, n);
    this.lre = costate ? new Float64Array(b, ARRAYS_AT + 16 * n, n) : new Float64Array(0);
    this.lim = costate ? new Float64Array(b, ARRAYS_AT + 24 * n, n) : new Float64Array(0);
  }
}
