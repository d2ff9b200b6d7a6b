// One state split across threads (issue 14 §2): the main-thread side. A QNode with threads > 1
// evaluates a batch of one here when the state is large enough to pay for a barrier per gate
// (splitEligible); larger batches keep the batch shards (sharded-qnode.ts).
//
// The state and co-state live in one shared WebAssembly.Memory (split-layout.ts) that every
// participant maps: this thread is rank 0, pool workers 0 … T−2 are ranks 1 … T−1. A call
// writes the parameters into that memory, prepares the initial state (forward) or the co-state
// (VJP) here, wakes the workers through their pool control words, runs its own share
// (split-participant.ts) and waits for the workers to finish. Measurements, co-states and the
// chain rule run here, on the one-thread engine's functions over the shared arrays.
//
// Results: the state after every gate is the one-thread state bit for bit (each pair is computed
// by the same formula, by exactly one thread), so outputs are too; gradients add each thread's
// partial overlap in rank order: deterministic for a thread count, within rounding of one
// thread.
//
// Failure: a participant that throws aborts the barrier (every other one stops at its next
// barrier) and its error is the one thrown here; a worker that stops answering (stuck, or its
// thread gone) is noticed after the stall timeout: the job is aborted, the pool is restarted
// (terminateThreadPool) and an error names the worker. Nothing waits forever.

import { MAX_WIRES } from '../../circuit/circuit.js';
import { EngineInputError } from '../errors.js';
import type { Program } from '../program.js';
import { slotsToParams } from '../slots.js';
import { AdjointScratch } from '../statevector/adjoint.js';
import { amplitudeInputGrad, initialState } from '../statevector/initial.js';
import { wasmKernelsActive } from '../wasm/backend.js';
import { SPLIT_MAX_PAGES, createSharedMemory, splitKernelsAvailable } from '../wasm/split-backend.js';
import { SplitAborted } from './barrier.js';
import { BUSY, CMD, CMD_SPLIT_ADJOINT, CMD_SPLIT_FORWARD, DONE, EXITED, FAILED, IDLE, RUNNER, STATE } from './control.js';
import { poolGeneration, poolWorkers, postTo, terminateThreadPool } from './pool.js';
import { threadRuntime, type SplitSpec, type WorkerReply } from './runtime.js';
import { splitLayout, type SplitLayout } from './split-layout.js';
import { SplitParticipant } from './split-participant.js';
import { splitShare } from './split-plan.js';

/** When a batch of one is split (threads > 1). */
export interface SplitThreshold {
  /**
   * Fewest qubits. Measured (BENCHMARKS.md, "One state split across threads", quiet run): at 12
   * qubits forward + VJP ran 0.92x as fast on 2 threads as on one, at 14 qubits 1.09x.
   */
  minQubits: number;
  /** Least share of the primitives that run split (the rest runs on the main thread alone). */
  minShare: number;
}

export const DEFAULT_SPLIT_THRESHOLD: Readonly<SplitThreshold> = { minQubits: 14, minShare: 0.5 };
let threshold: SplitThreshold = { ...DEFAULT_SPLIT_THRESHOLD };

/**
 * Change when QNodes created from now on split a batch of one (benchmarks measure the curve from
 * few qubits; tests force small circuits through); returns the previous setting.
 */
export function setSplitThreshold(t: Partial<SplitThreshold>): SplitThreshold {
  const before = threshold;
  threshold = { ...threshold, ...t };
  return before;
}

let jobs = 0;

/** Split jobs run so far in this process (forward and adjoint each count one): tests check the path was taken. */
export function splitJobCount(): number {
  return jobs;
}

let stallMs = 60_000;

/** How long a worker may keep the others waiting before it is taken for dead (default 60 s). */
export function setSplitStallTimeout(ms: number): void {
  stallMs = ms;
}

/** What a QNode hands over: its measurement, on the shared arrays. */
export interface SplitMeasure {
  /** Outputs of the final state (B = 1). */
  measure(re: Float64Array, im: Float64Array, out: Float64Array): void;
  /** λ for the cotangent g (B = 1). */
  costate(re: Float64Array, im: Float64Array, g: Float64Array, lre: Float64Array, lim: Float64Array): void;
}

/**
 * Whether a QNode with these settings splits its batches of one: threads > 1, exact adjoint
 * gradients (parameter-shift and shots run many forwards of their own), the WebAssembly kernels
 * on (the split kernels are their range versions), at least splitMinQubits wires, a state and
 * co-state that fit one 32-bit memory, and enough of the primitives on split kernels (SplitThreshold).
 */
export function splitEligible(program: Program, threads: number, shots: number | undefined, diffMethod: string): boolean {
  if (threads < 2 || shots || diffMethod !== 'adjoint') return false;
  if (program.numWires < threshold.minQubits || program.numWires > MAX_WIRES) return false;
  if (!wasmKernelsActive() || !splitKernelsAvailable()) return false;
  const L = splitLayout(program.dim, threads, program.prims.length, program.numInputs + program.numWeights);
  return L.adjointPages <= SPLIT_MAX_PAGES - 1 && splitShare(program) >= threshold.minShare;
}

/** What a worker holds for a split state, kept apart from the SplitQNode so the registry can outlive it. */
interface WorkerCopies {
  id: number;
  created: number;
  poolGen: number;
}

/**
 * A SplitQNode dropped without dispose() still has participants (and with them the shared
 * memory) in the workers: forget them there once it is collected.
 */
const collected = new FinalizationRegistry<WorkerCopies>((c) => {
  if (c.poolGen !== poolGeneration()) return;
  for (let w = 0; w < c.created; w++) postTo(w, { type: 'dispose', id: c.id });
});

let nextSplitId = 1_000_000; // apart from ShardedQNode ids (the workers keep both in one namespace of messages)

/** Thrown by the watch when a worker ended its job early; the worker's own reply says why. */
class WorkerLeft extends Error {}

export class SplitQNode {
  readonly threads: number;
  private readonly id = nextSplitId++;
  private readonly program: Program;
  private readonly spec: SplitSpec;
  private readonly io: SplitMeasure;
  private readonly outputSize: number;
  private readonly layout: SplitLayout;
  private memory: WebAssembly.Memory | undefined;
  private local: SplitParticipant | undefined;
  private readonly ampNorm = new Float64Array(1);
  private readonly scratch = new AdjointScratch(1);
  private inputs: Float64Array = new Float64Array(0);
  private weights: Float64Array = new Float64Array(0);
  private stateValid = false;
  private ran = false;
  /** Workers 0 … created − 1 hold this state's participant, for pool generation poolGen. */
  private readonly copies: WorkerCopies;
  private disposed = false;

  constructor(program: Program, threads: number, spec: SplitSpec, io: SplitMeasure, outputSize: number) {
    this.program = program;
    this.threads = threads;
    this.spec = spec;
    this.io = io;
    this.outputSize = outputSize;
    this.layout = splitLayout(program.dim, threads, program.prims.length, program.numInputs + program.numWeights);
    threadRuntime(); // fail at construction when no runtime is installed
    this.copies = { id: this.id, created: 0, poolGen: poolGeneration() };
    collected.register(this, this.copies, this);
  }

  /** Forward of one sample (shapes and memory checked by the QNode): returns [outputSize]. */
  forward(inputs: Float64Array, weights: Float64Array): Float64Array {
    const local = this.ensure();
    this.inputs = inputs;
    this.weights = weights;
    this.ran = true;
    local.paramView.set(inputs, 0);
    local.paramView.set(weights, inputs.length);
    initialState(local.state, this.program, inputs, this.ampNorm);
    this.stateValid = false;
    this.dispatch(CMD_SPLIT_FORWARD, (watch) => local.forward(watch));
    this.stateValid = true;
    const out = new Float64Array(this.outputSize);
    this.io.measure(local.state.re, local.state.im, out);
    return out;
  }

  /** VJP of the last forward (re-run first when a previous VJP consumed its state). */
  vjp(cotangent: ArrayLike<number>): { weights: Float64Array; inputs: Float64Array } {
    if (!this.ran) throw new EngineInputError('vjp needs a forward call first');
    if (!this.stateValid) this.forward(this.inputs, this.weights);
    const local = this.ensure();
    const memory = this.memory!;
    const need = this.layout.adjointPages * 65536 - memory.buffer.byteLength;
    if (need > 0) memory.grow(need / 65536);
    local.refresh();
    const s = local.state;
    this.io.costate(s.re, s.im, Float64Array.from(cotangent), s.lre, s.lim);
    const slotGrad = new Float64Array(this.program.slots.length);
    this.stateValid = false;
    this.dispatch(CMD_SPLIT_ADJOINT, (watch) => local.adjoint(slotGrad, this.scratch, watch));
    local.reduceAdjoint(slotGrad, this.scratch);
    const gW = new Float64Array(this.program.numWeights);
    const gX = new Float64Array(this.program.numInputs);
    slotsToParams(this.program, 1, slotGrad, this.inputs, this.weights, gW, gX);
    amplitudeInputGrad(s, this.program, this.ampNorm, gX);
    return { weights: gW, inputs: gX };
  }

  /** Forget this state in the workers and release its memory. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    collected.unregister(this);
    const c = this.copies;
    if (c.poolGen === poolGeneration()) for (let w = 0; w < c.created; w++) postTo(w, { type: 'dispose', id: this.id });
    this.memory = undefined;
    this.local = undefined;
  }

  /** The shared memory, this thread's participant, and a participant in each of the T − 1 workers. */
  private ensure(): SplitParticipant {
    if (this.disposed) throw new EngineInputError('this QNode was disposed');
    if (!this.memory) {
      const L = this.layout;
      this.memory = createSharedMemory(L.forwardPages, L.adjointPages);
      this.local = new SplitParticipant(this.program, this.memory, L, 0, this.spec.fault);
    }
    const c = this.copies;
    if (c.poolGen !== poolGeneration()) {
      c.poolGen = poolGeneration();
      c.created = 0;
    }
    const needed = this.threads - 1;
    poolWorkers(needed);
    for (let w = c.created; w < needed; w++) {
      postTo(w, { type: 'split', id: this.id, spec: this.spec, memory: this.memory, threads: this.threads, rank: w + 1 });
      c.created = w + 1;
    }
    return this.local!;
  }

  /**
   * Run one job on every rank: wake the workers, run rank 0 here, wait for all. Throws the first
   * real failure (a participant's own error before the SplitAborted errors it caused elsewhere).
   */
  private dispatch(cmd: number, local: (watch: (waitedMs: number) => void) => void): void {
    const workers = poolWorkers(this.threads - 1);
    const part = this.local!;
    jobs++;
    part.sync.reset();
    for (const w of workers) {
      w.ctrl[CMD] = cmd;
      w.ctrl[RUNNER] = this.id;
      Atomics.store(w.ctrl, STATE, BUSY);
      Atomics.notify(w.ctrl, STATE);
    }
    let stall: Error | undefined;
    const watch = (waitedMs: number): void => {
      workers.forEach((w, j) => {
        if (Atomics.load(w.ctrl, STATE) !== BUSY) throw new WorkerLeft(`engine worker ${j} left the split job`);
      });
      if (waitedMs > stallMs) {
        const missing = part.sync.behind(part.sync.passed).filter((r) => r > 0);
        stall = new Error(`engine worker${missing.length > 1 ? 's' : ''} ${missing.map((r) => r - 1).join(', ')} (split rank ${missing.join(', ')}) did not reach barrier ${part.sync.passed} within ${stallMs} ms; the job was abandoned and the worker pool restarted`);
        throw stall;
      }
    };
    let localError: unknown;
    try {
      local(watch);
    } catch (e) {
      localError = e;
      part.sync.abort();
    }
    const failures: Error[] = [];
    let stuck = false;
    let exited = false;
    workers.forEach((w, j) => {
      if (stuck) return;
      const state = waitNotBusy(w.ctrl, stallMs);
      if (state === BUSY) {
        stuck = true;
        stall ??= new Error(`engine worker ${j} (split rank ${j + 1}) did not finish its part within ${stallMs} ms; the job was abandoned and the worker pool restarted`);
        return;
      }
      Atomics.store(w.ctrl, STATE, IDLE);
      exited ||= state === EXITED;
      if (state === FAILED || state === EXITED) failures.push(replyError(w.handle.receive(), j));
      else if (state !== DONE) failures.push(new Error(`engine worker ${j} ended a split job in state ${state}`));
    });
    if (exited) terminateThreadPool(); // its thread is gone: the next job starts fresh workers
    if (stuck) {
      terminateThreadPool();
      throw stall!;
    }
    if (localError === undefined && failures.length === 0) return;
    const real = failures.find((e) => e.name !== 'SplitAborted');
    if (localError !== undefined && !(localError instanceof SplitAborted) && !(localError instanceof WorkerLeft)) throw localError;
    if (real) throw real;
    if (stall) {
      terminateThreadPool();
      throw stall;
    }
    throw localError ?? failures[0];
  }
}

/** The worker's control state once it is no longer BUSY, or BUSY after `timeoutMs`. */
function waitNotBusy(ctrl: Int32Array, timeoutMs: number): number {
  for (let i = 0; i < 4096; i++) {
    const s = Atomics.load(ctrl, STATE);
    if (s !== BUSY) return s;
  }
  const t0 = Date.now();
  while (Atomics.load(ctrl, STATE) === BUSY) {
    const left = timeoutMs - (Date.now() - t0);
    if (left <= 0) return BUSY;
    Atomics.wait(ctrl, STATE, BUSY, Math.min(left, 50));
  }
  return Atomics.load(ctrl, STATE);
}

function replyError(reply: WorkerReply | undefined, j: number): Error {
  if (!reply) return new Error(`engine worker ${j} failed in a split job without saying why`);
  const message = `${reply.message} (engine worker ${j}, split rank ${j + 1})`;
  if (reply.name === 'EngineInputError') return new EngineInputError(message, reply.code);
  const e = new Error(message);
  e.name = reply.name;
  return e;
}
