// The seam between the engine's batch-parallel code and a platform's threads. The engine runs
// in browsers too and may not import node:worker_threads, so a Node-side entry (src/node-threads.ts,
// loaded by src/index.ts and the CLI) hands it a ThreadRuntime, the way node-memory.ts hands
// it the machine's memory. A browser runtime (Web Workers) would implement the same interface;
// it needs a synchronous receive and a main thread that may block in Atomics.wait, which today
// only Node offers (browsers forbid Atomics.wait on the main thread).

import { EngineInputError } from '../errors.js';

/** The main thread's end of one worker. */
export interface WorkerHandle {
  /** Queue a message for the worker (it reads its mailbox when woken through its control words). */
  post(message: ShardMessage): void;
  /** The worker's next message to us, without waiting; undefined when there is none. */
  receive(): WorkerReply | undefined;
  /** Stop the worker (it may be blocked in Atomics.wait). */
  terminate(): void;
}

/** A worker's end: its mailbox and the way back. */
export interface WorkerEndpoint {
  receive(): ShardMessage | undefined;
  post(reply: WorkerReply): void;
}

export interface ThreadRuntime {
  /** Start a worker that runs serveShards (worker-loop.ts) on these control words. */
  spawn(control: SharedArrayBuffer): WorkerHandle;
  /** Cores the platform reports (for messages and defaults). */
  readonly cores: number;
}

/** What the engine needs to rebuild a QNode inside a worker: plain, structured-cloneable data. */
export interface ShardSpec {
  circuit: unknown; // CircuitJSON
  measurement: unknown; // Measurement (plain objects)
  options: { diffMethod?: string; shots?: number; seed?: number; fdStep?: number; fuse?: boolean };
  wasm: boolean;
}

/** What a worker needs to take part in one split state (split-qnode.ts): the circuit, compiled there the same way. */
export interface SplitSpec {
  circuit: unknown; // CircuitJSON
  fuse?: boolean;
  /** Tests only: make one rank fail (split-participant.ts SplitFault). */
  fault?: { rank: number; step: number; kind: 'throw' | 'hang' | 'exit' };
}

export type ShardMessage =
  | { type: 'create'; id: number; spec: ShardSpec }
  | { type: 'split'; id: number; spec: SplitSpec; memory: WebAssembly.Memory; threads: number; rank: number }
  | { type: 'buffers'; id: number; io: SharedArrayBuffer; capacity: number; threads: number }
  | { type: 'dispose'; id: number };

export interface WorkerReply {
  type: 'error';
  name: string;
  message: string;
  code?: string;
}

let runtime: ThreadRuntime | undefined;

/** Install the platform's threads (src/node-threads.ts does it for Node). */
export function setThreadRuntime(r: ThreadRuntime | undefined): void {
  runtime = r;
}

export function threadRuntime(): ThreadRuntime {
  if (!runtime) {
    throw new EngineInputError(
      "threads > 1 needs a thread runtime, and none is installed: import 'entangle' (its Node entry installs worker_threads) " +
        'or import src/node-threads.js before creating the QNode; or use threads: 1',
    );
  }
  return runtime;
}

/** Cores of the installed runtime, or 1 without one. */
export function availableCores(): number {
  return runtime?.cores ?? 1;
}
