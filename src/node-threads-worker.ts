// The entry of one engine worker thread (started by src/node-threads.ts): the machine's memory as
// the engine's budget, then the runtime-neutral job loop over this worker's port.

import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import './node-memory.js';
import { serveShards } from './engine/parallel/worker-loop.js';
import type { ShardMessage, WorkerReply } from './engine/parallel/runtime.js';

const { control, port } = workerData as { control: SharedArrayBuffer; port: MessagePort };
serveShards(
  {
    receive: () => receiveMessageOnPort(port)?.message as ShardMessage | undefined,
    post: (reply: WorkerReply) => port.postMessage(reply),
  },
  control,
);
port.close();
