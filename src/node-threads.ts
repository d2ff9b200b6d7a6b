// Node-side entry (src/index.ts, the CLI) that hands the engine worker_threads for QNodes with
// threads > 1 (engine/parallel/runtime.ts): the engine runs in browsers too and cannot import
// them itself. Workers are unref'd, so an idle pool never keeps the process alive.

import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { setThreadRuntime, type ShardMessage, type ThreadRuntime, type WorkerHandle, type WorkerReply } from './engine/parallel/runtime.js';

const here = import.meta.url;
const fromSources = here.endsWith('.ts');
const entry = new URL(fromSources ? './node-threads-worker.ts' : './node-threads-worker.js', here).href;

/**
 * Every worker starts from this bootstrap. Run from the TypeScript sources, it loads tsx first:
 * the launcher registers tsx programmatically (bin/entangle.js), which workers do not inherit.
 * If the entry fails to load, the worker answers every job with that error (control words
 * STATE = 0, BUSY = 1, FAILED = 3, engine/parallel/control.ts) instead of leaving the main
 * thread blocked in Atomics.wait for a worker that never started.
 */
function bootstrap(): string {
  const tsx = fromSources ? `(await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();` : '';
  return `const { workerData } = require('node:worker_threads');
(async () => { ${tsx} await import(${JSON.stringify(entry)}); })().catch((e) => {
  const c = new Int32Array(workerData.control);
  const message = 'engine worker failed to start: ' + (e && e.message ? e.message : String(e));
  for (;;) {
    for (let s = Atomics.load(c, 0); s !== 1; s = Atomics.load(c, 0)) Atomics.wait(c, 0, s);
    workerData.port.postMessage({ type: 'error', name: 'Error', message });
    Atomics.store(c, 0, 3);
    Atomics.notify(c, 0);
  }
});`;
}

function startWorker(workerData: unknown, transfer: MessageChannel['port2']): Worker {
  return new Worker(bootstrap(), { eval: true, workerData, transferList: [transfer], ...(fromSources ? { execArgv: [] } : {}) });
}

export const nodeThreadRuntime: ThreadRuntime = {
  cores: availableParallelism(),
  spawn(control: SharedArrayBuffer): WorkerHandle {
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker({ control, port: port2 }, port2);
    worker.unref();
    port1.unref();
    // A worker that dies outside a job (start-up failure) would leave a waiting caller blocked:
    // its error is printed here; inside a job every error comes back as a reply.
    worker.on('error', (e) => process.stderr.write(`entangle engine worker failed: ${e instanceof Error ? e.message : String(e)}\n`));
    return {
      post: (m: ShardMessage) => port1.postMessage(m),
      receive: () => receiveMessageOnPort(port1)?.message as WorkerReply | undefined,
      terminate: () => {
        port1.close();
        void worker.terminate();
      },
    };
  },
};

setThreadRuntime(nodeThreadRuntime);
