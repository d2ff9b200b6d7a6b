// The entry of one engine worker thread (started by src/node-threads.ts): the machine's memory as
// the engine's budget, then the runtime-neutral job loop over this worker's port.

import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import './node-memory.js';
import { serveShards } from './engine/parallel/worker-loop.js';
import type { ShardMessage, WorkerReply } from './engine/parallel/runtime.js';

const { control, port } = workerData as { control: SharedArrayBuffer; port: MessagePort };

// A worker that exits in the middle of a job (process.exit in user code, an uncaught error) would
// leave its caller waiting for a state that never comes: say FAILED on the way out (control words
// STATE = 0, BUSY = 1, EXITED = 4, engine/parallel/control.ts: the pool then replaces it). A thread killed outright (out of
// memory) runs nothing; split jobs notice that by their stall timeout (parallel/split-qnode.ts).
process.on('exit', (code) => {
  const c = new Int32Array(control);
  if (Atomics.load(c, 0) !== 1) return;
  port.postMessage({ type: 'error', name: 'Error', message: `engine worker exited (code ${code}) in the middle of a job` } satisfies WorkerReply);
  Atomics.store(c, 0, 4);
  Atomics.notify(c, 0);
});

serveShards(
  {
    receive: () => receiveMessageOnPort(port)?.message as ShardMessage | undefined,
    post: (reply: WorkerReply) => port.postMessage(reply),
  },
  control,
);
port.close();
