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
 * Run from the TypeScript sources, a worker must load tsx itself: the launcher registers it
 * programmatically (bin/entangle.js), which workers do not inherit. Run from dist/, it is plain JS.
 */
function startWorker(workerData: unknown, transfer: MessageChannel['port2']): Worker {
  if (!fromSources) return new Worker(new URL(entry), { workerData, transferList: [transfer] });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, transferList: [transfer], execArgv: [] });
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
