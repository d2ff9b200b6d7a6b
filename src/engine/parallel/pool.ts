// One process-wide pool of engine workers, grown on demand and reused by every threaded QNode (a
// worker costs tens of milliseconds to start; a forward costs microseconds). Calls are
// synchronous: the main thread hands each worker its shard through the control words, computes
// shard 0 itself, then blocks in Atomics.wait until every worker is done. Workers are unref'd by
// the runtime, so a process that forgets terminateThreadPool still exits.

import { EngineInputError } from '../errors.js';
import { BUSY, CMD, CMD_EXIT, CONTROL_WORDS, COUNT, BATCH, DONE, EXITED, FAILED, IDLE, RUNNER, SHARD, START, STATE } from './control.js';
import { threadRuntime, type ShardMessage, type WorkerHandle, type WorkerReply } from './runtime.js';

interface PoolWorker {
  handle: WorkerHandle;
  ctrl: Int32Array;
}

const workers: PoolWorker[] = [];
/** Bumped by terminateThreadPool, so QNodes know their copies in the old workers are gone. */
let generation = 0;

export function poolGeneration(): number {
  return generation;
}

/** Make sure the pool has at least n workers; returns the first n. */
export function poolWorkers(n: number): readonly PoolWorker[] {
  while (workers.length < n) {
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    workers.push({ handle: threadRuntime().spawn(control), ctrl: new Int32Array(control) });
  }
  return workers.slice(0, n);
}

/** Number of workers started (for tests and reports). */
export function poolSize(): number {
  return workers.length;
}

/** Send a set-up message to worker w (read before its next job). */
export function postTo(w: number, message: ShardMessage): void {
  workers[w].handle.post(message);
}

export interface Job {
  /** Worker index in the pool. */
  worker: number;
  cmd: number;
  runner: number;
  shard: number;
  start: number;
  count: number;
  batch: number;
}

/**
 * Start every job, run `local` on this thread meanwhile, wait for all, then throw the first
 * failure in shard order (local's own error first: it is shard 0). Every worker is waited for
 * before anything is thrown, so no job is still writing into shared memory afterwards.
 */
export function runJobs(jobs: readonly Job[], local: () => void): void {
  for (const j of jobs) {
    const c = workers[j.worker].ctrl;
    c[CMD] = j.cmd;
    c[RUNNER] = j.runner;
    c[SHARD] = j.shard;
    c[START] = j.start;
    c[COUNT] = j.count;
    c[BATCH] = j.batch;
    Atomics.store(c, STATE, BUSY);
    Atomics.notify(c, STATE);
  }
  let localError: unknown;
  try {
    local();
  } catch (e) {
    localError = e;
  }
  const failures: Error[] = [];
  let exited = false;
  for (const j of jobs) {
    const w = workers[j.worker];
    while (Atomics.load(w.ctrl, STATE) === BUSY) Atomics.wait(w.ctrl, STATE, BUSY);
    const state = Atomics.load(w.ctrl, STATE);
    Atomics.store(w.ctrl, STATE, IDLE);
    exited ||= state === EXITED;
    if (state === FAILED || state === EXITED) failures.push(replyError(w.handle.receive(), j));
    else if (state !== DONE) failures.push(new Error(`engine worker ${j.worker} ended a job in state ${state}`));
  }
  if (exited) terminateThreadPool(); // a worker's thread is gone: start afresh rather than post to it
  if (localError !== undefined) throw localError;
  if (failures.length > 0) throw failures[0];
}

/**
 * The worker's error as one of ours, its message kept and its place added: a shard's sample
 * numbers count from the shard's first sample, so the message says which samples of the batch.
 */
function replyError(reply: WorkerReply | undefined, j: Job): Error {
  const where = `samples ${j.start}..${j.start + j.count - 1} of the batch of ${j.batch}, engine worker ${j.worker}`;
  if (!reply) return new Error(`engine worker ${j.worker} failed without saying why (${where})`);
  const message = `${reply.message} (in ${where})`;
  if (reply.name === 'EngineInputError') return new EngineInputError(message, reply.code);
  const e = new Error(message);
  e.name = reply.name;
  return e;
}

/** Stop every worker (idle ones leave their loop; the runtime terminates them). Safe to call twice. */
export function terminateThreadPool(): void {
  generation++;
  for (const w of workers.splice(0)) {
    w.ctrl[CMD] = CMD_EXIT;
    Atomics.store(w.ctrl, STATE, BUSY);
    Atomics.notify(w.ctrl, STATE);
    w.handle.terminate();
  }
}
