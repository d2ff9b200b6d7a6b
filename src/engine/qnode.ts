// A QNode: one circuit compiled with one measurement, evaluated on batches, with vector–Jacobian
// products by the adjoint method (default), parameter-shift, or central finite differences.
//
//   const q = new QNode(circuit, expval(zOnEveryWire(4)));
//   const out = q.forward(inputs, weights);        // [B, K], batch-major
//   const { weights: gW, inputs: gX } = q.vjp(g);  // g: [B, K], d loss / d out
//
// Inputs are [B, numInputs] row-major, weights [numWeights]; all float64.

import type { KernelMemory } from './wasm/backend.js';
import type { Circuit } from '../circuit/circuit.js';
import type { Measurement } from '../circuit/measurements.js';
import { compile, type Program } from './program.js';
import { EngineInputError } from './errors.js';
import { NO_FOOTPRINT, addFootprints, assertFits, footprintBytes, type Footprint } from './memory.js';
import { Simulator, type KernelReport } from './simulator.js';
import { compileObservable, marginalIndex, type CompiledObservable } from './observables.js';
import { expvalCostate, expvals, probabilities, probsCostate, readState } from './statevector/measure.js';
import { Rng } from '../util/random.js';
import { makeShotScratch, sampleFootprint, shotExpvals, shotProbs, type ShotScratch } from './statevector/sample.js';
import { shiftRule } from './shift-rules.js';
import { ShardedQNode } from './parallel/sharded-qnode.js';
import { SplitQNode, splitEligible } from './parallel/split-qnode.js';
import { assertParamShapes } from './slots.js';

export type DiffMethod = 'adjoint' | 'parameter-shift' | 'finite-diff';

export interface QNodeOptions {
  /** Gradient method; 'adjoint' by default, 'parameter-shift' by default with shots. */
  diffMethod?: DiffMethod;
  /** Estimate outputs from this many samples per batch sample instead of exactly. */
  shots?: number;
  /** Seed of the shot sampler. */
  seed?: number;
  /** Step of central finite differences (default 1e-5: truncation ~h², round-off ~ε/h). */
  fdStep?: number;
  /** Fuse runs of single-target gates into one pass (default true; off only to measure or test). */
  fuse?: boolean;
  /**
   * Threads that share each batch (default 1): contiguous shards of samples, shard 0 on this
   * thread, the rest in a process-wide worker pool (engine/parallel/). Outputs and input
   * gradients equal one thread's bit for bit; weight gradients are summed over shards in a fixed
   * order (within rounding of one thread's). A batch of one on enough qubits (exact adjoint
   * gradients) is instead split across the threads gate by gate (engine/parallel/split-qnode.ts):
   * outputs bit for bit, gradients within rounding (partial sums added in a fixed order). Needs a thread runtime (the Node entry installs one).
   */
  threads?: number;
}

export interface Vjp {
  /** d loss / d weights, [numWeights] (summed over the batch). */
  weights: Float64Array;
  /** d loss / d inputs, [B, numInputs]. */
  inputs: Float64Array;
}

export interface Jacobian {
  /** d out[b, k] / d weight j at [(b * K + k) * numWeights + j]. */
  weights: Float64Array;
  /** d out[b, k] / d input i of the same sample at [(b * K + k) * numInputs + i]. */
  inputs: Float64Array;
}

export class QNode {
  readonly circuit: Circuit;
  readonly measurement: Measurement;
  readonly program: Program;
  readonly outputSize: number;
  readonly diffMethod: DiffMethod;
  readonly shots: number | undefined;
  private readonly sim: Simulator;
  private readonly observables: readonly CompiledObservable[];
  private readonly map: Int32Array | null;
  private readonly fdStep: number;
  private readonly rng: Rng;
  private shotScratch: ShotScratch | undefined;
  private lastInputs = new Float64Array(0);
  private lastWeights = new Float64Array(0);
  private lastB = 0;
  /** True while sim.re/im hold the final state of the last forward. */
  private stateValid = false;
  private out = new Float64Array(0);
  /** vjp's copy of the cotangent and its slot gradients, kept between calls (allocation costs ~0.5 µs per array at W4). */
  private cot = new Float64Array(0);
  private slotGrad = new Float64Array(0);
  /** The batch split over threads, when threads > 1. */
  private readonly sharded: ShardedQNode | undefined;
  /** Whether the last forward ran on the shards (so vjp must too). */
  private lastSharded = false;
  /** One state split across the threads, for batches of one (threads > 1, large enough circuits). */
  private readonly split: SplitQNode | undefined;
  /** Whether the last forward ran split (so vjp must too). */
  private lastSplit = false;
  /** Threads this QNode splits its batches over. */
  readonly threads: number;
  /** Incremented by every forward call; lets callers tell whether vjp still refers to their forward. */
  generation = 0;

  /**
   * Whether this QNode runs its shared-angle gates on the WebAssembly SIMD kernels (see
   * engine/wasm/backend.ts): after a forward, whether that forward did; before, whether it will try.
   */
  get usesWasmKernels(): boolean {
    return this.sim.onWasmKernels;
  }

  /**
   * Which primitives run on the WebAssembly kernels and which in JavaScript (the same predicate
   * the dispatch uses). usesWasmKernels only says the state is in WebAssembly memory; a circuit of
   * two-wire matrices, pair mixers or parities still runs mostly in JavaScript there.
   */
  kernelReport(): KernelReport {
    return this.sim.kernelReport();
  }

  constructor(circuit: Circuit, measurement: Measurement, opts: QNodeOptions = {}) {
    this.circuit = circuit;
    this.measurement = measurement;
    this.program = compile(circuit, { fuse: opts.fuse });
    const n = circuit.numWires;
    if (opts.shots !== undefined && !(Number.isInteger(opts.shots) && opts.shots > 0)) {
      throw new EngineInputError(`shots must be a positive integer, got ${opts.shots}`);
    }
    this.shots = opts.shots;
    this.diffMethod = opts.diffMethod ?? (opts.shots ? 'parameter-shift' : 'adjoint');
    if (!['adjoint', 'parameter-shift', 'finite-diff'].includes(this.diffMethod)) {
      throw new EngineInputError(`diffMethod must be adjoint, parameter-shift or finite-diff, got ${this.diffMethod}`);
    }
    if (this.shots && this.diffMethod === 'adjoint') {
      throw new EngineInputError('the adjoint method needs the exact state; with shots use parameter-shift (or finite-diff)');
    }
    this.fdStep = opts.fdStep ?? 1e-5;
    this.threads = opts.threads ?? 1;
    if (!(Number.isInteger(this.threads) && this.threads >= 1)) {
      throw new EngineInputError(`threads must be a positive integer, got ${String(opts.threads)}`);
    }
    this.rng = new Rng(opts.seed ?? 0);
    switch (measurement.type) {
      case 'expval':
        if (measurement.observables.length === 0) throw new EngineInputError('expval needs at least one observable');
        this.observables = measurement.observables.map((o, k) => compileObservable(o, n, `observable ${k}`));
        this.map = null;
        this.outputSize = this.observables.length;
        break;
      case 'probs': {
        const wires = measurement.wires ?? Array.from({ length: n }, (_, i) => i);
        wires.forEach((w, i) => {
          if (!Number.isInteger(w) || w < 0 || w >= n) throw new EngineInputError(`probs: wire ${i} is ${w}, outside 0..${n - 1}`);
        });
        if (new Set(wires).size !== wires.length) throw new EngineInputError(`probs: wires [${wires.join(', ')}] repeat a wire`);
        this.observables = [];
        this.map = measurement.wires ? marginalIndex(n, wires) : null;
        this.outputSize = 1 << wires.length;
        break;
      }
      case 'state':
        if (this.shots) throw new EngineInputError('the state vector cannot be estimated from shots');
        this.observables = [];
        this.map = null;
        this.outputSize = 2 * (1 << n);
        break;
    }
    const outputs = outputFootprint(measurement, this.outputSize);
    const forward = addFootprints(outputs, this.map ? { ...NO_FOOTPRINT, perBasisState: 4 } : NO_FOOTPRINT);
    this.sim = new Simulator(this.program, {
      forward: this.shots ? addFootprints(forward, sampleFootprint(this.shots)) : forward,
      adjoint: outputs, // vjp's copy of the cotangent
    });
    this.sharded = this.threads > 1 ? this.shardedCopy(circuit, measurement, opts) : undefined;
    this.split = splitEligible(this.program, this.threads, this.shots, this.diffMethod)
      ? new SplitQNode(this.program, this.threads, { circuit: circuit.toJSON(), fuse: opts.fuse }, {
        measure: (re, im, out) => this.measureExact(re, im, 1, out),
        costate: (re, im, g, lre, lim) => this.costateOf(re, im, 1, g, lre, lim),
      }, this.outputSize)
      : undefined;
  }

  private shardedCopy(circuit: Circuit, measurement: Measurement, opts: QNodeOptions): ShardedQNode {
    const { diffMethod, shots, seed, fdStep, fuse } = opts;
    const local = new QNode(circuit, measurement, { ...opts, threads: 1 });
    const spec = { circuit: circuit.toJSON(), measurement, options: { diffMethod, shots, seed, fdStep, fuse }, wasm: this.sim.useWasm };
    return new ShardedQNode(this.threads, local, spec, { numInputs: this.numInputs, numWeights: this.numWeights, outputSize: this.outputSize });
  }

  /** Release this QNode's copies in the worker pool (the pool itself stays; see terminateThreadPool). */
  dispose(): void {
    this.sharded?.dispose();
    this.split?.dispose();
  }

  /**
   * Bytes the engine keeps for a batch of `batch` samples: the state and outputs ('forward'), plus
   * the co-state and cotangent of a gradient run ('adjoint'). Runs that exceed the memory budget
   * (setMemoryBudget) fail with STATE_TOO_LARGE before allocating.
   */
  memoryBytes(batch: number, phase: 'forward' | 'adjoint' = 'forward'): number {
    return footprintBytes(this.sim.footprint(phase), this.program.numWires, batch);
  }

  get numInputs(): number {
    return this.program.numInputs;
  }
  get numWeights(): number {
    return this.program.numWeights;
  }

  /** Batch size implied by an inputs array (a circuit without inputs needs `batch`). */
  private batchOf(inputs: ArrayLike<number>, batch?: number): number {
    const nIn = this.program.numInputs;
    if (batch !== undefined) return batch;
    if (nIn === 0) return 1;
    if (inputs.length % nIn !== 0) {
      throw new EngineInputError(`inputs has ${inputs.length} values, not a multiple of the circuit's ${nIn} input features`);
    }
    return inputs.length / nIn;
  }

  /** Run the circuit on a batch: returns [B, outputSize] (for 'state': re and im halves per sample). */
  forward(inputs: ArrayLike<number>, weights: ArrayLike<number>, batch?: number): Float64Array {
    const B = this.batchOf(inputs, batch);
    if (B === 0) return new Float64Array(0);
    this.generation++;
    this.lastInputs = copyInto(this.lastInputs, inputs);
    this.lastWeights = copyInto(this.lastWeights, weights);
    this.lastB = B;
    this.lastSplit = false;
    if (this.split && B === 1) {
      assertParamShapes(this.program, this.lastInputs, this.lastWeights, B);
      assertFits(this.sim.footprint('forward'), this.program.numWires, B, 'the forward pass');
      this.lastSplit = true;
      this.lastSharded = false;
      this.stateValid = false;
      return this.split.forward(this.lastInputs, this.lastWeights);
    }
    if (this.sharded) {
      // Checked here for the whole batch: each shard would check only its own slice and budget.
      assertParamShapes(this.program, this.lastInputs, this.lastWeights, B);
      assertFits(this.sim.footprint('forward'), this.program.numWires, B, 'the forward pass');
      this.lastSharded = true;
      this.stateValid = false;
      return this.sharded.forward(this.lastInputs, this.lastWeights, B);
    }
    this.lastSharded = false;
    const out = new Float64Array(B * this.outputSize);
    this.evaluate(this.lastInputs, this.lastWeights, B, out);
    this.stateValid = true;
    return out;
  }

  /** Simulate and measure into out; leaves the final state in the simulator. */
  private evaluate(inputs: Float64Array, weights: Float64Array, B: number, out: Float64Array): void {
    const sim = this.sim;
    sim.setParams(inputs, weights, B);
    this.runAndMeasure(inputs, out);
  }

  private runAndMeasure(inputs: Float64Array, out: Float64Array): void {
    const sim = this.sim;
    const B = sim.B;
    const dim = this.program.dim;
    sim.prepare();
    sim.initState(inputs);
    sim.run();
    const m = this.measurement;
    if (this.shots) {
      if (!this.shotScratch || this.shotScratch.re.length !== B * dim) this.shotScratch = makeShotScratch(B * dim, dim, this.shots);
      if (m.type === 'expval') shotExpvals(sim.re, sim.im, B, this.program.numWires, this.observables, this.shots, this.rng, this.shotScratch, out);
      else shotProbs(sim.re, sim.im, B, dim, this.map, this.outputSize, this.shots, this.rng, this.shotScratch, out);
      return;
    }
    this.measureExact(sim.re, sim.im, B, out, sim.states.kernels);
  }

  /**
   * The exact measurement of a state batch (the simulator's, or a split state's); `km`: the kernel
   * memory holding the state, for the SIMD read-out (null: the JavaScript loops, same bits).
   */
  private measureExact(re: Float64Array, im: Float64Array, B: number, out: Float64Array, km: KernelMemory | null = null): void {
    const m = this.measurement;
    const dim = this.program.dim;
    if (m.type === 'expval') expvals(re, im, B, dim, this.observables, out, km);
    else if (m.type === 'probs') probabilities(re, im, B, dim, this.map, this.outputSize, out);
    else readState(re, im, B, dim, out);
  }

  /** The co-state λ of cotangent g for a state batch (defined by dL = 2 Re⟨λ|dψ⟩). */
  private costateOf(re: Float64Array, im: Float64Array, B: number, g: Float64Array, lre: Float64Array, lim: Float64Array, km: KernelMemory | null = null): void {
    const dim = this.program.dim;
    if (this.measurement.type === 'expval') expvalCostate(re, im, B, dim, this.observables, g, lre, lim, km);
    else probsCostate(re, im, B, dim, this.map, this.outputSize, g, lre, lim);
  }

  /**
   * d loss / d (weights, inputs) for the last forward, given g = d loss / d out ([B, outputSize]).
   */
  vjp(cotangent: ArrayLike<number>): Vjp {
    const B = this.lastB;
    if (B === 0) throw new EngineInputError('vjp needs a forward call first');
    if (this.measurement.type === 'state') throw new EngineInputError('gradients of the raw state vector are not supported; measure expval or probs');
    if (cotangent.length !== B * this.outputSize) {
      throw new EngineInputError(`cotangent has ${cotangent.length} values, expected batch ${B} × ${this.outputSize} outputs`);
    }
    if (this.lastSplit && this.split) {
      assertFits(this.sim.footprint('adjoint'), this.program.numWires, B, 'the adjoint gradient');
      return this.split.vjp(cotangent);
    }
    if (this.lastSharded && this.sharded) {
      if (this.diffMethod === 'adjoint') assertFits(this.sim.footprint('adjoint'), this.program.numWires, B, 'the adjoint gradient');
      return this.sharded.vjp(cotangent, B);
    }
    const g = (this.cot = copyInto(this.cot, cotangent));
    const gW = new Float64Array(this.program.numWeights);
    const gX = new Float64Array(B * this.program.numInputs);
    if (this.diffMethod === 'adjoint') this.adjointVjp(g, gW, gX);
    else this.shiftVjp(g, gW, gX);
    return { weights: gW, inputs: gX };
  }

  /** One forward (reused when still valid) and one backward sweep. */
  private adjointVjp(g: Float64Array, gW: Float64Array, gX: Float64Array): void {
    const sim = this.sim;
    const B = this.lastB;
    if (!this.stateValid || sim.B !== B) {
      if (this.out.length !== B * this.outputSize) this.out = new Float64Array(B * this.outputSize);
      this.evaluate(this.lastInputs, this.lastWeights, B, this.out);
    }
    sim.ensureCostate();
    this.costateOf(sim.re, sim.im, B, g, sim.lre, sim.lim, sim.states.kernels);
    const slotGrad = this.zeroedSlotGrad(B);
    sim.adjoint(slotGrad);
    this.stateValid = false;
    sim.slotsToParams(slotGrad, this.lastInputs, this.lastWeights, gW, gX, true);
  }

  /** The slot-gradient buffer for batch B, zeroed. */
  private zeroedSlotGrad(B: number): Float64Array {
    const len = this.program.slots.length * B;
    if (this.slotGrad.length !== len) this.slotGrad = new Float64Array(len);
    else this.slotGrad.fill(0);
    return this.slotGrad;
  }

  /** Parameter-shift or finite differences: shifted forwards per slot, contracted with g. */
  private shiftVjp(g: Float64Array, gW: Float64Array, gX: Float64Array): void {
    const B = this.lastB;
    const K = this.outputSize;
    const slotGrad = this.zeroedSlotGrad(B);
    this.slotDerivatives((s, b, dOut) => {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += g[b * K + k] * dOut[b * K + k];
      slotGrad[s * B + b] += acc;
    });
    this.sim.slotsToParams(slotGrad, this.lastInputs, this.lastWeights, gW, gX, false);
    this.amplitudeVjpByDifferences(g, gX);
  }

  /**
   * For every slot s, the derivative of every output with respect to the slot's value, by the
   * configured shift rule: visit(s, b, dOut) is called per sample with dOut = d out / d slot_s.
   */
  private slotDerivatives(visit: (s: number, b: number, dOut: Float64Array) => void): void {
    const sim = this.sim;
    const B = this.lastB;
    const K = this.outputSize;
    sim.setParams(this.lastInputs, this.lastWeights, B);
    const base = Float64Array.from(sim.slotVals);
    const dOut = new Float64Array(B * K);
    const shifted = new Float64Array(B * K);
    const { slots } = this.program;
    for (let s = 0; s < slots.length; s++) {
      if (slots[s].ref.kind === 'const') continue;
      const rule = this.diffMethod === 'finite-diff' ? shiftRule('finite-diff', this.fdStep) : shiftRule(slots[s].rule);
      dOut.fill(0);
      for (let t = 0; t < rule.shifts.length; t++) {
        sim.slotVals.set(base);
        for (let b = 0; b < B; b++) sim.slotVals[s * B + b] += rule.shifts[t];
        this.runAndMeasure(this.lastInputs, shifted);
        const c = rule.coeffs[t];
        for (let i = 0; i < B * K; i++) dOut[i] += c * shifted[i];
      }
      for (let b = 0; b < B; b++) visit(s, b, dOut);
    }
    sim.slotVals.set(base);
    this.stateValid = false;
  }

  /** Amplitude-embedded inputs have no shift rule: central differences on the features. */
  private amplitudeVjpByDifferences(g: Float64Array, gX: Float64Array): void {
    const amp = this.program.circuit.amplitudeInit;
    if (!amp) return;
    const B = this.lastB;
    const K = this.outputSize;
    const nIn = this.program.numInputs;
    const h = this.fdStep;
    const x = Float64Array.from(this.lastInputs);
    const plus = new Float64Array(B * K);
    const minus = new Float64Array(B * K);
    for (let j = 0; j < amp.length; j++) {
      const col = amp.firstInput + j;
      for (let b = 0; b < B; b++) x[b * nIn + col] = this.lastInputs[b * nIn + col] + h;
      this.evaluate(x, this.lastWeights, B, plus);
      for (let b = 0; b < B; b++) x[b * nIn + col] = this.lastInputs[b * nIn + col] - h;
      this.evaluate(x, this.lastWeights, B, minus);
      for (let b = 0; b < B; b++) {
        x[b * nIn + col] = this.lastInputs[b * nIn + col];
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (g[b * K + k] * (plus[b * K + k] - minus[b * K + k])) / (2 * h);
        gX[b * nIn + col] += acc;
      }
    }
    this.stateValid = false;
  }

  /**
   * The full Jacobian of every output with respect to every weight and input, per sample: one
   * VJP per (sample, output) pair — meant for small circuits and inspection (the CLI's --grad).
   */
  jacobian(inputs: ArrayLike<number>, weights: ArrayLike<number>, batch?: number): Jacobian {
    this.forward(inputs, weights, batch);
    return this.jacobianOfLastForward();
  }

  /**
   * The Jacobian at the last forward's inputs and weights, reusing its state: a caller that has
   * just run forward (and wants the outputs too) pays for no second forward pass.
   */
  jacobianOfLastForward(): Jacobian {
    const B = this.lastB;
    if (B === 0) throw new EngineInputError('jacobianOfLastForward needs a forward call first');
    const K = this.outputSize;
    const nW = this.program.numWeights;
    const nIn = this.program.numInputs;
    const jw = new Float64Array(B * K * nW);
    const jx = new Float64Array(B * K * nIn);
    const g = new Float64Array(B * K);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        g.fill(0);
        g[b * K + k] = 1;
        const v = this.vjp(g);
        jw.set(v.weights, (b * K + k) * nW);
        jx.set(v.inputs.subarray(b * nIn, (b + 1) * nIn), (b * K + k) * nIn);
      }
    }
    return { weights: jw, inputs: jx };
  }
}

/**
 * src's values in buf when the lengths agree, else in a new array: the QNode's own copy of what a
 * later vjp reads (callers may change their arrays in between), without an allocation per call.
 */
function copyInto(buf: Float64Array<ArrayBuffer>, src: ArrayLike<number>): Float64Array<ArrayBuffer> {
  if (buf.length !== src.length) return Float64Array.from(src);
  buf.set(src);
  return buf;
}

/** The outputs a QNode returns, as memory (memory.ts): full-size ones grow with the state. */
function outputFootprint(m: Measurement, outputSize: number): Footprint {
  if (m.type === 'state') return { ...NO_FOOTPRINT, perAmplitude: 16 };
  if (m.type === 'probs' && !m.wires) return { ...NO_FOOTPRINT, perAmplitude: 8 };
  return { ...NO_FOOTPRINT, perSample: 8 * outputSize };
}
