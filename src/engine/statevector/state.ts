// The state representation: a batch of B state vectors of `dim` amplitudes each, stored
// amplitude-major with split real and imaginary parts (see kernels.ts for why):
//
//     amplitude i of sample b  =  re[i * B + b] + i·im[i * B + b]
//
// plus, for gradient runs, the adjoint co-state λ in lre/lim with the same layout. The arrays are
// plain JavaScript Float64Arrays, or views into the WebAssembly memory of wasm/backend.ts so that
// the SIMD kernels can work on them; every other module reaches the state only through
// StateVectorBatch (a density-matrix backend would sit beside it with its own state type).
//
// Memory: 16 bytes per amplitude, 32 with λ; nothing else grows with the state.

import { COEF_DOUBLES_PER_SAMPLE, KernelMemory } from '../wasm/backend.js';
import { EngineInputError } from '../errors.js';
import { addFootprints, formatBytes, memoryBudget, type Footprint } from '../memory.js';
import { chunking } from './chunk-settings.js';

export interface StateVectorBatch {
  readonly dim: number;
  /** Samples in the batch (0 before the first resize). */
  readonly batch: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
  /** The co-state λ (empty until withCostate). */
  readonly lre: Float64Array;
  readonly lim: Float64Array;
  /** The WebAssembly memory holding the four arrays, when the SIMD kernels can run on them; else null. */
  readonly kernels: KernelMemory | null;
}

/** The state's re + im, and what the adjoint's λ adds: 16 bytes per amplitude each. */
export const STATE_FOOTPRINT: Footprint = { perAmplitude: 16, perBasisState: 0, perSample: 0, fixed: 0 };
export const COSTATE_FOOTPRINT: Footprint = { perAmplitude: 16, perBasisState: 0, perSample: 0, fixed: 0 };

/**
 * A state-vector batch alone, for sizing with memory.ts (16 bytes per amplitude, 32 with the
 * adjoint); a QNode adds its outputs and copies (QNode.memoryBytes gives the whole).
 */
export function stateVectorFootprint(adjoint = false): Footprint {
  return adjoint ? addFootprints(STATE_FOOTPRINT, COSTATE_FOOTPRINT) : STATE_FOOTPRINT;
}

/**
 * The one implementation of StateVectorBatch: owns its arrays (or its kernel memory) and re-sizes
 * them only when the batch size changes. Growing a WebAssembly memory re-creates every view, so
 * callers read re/im/lre/lim afresh after resize and withCostate.
 */
export class SplitStateBatch implements StateVectorBatch {
  readonly dim: number;
  batch = 0;
  re = new Float64Array(0);
  im = new Float64Array(0);
  lre = new Float64Array(0);
  lim = new Float64Array(0);
  kernels: KernelMemory | null = null;
  /**
   * A small kernel memory for chunked passes (chunked.ts) when the state lives in JavaScript
   * arrays only because it is too large for one kernel memory; else null.
   */
  chunks: KernelMemory | null = null;
  /** Whether to place the arrays in WebAssembly memory where they fit (decided by the owner, once). */
  private readonly useWasm: boolean;

  constructor(dim: number, useWasm: boolean) {
    this.dim = dim;
    this.useWasm = useWasm;
  }

  /** Room for `batch` states (zeroed when laid out anew); drops λ. */
  resize(batch: number): void {
    const len = this.dim * batch;
    this.batch = batch;
    // States too large for a 32-bit WebAssembly memory (from 27 qubits with the adjoint) live in
    // JavaScript arrays, their SIMD-able gates run in chunks (chunked.ts).
    const oneMemory = this.useWasm && !chunking().force && KernelMemory.fits(len, COEF_DOUBLES_PER_SAMPLE * batch);
    this.kernels = oneMemory ? (this.kernels ?? KernelMemory.create()) : null;
    if (this.kernels !== null) {
      try {
        this.kernels.size(len, false, COEF_DOUBLES_PER_SAMPLE * batch);
      } catch (e) {
        // A platform that grants less than 4 GiB of WebAssembly memory: JavaScript arrays, in chunks.
        if (!(e instanceof RangeError)) throw e;
        this.kernels = null;
      }
    }
    if (this.kernels !== null) {
      this.chunks = null;
      this.re = this.kernels.re;
      this.im = this.kernels.im;
    } else {
      this.chunks = this.useWasm ? (this.chunks ?? KernelMemory.create()) : null;
      this.re = allocateAmplitudes(len);
      this.im = allocateAmplitudes(len);
    }
    this.lre = new Float64Array(0);
    this.lim = new Float64Array(0);
  }

  /** Room for λ beside the state (keeps the state's values). */
  withCostate(): void {
    const len = this.dim * this.batch;
    const km = this.kernels;
    if (km !== null) {
      km.size(len, true, COEF_DOUBLES_PER_SAMPLE * this.batch);
      this.re = km.re;
      this.im = km.im;
      this.lre = km.lre;
      this.lim = km.lim;
      return;
    }
    if (this.lre.length !== len) {
      this.lre = allocateAmplitudes(len);
      this.lim = allocateAmplitudes(len);
    }
  }
}

/**
 * A zeroed array of `len` float64s; where the platform refuses one (less memory than the budget
 * said), a clear error instead of V8's bare RangeError.
 */
export function allocateAmplitudes(len: number): Float64Array<ArrayBuffer> {
  try {
    return new Float64Array(len);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const budget = memoryBudget();
    throw new EngineInputError(
      `could not allocate a state array of ${formatBytes(8 * len)} (${e.message}): the platform gives less than the memory budget of ${formatBytes(budget.bytes)} (${budget.source}); lower it with setMemoryBudget(bytes) or use fewer qubits`,
      'STATE_ALLOCATION_FAILED',
    );
  }
}
