// The WebAssembly SIMD kernels for CNN gradients (assembly/cnn-kernels.ts): one instance per
// process with its own memory, grown on demand. Kernels copy their inputs in, run, and copy the
// result out: the copies are a small fraction of the work (each input is read once by a copy and
// many times by the kernel), and they keep tfjs's heap and ours independent.

import { compileBase64Module } from '../../engine/wasm/load.js';
import { CNN_KERNELS_WASM_BASE64 } from './cnn-kernels-binary.js';

interface CnnExports {
  conv2dFilterGrad(x: number, dy: number, dw: number, B: number, H: number, W: number, CI: number,
    OH: number, OW: number, CO: number, KH: number, KW: number, SH: number, SW: number, top: number, left: number): void;
  conv2dInputGrad(dy: number, w: number, dx: number, B: number, H: number, W: number, CI: number,
    OH: number, OW: number, CO: number, KH: number, KW: number, top: number, left: number): void;
  maxPoolGrad(x: number, dy: number, dx: number, B: number, H: number, W: number, C: number, OH: number, OW: number,
    FH: number, FW: number, SH: number, SW: number, top: number, left: number): void;
}

const PAGE = 65536;

export class CnnKernels {
  readonly exports: CnnExports;
  private readonly memory: WebAssembly.Memory;

  constructor(module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as CnnExports;
  }

  /**
   * Lay out float32 arrays of the given lengths from byte 0 on (16-byte aligned), growing the
   * memory if needed; returns their views (valid until the next call).
   */
  private arrays(lengths: readonly number[]): Float32Array[] {
    let bytes = 0;
    const starts = lengths.map((n) => {
      const at = bytes;
      bytes += Math.ceil((4 * n) / 16) * 16;
      return at;
    });
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return lengths.map((n, i) => new Float32Array(this.memory.buffer, starts[i], n));
  }

  /**
   * Copy `inputs` into this memory, run `kernel` on their byte addresses and the output's, and
   * copy the output into `out` (which the kernel must fill entirely).
   */
  run(inputs: readonly Float32Array[], out: Float32Array, kernel: (addresses: number[]) => void): void {
    const views = this.arrays([...inputs.map((a) => a.length), out.length]);
    inputs.forEach((a, i) => views[i].set(a));
    kernel(views.map((v) => v.byteOffset));
    out.set(views[inputs.length]);
  }
}

let instance: CnnKernels | null | undefined;
let enabled = true;

/** Use the WebAssembly CNN kernels (default: on where supported); off, the previous paths run (benchmarks compare). */
export function setCnnSimdKernels(on: boolean): void {
  enabled = on;
}

/** The process's CNN kernels, or null where WebAssembly SIMD is unavailable or they are switched off. */
export function cnnKernels(): CnnKernels | null {
  if (!enabled) return null;
  if (instance === undefined) {
    const module = compileBase64Module(CNN_KERNELS_WASM_BASE64);
    instance = module === null ? null : new CnnKernels(module);
  }
  return instance;
}
