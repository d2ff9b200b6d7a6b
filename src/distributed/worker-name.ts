// The name BullMQ records as a job's processedBy (and the sweep table's `worker`): host:pid of the
// worker process. Its own module: the worker process imports it without loading the trial code
// (TensorFlow.js and the engine load only in the trial processes).

import { hostname } from 'node:os';

export function workerName(pid = process.pid): string {
  return `${hostname()}:${pid}`;
}
