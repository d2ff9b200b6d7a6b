// The WebAssembly SIMD kernels (assembly/engine-kernels.ts) and the memory they work on.
//
// WebAssembly code can only touch its own linear memory, so a simulator that uses these kernels
// keeps its state and co-state arrays inside one: KernelMemory owns a WebAssembly.Memory, an
// instance of the kernels bound to it, and Float64Array views of the four arrays. JavaScript
// kernels work on the same views unchanged, so every primitive without a WebAssembly kernel
// (two-wire matrices, pair mixers, parities, generic matrices, more than 3 fixed bits) still
// runs, in JavaScript, on the same arrays.
//
// Memory map (bytes): [0, 64) the overlap scratch of adjMat1Shared; arrays from 65,536 on:
// re, im, then λre, λim, each `len` float64s and ARRAY_GAP bytes apart, then the per-sample
// coefficients (`coefs`: 16 per sample, which the caller fills before a per-sample kernel and
// reads back after an adjoint one). Growing a WebAssembly.Memory detaches its old buffer, so
// every view is re-created after a grow (callers read sim.re etc. afresh).
//
// The gap: arrays exactly 8·len bytes apart (a power of two) put the four streams of a kernel
// (re, im at e and e + tOff) on the same cache sets and 4 KiB-alias their loads and stores; at
// 22-25 qubits that made the kernels 3-6× slower than with a gap (bench/large-state.ts,
// BENCHMARKS.md "Large states"). Addresses change nothing in the arithmetic.
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
  // Per-sample coefficients: cs, m, inv, out and S are byte addresses in KernelMemory.coefs.
  rotBatch(re: number, im: number, B: number, dim: number, axis: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, cs: number, sign: number): void;
  adjRotBatch(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, axis: number, tbit: number,
    mask: number, f: number, f0: number, f1: number, f2: number, cs: number, out: number): void;
  mat1Batch(re: number, im: number, B: number, dim: number, tbit: number, mask: number, f: number, f0: number, f1: number, f2: number, m: number): void;
  adjMat1Batch(pre: number, pim: number, lre: number, lim: number, B: number, dim: number, tbit: number, mask: number,
    f: number, f0: number, f1: number, f2: number, inv: number, S: number): void;
  // Diagonal read-out (statevector/measure.ts): one Z-word term; acc and g are byte addresses in KernelMemory.coefs.
  zTermExpval(re: number, im: number, B: number, dim: number, zmask: number, coeff: number, acc: number): void;
  zTermCostate(re: number, im: number, lre: number, lim: number, B: number, dim: number, zmask: number, coeff: number,
    g: number, K: number, k: number): void;
}

/**
 * Float64s of per-sample coefficient room per sample: a FUSED adjoint step reads 8 inverse-matrix
 * entries and writes 8 overlap entries per sample (rotations need 2 + 1).
 */
export const COEF_DOUBLES_PER_SAMPLE = 16;

/** Primitives with more fixed bits (target + controls) than this run in JavaScript. */
export const WASM_MAX_FIXED = 3;
const ARRAYS_AT = 65536;
const PAGE = 65536;
/** Bytes between consecutive arrays beyond their length: one page and 17 cache lines (see the memory map). */
const ARRAY_GAP = PAGE + 1088;
/**
 * The largest memory: a 32-bit WebAssembly memory may have 65,536 pages (4 GiB), which V8 on
 * 64-bit platforms (Node 20) and current browsers grant; the kernels' addresses are unsigned
 * 32-bit (usize), and JavaScript's byte offsets above 2^31 reach them as the same bits. A grow
 * the platform refuses falls back to JavaScript arrays (SplitStateBatch.resize). Larger states
 * run in JavaScript arrays, their wasm-able gates in chunks (statevector/chunked.ts).
 */
export const MAX_BYTES = 2 ** 32;

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

let perSample = true;

/**
 * Run per-sample angles and matrices on the WebAssembly kernels (default) or leave them to
 * JavaScript, as before those kernels existed: benchmarks compare the two in one run. Takes
 * effect at once, for every simulator.
 */
export function setWasmPerSampleKernels(on: boolean): void {
  perSample = on;
}

/** Whether per-sample coefficients take the WebAssembly kernels (see setWasmPerSampleKernels). */
export function wasmPerSampleKernels(): boolean {
  return perSample;
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
  private coefLen = 0;
  /** The memory's current buffer: arrays on it are ours (`owns`). */
  buffer: ArrayBuffer;
  re = new Float64Array(0);
  im = new Float64Array(0);
  lre = new Float64Array(0);
  lim = new Float64Array(0);
  /** adjMat1Shared's output: S as 8 numbers. */
  scratch = new Float64Array(0);
  /** Room for per-sample coefficients in and overlaps out (COEF_DOUBLES_PER_SAMPLE per sample). */
  coefs = new Float64Array(0);

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

  /** Whether a state and co-state of `len` elements each (and `coefLen` coefficients) fit in one kernel memory. */
  static fits(len: number, coefLen = 0): boolean {
    return arraysEnd(len, 4) + 8 * coefLen <= MAX_BYTES;
  }

  /**
   * Room for the state (and the co-state with `costate`) at `len` elements each, and `coefLen`
   * per-sample coefficients; zeroes what it lays out anew (not the coefficients: every kernel
   * call fills what it reads).
   */
  size(len: number, costate: boolean, coefLen = 0): void {
    if (len === this.len && costate === this.hasCostate && coefLen === this.coefLen) return;
    const need = arraysEnd(len, costate ? 4 : 2) + 8 * coefLen;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const fresh = len !== this.len;
    const freshCostate = costate && (fresh || !this.hasCostate);
    this.len = len;
    this.hasCostate = costate;
    this.coefLen = coefLen;
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
    // Before the first size() the memory is one page: empty views at its end, not past it.
    const at = (i: number): number => (n === 0 && this.coefLen === 0 ? ARRAYS_AT : arraysEnd(n, i));
    this.re = new Float64Array(b, at(0), n);
    this.im = new Float64Array(b, at(1), n);
    this.lre = costate ? new Float64Array(b, at(2), n) : new Float64Array(0);
    this.lim = costate ? new Float64Array(b, at(3), n) : new Float64Array(0);
    this.coefs = new Float64Array(b, at(costate ? 4 : 2), this.coefLen);
  }
}

/** Where the array after the first `count` arrays of `len` float64s starts (bytes; a multiple of 8). */
function arraysEnd(len: number, count: number): number {
  return ARRAYS_AT + count * (8 * len + ARRAY_GAP);
}
