// The batched state-vector simulator of one compiled program, as QNode and Fidelity use it: it
// owns the state (statevector/state.ts), the parameter slots (slots.ts) and the kernel
// coefficients (coefficients.ts), sizes them once per batch size after checking that they fit
// in memory (memory.ts), and runs the functional pieces of statevector/: initial state,
// forward simulation, adjoint sweep. Measurements are the caller's (statevector/measure.ts).
// Nothing here allocates per gate or per call once the batch size is set.

import { Coefficients } from './coefficients.js';
import { EngineInputError } from './errors.js';
import { NO_FOOTPRINT, addFootprints, assertFits, type Footprint } from './memory.js';
import { Kind, type Program } from './program.js';
import { assertParamShapes, evaluateSlots, slotsToParams } from './slots.js';
import { AdjointScratch, adjointSweep } from './statevector/adjoint.js';
import { hasWasmKernel } from './statevector/apply.js';
import { adjointChunked, simulateChunked } from './statevector/chunked.js';
import { amplitudeInputGrad, initialState } from './statevector/initial.js';
import { simulate } from './statevector/simulate.js';
import { COSTATE_FOOTPRINT, STATE_FOOTPRINT, SplitStateBatch, type StateVectorBatch } from './statevector/state.js';
import { wasmKernelsActive } from './wasm/backend.js';

export { EngineInputError };

/** Memory the caller keeps beside the simulator's own (outputs, a second state), per phase. */
export interface ExtraFootprint {
  /** Kept from the forward pass on (outputs, sampling copies). */
  readonly forward?: Footprint;
  /** Added by a gradient run (a copy of the cotangent, a second co-state). */
  readonly adjoint?: Footprint;
}

/** Where a QNode's compiled primitives run (QNode.kernelReport). */
export interface KernelReport {
  /**
   * Whether the SIMD kernels run at all: the state lives in WebAssembly memory, or it is too
   * large for one and runs in chunks (statevector/chunked.ts; every primitive with a kernel then
   * runs on it, in some chunk).
   */
  wasm: boolean;
  /** Primitives in the compiled program. */
  primitives: number;
  /** Of those, how many run on a WebAssembly kernel (forward and adjoint). */
  onWasm: number;
  /** The primitive kinds that run in JavaScript, with their counts (e.g. { PARITY: 3 }). */
  javascript: Record<string, number>;
}

export class Simulator {
  readonly program: Program;
  /** Value of slot s for sample b at slotVals[s * B + b]. */
  slotVals = new Float64Array(0);
  /** Whether this simulator uses the WebAssembly kernels (decided once, at construction). */
  readonly useWasm: boolean;
  private readonly state: SplitStateBatch;
  private readonly coefs: Coefficients;
  private scratch = new AdjointScratch(0);
  /** Amplitude-embedding norms per sample (for the input gradient). */
  private ampNorm = new Float64Array(0);
  private readonly forwardFootprint: Footprint;
  private readonly adjointFootprint: Footprint;

  constructor(program: Program, extra: ExtraFootprint = {}) {
    this.program = program;
    this.useWasm = wasmKernelsActive();
    this.state = new SplitStateBatch(program.dim, this.useWasm);
    this.coefs = new Coefficients(program);
    this.forwardFootprint = addFootprints(addFootprints(STATE_FOOTPRINT, simulatorFootprint(program)), extra.forward ?? NO_FOOTPRINT);
    const gradient = addFootprints(COSTATE_FOOTPRINT, { ...NO_FOOTPRINT, perSample: 8 * program.slots.length });
    this.adjointFootprint = addFootprints(addFootprints(this.forwardFootprint, gradient), extra.adjoint ?? NO_FOOTPRINT);
  }

  /** Current batch size. */
  get B(): number {
    return this.state.batch;
  }
  /** The state (and, after ensureCostate, λ); arrays are re-created when the batch size changes. */
  get states(): StateVectorBatch {
    return this.state;
  }
  get re(): Float64Array {
    return this.state.re;
  }
  get im(): Float64Array {
    return this.state.im;
  }
  get lre(): Float64Array {
    return this.state.lre;
  }
  get lim(): Float64Array {
    return this.state.lim;
  }

  /** Whether the current state lives in WebAssembly memory (so the SIMD kernels run); before any run, whether it will try. */
  get onWasmKernels(): boolean {
    return this.B === 0 ? this.useWasm : this.state.kernels !== null;
  }

  /** Where each primitive runs at the current batch size (see QNode.kernelReport). */
  kernelReport(): KernelReport {
    const wasm = this.onWasmKernels || this.state.chunks !== null;
    const B = Math.max(this.B, 1);
    const javascript: Record<string, number> = {};
    let onWasm = 0;
    this.program.prims.forEach((p, k) => {
      if (wasm && hasWasmKernel(p, this.coefs.shared[k] === 1, B)) onWasm++;
      else javascript[Kind[p.kind]] = (javascript[Kind[p.kind]] ?? 0) + 1;
    });
    return { wasm, primitives: this.program.prims.length, onWasm, javascript };
  }

  /** What a batch of B needs in memory for a forward pass, or with the adjoint's co-state. */
  footprint(phase: 'forward' | 'adjoint'): Footprint {
    return phase === 'forward' ? this.forwardFootprint : this.adjointFootprint;
  }

  /** Size every buffer for batch B (allocates only when B changes). */
  ensureBatch(B: number): void {
    if (B === this.B) return;
    if (!Number.isInteger(B) || B < 1) throw new EngineInputError(`batch size must be a positive integer, got ${B}`);
    assertFits(this.forwardFootprint, this.program.numWires, B, 'the forward pass');
    this.state.resize(B);
    this.slotVals = new Float64Array(this.program.slots.length * B);
    this.scratch = new AdjointScratch(B);
    this.ampNorm = new Float64Array(B);
    this.coefs.resize(B);
  }

  /** Allocate the co-state buffers (only gradient runs need them). */
  ensureCostate(): void {
    assertFits(this.adjointFootprint, this.program.numWires, this.B, 'the adjoint gradient');
    this.state.withCostate();
  }

  /** Check shapes and evaluate every slot for every sample. inputs: [B, numInputs]; weights: [numWeights]. */
  setParams(inputs: ArrayLike<number>, weights: ArrayLike<number>, B: number): void {
    assertParamShapes(this.program, inputs, weights, B);
    this.ensureBatch(B);
    evaluateSlots(this.program, inputs, weights, B, this.slotVals);
  }

  /** Turn slot values into kernel coefficients (coefficients.ts). */
  prepare(): void {
    this.coefs.prepare(this.slotVals);
  }

  /** |0…0⟩ for every sample, or the amplitude-embedded inputs. */
  initState(inputs: ArrayLike<number>): void {
    initialState(this.state, this.program, inputs, this.ampNorm);
  }

  /** Apply every primitive in order. */
  run(): void {
    const chunks = this.state.chunks;
    if (chunks !== null) simulateChunked(this.state, this.coefs, chunks);
    else simulate(this.state, this.coefs);
  }

  /**
   * The adjoint sweep (statevector/adjoint.ts). Expects the final state and the co-state λ; adds
   * d loss / d slot per sample into slotGrad[s * B + b] (shared slots: the batch total at s * B).
   */
  adjoint(slotGrad: Float64Array): void {
    const chunks = this.state.chunks;
    if (chunks !== null) adjointChunked(this.state, this.coefs, chunks, this.scratch, slotGrad);
    else adjointSweep(this.state, this.coefs, this.scratch, slotGrad);
  }

  /**
   * Chain rule from slots to weights and inputs (slots.ts). After `adjoint`, withAmplitude also
   * adds the amplitude-embedding input gradient from λ at the initial state.
   */
  slotsToParams(
    slotGrad: Float64Array, inputs: ArrayLike<number>, weights: ArrayLike<number>,
    gW: Float64Array, gX: Float64Array, withAmplitude: boolean,
  ): void {
    slotsToParams(this.program, this.B, slotGrad, inputs, weights, gW, gX);
    if (withAmplitude) amplitudeInputGrad(this.state, this.program, this.ampNorm, gX);
  }
}

/**
 * The simulator's own per-sample buffers beside the state: slot values, coefficients (an upper
 * bound: as if no angle were shared), norms and the sweep's scratch.
 */
function simulatorFootprint(program: Program): Footprint {
  let perSample = 8 * program.slots.length + 8 * 10;
  for (const p of program.prims) perSample += p.kind === Kind.FUSED ? 8 * (16 + 8 * p.parts!.length) : 16;
  return { ...NO_FOOTPRINT, perSample, fixed: 128 * program.prims.length };
}
