// One thread's share of a state split across threads: the main thread is rank 0, pool workers
// are ranks 1 … T−1, and every rank runs this same loop over the program's steps (split-plan.ts)
// on the one shared memory (split-layout.ts), meeting the others at a barrier after each step.
//
// Each rank computes the kernel coefficients itself from the parameters in shared memory (the
// same code on the same numbers gives the same coefficients), so a step exchanges nothing but the
// barrier. Split steps: this rank's range of the gate on the range kernels, which compute each
// pair exactly as the one-thread kernels do. Main-only steps: rank 0 runs the primitives on the
// JavaScript kernels (as the one-thread engine does for them) while the others wait. The adjoint
// writes each split step's partial overlap at this rank's slot for that primitive; rank 0 adds
// them up after the sweep, in rank order (reduceAdjoint).

import { Coefficients } from '../coefficients.js';
import { Kind, type Program } from '../program.js';
import { evaluateSlots } from '../slots.js';
import { AdjointScratch, adjointStep, fusedGradients, rotationGradientScale, wanted } from '../statevector/adjoint.js';
import { applyPrimitive } from '../statevector/apply.js';
import type { StateVectorBatch } from '../statevector/state.js';
import { instantiateSplitKernels, type SplitKernels } from '../wasm/split-backend.js';
import { SplitBarrier } from './barrier.js';
import { CONTROL_AT, partialAt, passedWord, type SplitLayout } from './split-layout.js';
import { splitCall, splitSteps, splitsPrimitive, type SplitStep } from './split-plan.js';

/**
 * A fault to inject, for tests of the failure paths only: rank `rank` throws, stops answering
 * (a stuck worker), or ends its thread (process.exit where the platform has one) before forward
 * step `step`.
 */
export interface SplitFault {
  rank: number;
  step: number;
  kind: 'throw' | 'hang' | 'exit';
}

/** A StateVectorBatch over the shared arrays, for the JavaScript kernels (kernels: null). */
class SharedViews implements StateVectorBatch {
  readonly batch = 1;
  kernels = null;
  re = new Float64Array(0);
  im = new Float64Array(0);
  lre = new Float64Array(0);
  lim = new Float64Array(0);
  constructor(readonly dim: number) {}
}

export class SplitParticipant {
  readonly coefs: Coefficients;
  readonly state: SharedViews;
  /** Slot values of the current parameters (B = 1). */
  readonly slotVals: Float64Array;
  private readonly kernels: SplitKernels;
  private readonly barrier: SplitBarrier;
  private readonly forwardSteps: SplitStep[];
  private readonly adjointSteps: SplitStep[];
  /** Per step, this rank's kernel calls: CALL_WORDS per primitive (see rankCalls). */
  private readonly forwardCalls: Int32Array[];
  private readonly adjointCalls: Int32Array[];
  private bytes = 0;
  private params = new Float64Array(0);
  private partials = new Float64Array(0);

  constructor(
    readonly program: Program,
    private readonly memory: WebAssembly.Memory,
    readonly layout: SplitLayout,
    readonly rank: number,
    private readonly fault?: SplitFault,
  ) {
    this.kernels = instantiateSplitKernels(memory);
    this.coefs = new Coefficients(program);
    this.coefs.resize(1);
    this.slotVals = new Float64Array(program.slots.length);
    this.state = new SharedViews(program.dim);
    const T = layout.threads;
    this.forwardSteps = splitSteps(program, false, T);
    this.adjointSteps = splitSteps(program, true, T);
    this.forwardCalls = this.forwardSteps.map((st) => rankCalls(program, st, rank, T));
    this.adjointCalls = this.adjointSteps.map((st) => rankCalls(program, st, rank, T));
    this.barrier = new SplitBarrier(new Int32Array(memory.buffer, CONTROL_AT, passedWord(T)), rank, T);
    this.refresh();
  }

  /** The barrier (rank 0 resets it before each job and aborts it on failure). */
  get sync(): SplitBarrier {
    return this.barrier;
  }

  /** Views on the memory's current buffer (a grown shared memory hands out a longer one). */
  refresh(): void {
    const buf = this.memory.buffer;
    if (buf.byteLength === this.bytes) return;
    this.bytes = buf.byteLength;
    const L = this.layout;
    const P = this.program.numInputs + this.program.numWeights;
    this.params = new Float64Array(buf, L.params, P);
    this.partials = new Float64Array(buf, L.partials, (partialAt(L, L.threads, 0) - L.partials) / 8);
    const s = this.state;
    s.re = new Float64Array(buf, L.re, L.dim);
    s.im = new Float64Array(buf, L.im, L.dim);
    const costate = buf.byteLength >= L.lim + 8 * L.dim;
    s.lre = costate ? new Float64Array(buf, L.lre, L.dim) : new Float64Array(0);
    s.lim = costate ? new Float64Array(buf, L.lim, L.dim) : new Float64Array(0);
  }

  /** The parameters' place in shared memory: inputs, then weights (rank 0 writes them). */
  get paramView(): Float64Array {
    return this.params;
  }

  /** Slot values and kernel coefficients from the parameters in shared memory. */
  prepare(): void {
    const nIn = this.program.numInputs;
    evaluateSlots(this.program, this.params.subarray(0, nIn), this.params.subarray(nIn), 1, this.slotVals);
    this.coefs.prepare(this.slotVals);
  }

  /** This rank's part of the forward pass (rank 0 has written the initial state). */
  forward(watch?: (waitedMs: number) => void): void {
    this.refresh();
    this.barrier.begin();
    this.prepare();
    const steps = this.forwardSteps;
    for (let i = 0; i < steps.length; i++) {
      if (this.fault && this.fault.rank === this.rank && this.fault.step === i) injectFault(this.fault);
      const st = steps[i];
      if (st.split) {
        const calls = this.forwardCalls[i];
        for (let j = 0; j < calls.length; j += CALL_WORDS) this.forwardSplit(calls, j);
      } else if (this.rank === 0) for (const k of st.prims) applyPrimitive(this.state, this.coefs, k, this.state.re, this.state.im, false);
      if (i + 1 < steps.length) this.barrier.arrive(watch);
    }
  }

  /**
   * This rank's part of the adjoint sweep (rank 0 has written λ). Main-only steps add their
   * gradients into slotGrad (rank 0); split steps leave partials for reduceAdjoint.
   */
  adjoint(slotGrad: Float64Array, scratch: AdjointScratch, watch?: (waitedMs: number) => void): void {
    this.refresh();
    this.barrier.begin();
    const steps = this.adjointSteps;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i];
      if (st.split) {
        const calls = this.adjointCalls[i];
        for (let j = 0; j < calls.length; j += CALL_WORDS) this.adjointSplit(calls, j);
      } else if (this.rank === 0) for (const k of st.prims) adjointStep(this.state, this.coefs, k, scratch, slotGrad);
      if (i + 1 < steps.length) this.barrier.arrive(watch);
    }
  }

  /** Rank 0, after every rank finished the sweep: the split steps' gradients, partials added in rank order. */
  reduceAdjoint(slotGrad: Float64Array, scratch: AdjointScratch): void {
    const { program, coefs, layout: L } = this;
    const parts = this.partials;
    const at = (r: number, k: number): number => (partialAt(L, r, k) - L.partials) / 8;
    for (let k = program.prims.length - 1; k >= 0; k--) {
      const p = program.prims[k];
      if (!splitsPrimitive(p)) continue;
      if (p.kind === Kind.FUSED) {
        for (let e = 0; e < 8; e++) {
          let s = 0;
          for (let r = 0; r < L.threads; r++) s += parts[at(r, k) + e];
          scratch.S[e] = s;
        }
        fusedGradients(coefs, k, 1, scratch, slotGrad);
      } else if (p.kind === Kind.ROT && wanted(coefs, p)) {
        let total = 0;
        for (let r = 0; r < L.threads; r++) total += parts[at(r, k)];
        slotGrad[p.slot] += rotationGradientScale(p.axis) * total;
      }
    }
  }

  /** Call j of a step's calls (k, f, f0, f1, f2, mask, q0, q1): this rank's part of primitive k. */
  private forwardSplit(calls: Int32Array, j: number): void {
    const k = calls[j];
    const p = this.program.prims[k];
    const kern = this.kernels;
    const L = this.layout;
    const f = calls[j + 1], f0 = calls[j + 2], f1 = calls[j + 3], f2 = calls[j + 4], mask = calls[j + 5], q0 = calls[j + 6], q1 = calls[j + 7];
    const c = this.coefs.coef[k];
    if (p.kind === Kind.ROT) kern.rotRange(L.re, L.im, 1, L.dim, p.axis, p.bitA, mask, f, f0, f1, f2, c[0], c[1], q0, q1);
    else if (p.kind === Kind.XPERM) kern.xpermRange(L.re, L.im, 0, 0, 1, L.dim, p.bitA, mask, f, f0, f1, f2, q0, q1);
    else kern.mat1Range(L.re, L.im, 1, L.dim, p.bitA, mask, f, f0, f1, f2, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], q0, q1);
  }

  /** Mirrors statevector/adjoint.ts adjointStepWasm (and its fall-through to un-applying) at B = 1. */
  private adjointSplit(calls: Int32Array, j: number): void {
    const k = calls[j];
    const p = this.program.prims[k];
    const kern = this.kernels;
    const L = this.layout;
    const f = calls[j + 1], f0 = calls[j + 2], f1 = calls[j + 3], f2 = calls[j + 4], mask = calls[j + 5], q0 = calls[j + 6], q1 = calls[j + 7];
    const out = partialAt(L, this.rank, k);
    if (p.kind === Kind.FUSED) {
      const m = this.coefs.inv[k];
      kern.adjMat1Range(L.re, L.im, L.lre, L.lim, 1, L.dim, p.bitA, mask, f, f0, f1, f2,
        m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], out, q0, q1);
    } else if (p.kind === Kind.XPERM) {
      kern.xpermRange(L.re, L.im, L.lre, L.lim, 1, L.dim, p.bitA, mask, f, f0, f1, f2, q0, q1);
    } else if (p.kind === Kind.ROT) {
      const c = this.coefs.coef[k];
      if (wanted(this.coefs, p)) {
        this.partials[(out - L.partials) / 8] = kern.adjRotRange(L.re, L.im, L.lre, L.lim, 1, L.dim, p.axis, p.bitA, mask, f, f0, f1, f2, c[0], c[1], q0, q1);
      } else {
        kern.rotRange(L.re, L.im, 1, L.dim, p.axis, p.bitA, mask, f, f0, f1, f2, c[0], -c[1], q0, q1);
        kern.rotRange(L.lre, L.lim, 1, L.dim, p.axis, p.bitA, mask, f, f0, f1, f2, c[0], -c[1], q0, q1);
      }
    } else {
      // MAT1: a constant matrix, un-applied to both.
      const m = this.coefs.inv[k];
      kern.mat1Range(L.re, L.im, 1, L.dim, p.bitA, mask, f, f0, f1, f2, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], q0, q1);
      kern.mat1Range(L.lre, L.lim, 1, L.dim, p.bitA, mask, f, f0, f1, f2, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], q0, q1);
    }
  }
}

const CALL_WORDS = 8;

/** A step's kernel calls for one rank, CALL_WORDS each: k, f, f0, f1, f2, mask, q0, q1. */
function rankCalls(program: Program, st: SplitStep, rank: number, T: number): Int32Array {
  if (!st.split) return new Int32Array(0);
  const out = new Int32Array(CALL_WORDS * st.prims.length);
  st.prims.forEach((k, i) => {
    const c = splitCall(program.prims[k], program.dim, st.bits, rank, T);
    out.set([k, c.f, c.f0, c.f1, c.f2, c.mask, c.q0, c.q1], CALL_WORDS * i);
  });
  return out;
}

function injectFault(fault: SplitFault): void {
  if (fault.kind === 'throw') throw new Error(`injected fault in split rank ${fault.rank} at step ${fault.step}`);
  if (fault.kind === 'exit') (globalThis as { process?: { exit(code: number): void } }).process?.exit(7);
  // A stuck worker: busy until terminated (bounded, so a broken test cannot hang forever).
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    /* spin */
  }
}
