// A QNode's batch split over threads: shard 0 runs on this thread in `local`, shard k >= 1 in
// pool worker k - 1, each on its own copy of the QNode (its own simulator and state). Inputs,
// weights and cotangents go through one SharedArrayBuffer per QNode; outputs and input gradients
// come back into it at their samples' offsets, so per-sample results are those of one thread bit
// for bit. Weight gradients come back one per shard and are summed here in shard order 0, 1, ...
// (a fixed order: reproducible for a given thread count; within rounding of one thread's sum).

import { CMD_FORWARD, CMD_VJP, ioLayout, type IoLayout } from './control.js';
import { poolGeneration, poolWorkers, postTo, runJobs, type Job } from './pool.js';
import { threadRuntime, type ShardSpec } from './runtime.js';
import { shardRanges, type Shard } from './shards.js';

/** What this file needs of a QNode (structural, so that qnode.ts can import this file). */
export interface ShardEngine {
  forward(inputs: ArrayLike<number>, weights: ArrayLike<number>, batch?: number): Float64Array;
  vjp(cotangent: ArrayLike<number>): { weights: Float64Array; inputs: Float64Array };
}

let nextRunnerId = 1;

export class ShardedQNode {
  readonly threads: number;
  private readonly id = nextRunnerId++;
  private readonly local: ShardEngine;
  private readonly spec: ShardSpec;
  private readonly nIn: number;
  private readonly nW: number;
  private readonly K: number;
  private created = 0; // workers that hold a copy of this QNode
  private capacity = 0;
  private io: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private layout: IoLayout;
  private shards: Shard[] = [];
  private disposed = false;
  /** Buffer version, and the version each worker last received. */
  private version = 0;
  private readonly sent: number[] = [];
  private poolGen = poolGeneration();

  constructor(threads: number, local: ShardEngine, spec: ShardSpec, sizes: { numInputs: number; numWeights: number; outputSize: number }) {
    this.threads = threads;
    this.local = local;
    this.spec = spec;
    this.nIn = sizes.numInputs;
    this.nW = sizes.numWeights;
    this.K = sizes.outputSize;
    this.layout = ioLayout(0, this.nIn, this.nW, this.K, threads);
    threadRuntime(); // fail at construction, not at the first batch, when no runtime is installed
  }

  /** Forward of a batch of B (inputs and weights already checked by the QNode); returns [B, K]. */
  forward(inputs: ArrayLike<number>, weights: ArrayLike<number>, B: number): Float64Array {
    this.ensure(B);
    const L = this.layout;
    this.io.set(inputs, L.inputs);
    this.io.set(weights, L.weights);
    this.shards = shardRanges(B, this.threads);
    const out = new Float64Array(B * this.K);
    const s0 = this.shards[0];
    this.dispatch(CMD_FORWARD, B, () => {
      out.set(this.local.forward(this.io.subarray(L.inputs, L.inputs + s0.count * this.nIn), this.io.subarray(L.weights, L.weights + this.nW), s0.count));
    });
    out.set(this.io.subarray(L.out + s0.count * this.K, L.out + B * this.K), s0.count * this.K);
    return out;
  }

  /** VJP of the last forward (same shards): cotangent [B, K] -> weights [nW], inputs [B, nIn]. */
  vjp(cotangent: ArrayLike<number>, B: number): { weights: Float64Array; inputs: Float64Array } {
    const L = this.layout;
    this.io.set(cotangent, L.cot);
    const gX = new Float64Array(B * this.nIn);
    const gW = new Float64Array(this.nW);
    const s0 = this.shards[0];
    let local: { weights: Float64Array; inputs: Float64Array } | undefined;
    this.dispatch(CMD_VJP, B, () => {
      local = this.local.vjp(this.io.subarray(L.cot, L.cot + s0.count * this.K));
    });
    gX.set(local!.inputs);
    gX.set(this.io.subarray(L.gX + s0.count * this.nIn, L.gX + B * this.nIn), s0.count * this.nIn);
    // Fixed order: shard 0, then 1, 2, ... (0 + g0 is exact, so one shard equals one thread).
    for (let j = 0; j < this.nW; j++) gW[j] = local!.weights[j];
    for (let k = 1; k < this.shards.length; k++) {
      const off = L.gW + k * this.nW;
      for (let j = 0; j < this.nW; j++) gW[j] += this.io[off + j];
    }
    return { weights: gW, inputs: gX };
  }

  /** Forget this QNode in the workers (the pool itself stays for other QNodes). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (let w = 0; w < this.created; w++) postTo(w, { type: 'dispose', id: this.id });
  }

  /** Shard k's copy: with shots, its own sampler stream (seed + k), so shards do not repeat each other's draws. */
  private specFor(shard: number): ShardSpec {
    const o = this.spec.options;
    return o.shots ? { ...this.spec, options: { ...o, seed: (o.seed ?? 0) + shard } } : this.spec;
  }

  private dispatch(cmd: number, B: number, local: () => void): void {
    const jobs: Job[] = this.shards.slice(1).map((s, i) => ({ worker: i, cmd, runner: this.id, shard: i + 1, start: s.start, count: s.count, batch: B }));
    runJobs(jobs, local);
  }

  /** Workers 0..needed-1 hold a copy of this QNode and the current shared buffer, sized for B samples. */
  private ensure(B: number): void {
    if (B > this.capacity) {
      this.capacity = Math.max(B, 2 * this.capacity);
      this.layout = ioLayout(this.capacity, this.nIn, this.nW, this.K, this.threads);
      this.io = new Float64Array(new SharedArrayBuffer(8 * this.layout.total));
      this.version++;
    }
    const needed = shardRanges(B, this.threads).length - 1;
    if (needed <= 0) return;
    if (this.poolGen !== poolGeneration()) {
      this.poolGen = poolGeneration();
      this.created = 0;
      this.sent.length = 0;
    }
    poolWorkers(needed);
    for (let w = 0; w < needed; w++) {
      if (w >= this.created) {
        postTo(w, { type: 'create', id: this.id, spec: this.specFor(w + 1) });
        this.created = w + 1;
      }
      if (this.sent[w] !== this.version) {
        postTo(w, { type: 'buffers', id: this.id, io: this.io.buffer as SharedArrayBuffer, capacity: this.capacity, threads: this.threads });
        this.sent[w] = this.version;
      }
    }
  }
}
