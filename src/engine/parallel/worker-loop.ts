// The body of an engine worker, runtime-neutral: wait on the control words, read set-up messages
// from the mailbox, run forward or VJP for one shard of one QNode on its own copy, write the
// results into the QNode's shared buffer, signal. Or take its rank's part of one state split
// across threads (split-participant.ts) on that state's shared memory. Errors go back as messages with their name,
// message and code; the worker stays alive for the next job.

import { Circuit, type CircuitJSON } from '../../circuit/circuit.js';
import type { Measurement } from '../../circuit/measurements.js';
import { QNode, type DiffMethod } from '../qnode.js';
import { setWasmKernels } from '../wasm/backend.js';
import { compile } from '../program.js';
import { AdjointScratch } from '../statevector/adjoint.js';
import {
  BUSY, CMD, CMD_EXIT, CMD_FORWARD, CMD_SPLIT_ADJOINT, CMD_SPLIT_FORWARD, CMD_VJP, COUNT, DONE, FAILED, RUNNER, SHARD, START, STATE,
  ioLayout, type IoLayout,
} from './control.js';
import type { ShardSpec, SplitSpec, WorkerEndpoint } from './runtime.js';
import { splitLayout } from './split-layout.js';
import { SplitParticipant } from './split-participant.js';
import { SPIN } from './barrier.js';

interface Copy {
  qnode: QNode;
  io: Float64Array;
  layout: IoLayout;
}

function build(spec: ShardSpec): QNode {
  setWasmKernels(spec.wasm); // decided per simulator at construction: follow the main thread's choice
  const o = spec.options;
  return new QNode(Circuit.fromJSON(spec.circuit as CircuitJSON), spec.measurement as Measurement, {
    diffMethod: o.diffMethod as DiffMethod | undefined, shots: o.shots, seed: o.seed, fdStep: o.fdStep, fuse: o.fuse, threads: 1,
  });
}

/** Serve jobs until told to exit. Blocks its thread (it is a worker's whole life). */
export function serveShards(endpoint: WorkerEndpoint, control: SharedArrayBuffer): void {
  const ctrl = new Int32Array(control);
  const copies = new Map<number, Copy>();
  const pending = new Map<number, ShardSpec>();
  const splits = new Map<number, SplitParticipant>();
  let spin = 0;
  for (;;) {
    // After a split job the next one (the VJP after a forward) usually follows within
    // microseconds: poll a while before sleeping, so it does not pay a futex wake-up.
    for (; spin > 0 && Atomics.load(ctrl, STATE) !== BUSY; spin--);
    spin = 0;
    // Wait on the very value just checked: re-reading it for the wait could see BUSY already
    // (the main thread's store and notify falling between the two reads) and then sleep through
    // the job that was just handed over, forever.
    for (let s = Atomics.load(ctrl, STATE); s !== BUSY; s = Atomics.load(ctrl, STATE)) Atomics.wait(ctrl, STATE, s);
    const cmd = ctrl[CMD];
    if (cmd === CMD_EXIT) return;
    let ok = true;
    try {
      for (let m = endpoint.receive(); m; m = endpoint.receive()) {
        if (m.type === 'create') pending.set(m.id, m.spec);
        else if (m.type === 'split') splits.set(m.id, buildSplit(m.spec, m.memory, m.threads, m.rank));
        else if (m.type === 'dispose') {
          copies.delete(m.id);
          pending.delete(m.id);
          splits.delete(m.id);
        } else {
          const spec = pending.get(m.id);
          const qnode = copies.get(m.id)?.qnode ?? (spec ? build(spec) : undefined);
          if (!qnode) throw new Error(`buffers for unknown QNode ${m.id}`);
          pending.delete(m.id);
          const layout = ioLayout(m.capacity, qnode.numInputs, qnode.numWeights, qnode.outputSize, m.threads);
          copies.set(m.id, { qnode, io: new Float64Array(m.io), layout });
        }
      }
      if (cmd === CMD_FORWARD || cmd === CMD_VJP) runJob(copies, ctrl, cmd);
      else if (cmd === CMD_SPLIT_FORWARD || cmd === CMD_SPLIT_ADJOINT) {
        runSplitJob(splits, ctrl, cmd);
        spin = 4 * SPIN;
      }
    } catch (e) {
      ok = false;
      const err = e as { name?: string; message?: string; code?: string };
      endpoint.post({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(e), code: err?.code });
    }
    Atomics.store(ctrl, STATE, ok ? DONE : FAILED);
    Atomics.notify(ctrl, STATE);
  }
}

function runJob(copies: Map<number, Copy>, ctrl: Int32Array, cmd: number): void {
  const copy = copies.get(ctrl[RUNNER]);
  if (!copy) throw new Error(`no copy of QNode ${ctrl[RUNNER]} in this worker`);
  const { qnode, io, layout: L } = copy;
  const start = ctrl[START];
  const count = ctrl[COUNT];
  const nIn = qnode.numInputs;
  const K = qnode.outputSize;
  if (cmd === CMD_FORWARD) {
    const weights = io.subarray(L.weights, L.weights + qnode.numWeights);
    const out = qnode.forward(io.subarray(L.inputs + start * nIn, L.inputs + (start + count) * nIn), weights, count);
    io.set(out, L.out + start * K);
  } else {
    const g = qnode.vjp(io.subarray(L.cot + start * K, L.cot + (start + count) * K));
    io.set(g.inputs, L.gX + start * nIn);
    io.set(g.weights, L.gW + ctrl[SHARD] * qnode.numWeights);
  }
}

function buildSplit(spec: SplitSpec, memory: WebAssembly.Memory, threads: number, rank: number): SplitParticipant {
  const program = compile(Circuit.fromJSON(spec.circuit as CircuitJSON), { fuse: spec.fuse });
  const layout = splitLayout(program.dim, threads, program.prims.length, program.numInputs + program.numWeights);
  return new SplitParticipant(program, memory, layout, rank, spec.fault);
}

/** A worker rank holds no gradients of its own (rank 0 adds up the partials): these stay empty. */
const noSlotGrad = new Float64Array(0);
const noScratch = new AdjointScratch(1);

function runSplitJob(splits: Map<number, SplitParticipant>, ctrl: Int32Array, cmd: number): void {
  const part = splits.get(ctrl[RUNNER]);
  if (!part) throw new Error(`no split state ${ctrl[RUNNER]} in this worker`);
  try {
    if (cmd === CMD_SPLIT_FORWARD) part.forward();
    else part.adjoint(noSlotGrad, noScratch);
  } catch (e) {
    part.sync.abort(); // the other ranks stop at their next barrier instead of waiting for this one
    throw e;
  }
}
