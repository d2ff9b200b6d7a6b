// `entangle worker`: takes trials off the queue and trains them, `concurrency` at a time, until
// stopped (SIGINT / SIGTERM: finish the running trials, take no new ones) or until the Redis server
// is gone for good (QueueConnectionLostError).
//
// Each trial runs in a child process (BullMQ's sandboxed processor, `processorFile`): training
// keeps a process's event loop busy for a whole epoch, and the worker process must stay free to
// renew the job's lock meanwhile, or BullMQ would take a long epoch for a dead worker and hand
// the trial to another one. A worker killed with SIGKILL stops renewing: after `lockMs` its jobs
// count as stalled, and the next stalled check of any live worker (every `stalledMs`) puts them
// back on the queue; maxStalledCount of them end as failed ("stalled more than allowable limit").

import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { bullConnection, connectionFailureReason, ensureReachable, watchConnection } from './connection.js';
import { maskQueueUrl, parseQueueUrl } from './queue-url.js';
// Types only: the worker process itself never loads the trial code (see worker-name.ts).
import type { TrialJobData, TrialJobResult } from './trial-job.js';
import { workerName } from './worker-name.js';

/** BullMQ's defaults: a trial counts as stalled 30 s after its worker stopped renewing the lock. */
export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_STALLED_MS = 30_000;
/** Dead workers a trial survives before it is failed. */
export const MAX_STALLED = 2;

export interface WorkerOptions {
  url: string;
  concurrency: number;
  /** The sandboxed processor: a module whose default export is processTrialJob. */
  processorFile: string;
  /** Extra node flags for the processor's child processes (e.g. a TypeScript loader). */
  childExecArgv?: string[];
  lockMs?: number;
  stalledMs?: number;
  /** One line per event (started, done, failed, errors); never holds the password. */
  log(line: string): void;
  /** Stop taking trials and finish the running ones. */
  signal: AbortSignal;
}

export async function runWorker(options: WorkerOptions): Promise<void> {
  const target = parseQueueUrl(options.url);
  await ensureReachable(target);
  const connection = await bullConnection(target);
  const watcher = await watchConnection(target);
  const name = workerName();
  const worker = new Worker<TrialJobData, TrialJobResult>(target.name, options.processorFile, {
    connection: connection as unknown as ConnectionOptions,
    concurrency: options.concurrency,
    name,
    lockDuration: options.lockMs ?? DEFAULT_LOCK_MS,
    stalledInterval: options.stalledMs ?? DEFAULT_STALLED_MS,
    maxStalledCount: MAX_STALLED,
    useWorkerThreads: false,
    ...(options.childExecArgv ? { workerForkOptions: { execArgv: options.childExecArgv } } : {}),
  });
  const trialOf = (job: Job<TrialJobData> | undefined) => job?.data?.spec?.name ?? job?.id ?? '?';
  worker.on('active', (job) => options.log(`${name}: started ${trialOf(job)} (job ${job.id}, attempt ${job.attemptsStarted})`));
  worker.on('completed', (job, result) => options.log(`${name}: done ${trialOf(job)}: test accuracy ${result.summary.test_accuracy ?? '-'}`));
  worker.on('failed', (job, error) => options.log(`${name}: failed ${trialOf(job)}: ${maskQueueUrl(error.message)}`));
  let lastError = '';
  worker.on('error', (error) => {
    const line = maskQueueUrl(connectionFailureReason(error));
    if (line !== lastError) options.log(`${name}: ${line}`);
    lastError = line;
  });
  options.log(`${name}: waiting for trials on ${target.display} (concurrency ${options.concurrency})`);
  try {
    const stopped = new Promise<void>((resolve) => (options.signal.aborted ? resolve() : options.signal.addEventListener('abort', () => resolve(), { once: true })));
    const lost = await Promise.race([stopped.then(() => null), watcher.lost]);
    if (lost) throw lost;
    options.log(`${name}: stopping: finishing the running trials, taking no new ones`);
    await worker.close();
  } finally {
    watcher.close();
    await worker.close(true).catch(() => undefined);
    connection.disconnect();
  }
}
