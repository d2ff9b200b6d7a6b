// The coordinator side of a distributed sweep: a TrialExecutor that puts every trial on a BullMQ
// queue and collects the outcomes as workers (`entangle worker`, on any machine) finish them.
//
// Jobs are keyed `<sweep id>-<trial index>`, the sweep id written to <out>/queue.json before the
// first job is added: a coordinator restarted with --resume reads it back and adds the same jobs
// again, which BullMQ ignores for ids it holds (idempotent), then collects the finished ones from
// Redis (finished jobs are kept for a week) and waits for the rest. A fresh sweep into the same
// folder gets a new id, so it trains again instead of reading an old sweep's results.
//
// A trial is counted once: by its job id, in the sweep's own table (sweep.ts ignores a second
// report of the same trial). Its `attempts` is BullMQ's attemptsStarted: the times a worker took
// the job, across coordinator sessions (1, plus one per retry after a dead worker or an unexpected
// error, plus one per --resume that re-ran it after the sweep recorded it as failed).

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Job, Queue, type ConnectionOptions } from 'bullmq';
import type { ExecutorTrial, TrialExecutor, TrialOutcome } from '../experiments/sweep.js';
import { RunInterruptedError } from '../experiments/interrupted.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EntangleError } from '../util/errors.js';
import { sha256Hex } from '../util/hash.js';
import { bullConnection, ensureReachable, watchConnection } from './connection.js';
import { unpackFolder } from './folder-transfer.js';
import { parseQueueUrl, type QueueTarget } from './queue-url.js';
import { trialsRecordedFailed } from './resume-retry.js';
import { TRIAL_JOB_FORMAT, type TrialJobData, type TrialJobResult } from './trial-job.js';

export const QUEUE_FILE = 'queue.json';
/** How long Redis keeps a finished job (what --resume re-attaches to). */
export const KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

export interface QueueExecutorOptions {
  /** redis://HOST:PORT[/NAME] */
  url: string;
  /** The sweep folder is on storage every worker mounts at the same path: trials write there. */
  sharedDir: boolean;
  /** Tries per trial for unexpected errors (a trial's own error fails at once). Default 2. */
  attempts?: number;
  /** How often to look at the jobs' states (ms). Default 500. */
  pollMs?: number;
}

export class QueueJobError extends EntangleError {
  override name = 'QueueJobError';
  constructor(message: string) {
    super('E_QUEUE_JOB', message);
  }
}

interface QueueFile {
  sweep_id: string;
  queue: string;
  shared_dir: boolean;
  created: string;
}

/** The sweep's id: read back on --resume, else new (and written before any job exists). */
function sweepIdFor(outDir: string, trials: ExecutorTrial[], target: QueueTarget, sharedDir: boolean, resume: boolean, say: (m: string) => void): string {
  const file = join(outDir, QUEUE_FILE);
  if (resume && existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as QueueFile;
    if (saved.queue !== target.display) say(`${file} names the queue ${saved.queue}; re-attaching through ${target.display}`);
    return saved.sweep_id;
  }
  const created = new Date().toISOString();
  const slug = basename(outDir).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'sweep';
  const digest = sha256Hex(JSON.stringify({ outDir, created, trials: trials.map((t) => [t.spec.name, t.spec.overrides]) })).slice(0, 12);
  const id = `${slug}-${digest}`;
  writeFileAtomic(file, JSON.stringify({ sweep_id: id, queue: target.display, shared_dir: sharedDir, created } satisfies QueueFile, null, 2) + '\n');
  return id;
}

export const jobIdOf = (sweepId: string, index: number) => `${sweepId}-${index}`;

/** Wait `ms`, or less when `signal` fires (its listener removed either way). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });

export function queueExecutor(options: QueueExecutorOptions): TrialExecutor {
  const execute: TrialExecutor = async (trials, context) => {
    const target = parseQueueUrl(options.url);
    const say = (m: string) => context.reporter?.onMessage?.(m);
    await ensureReachable(target);
    const sweepId = sweepIdFor(context.outDir, trials, target, options.sharedDir, context.resume, say);
    const connection = await bullConnection(target);
    const watcher = await watchConnection(target);
    const queue = new Queue<TrialJobData, TrialJobResult>(target.name, { connection: connection as unknown as ConnectionOptions });
    queue.on('error', () => undefined); // the watcher reports a lost server; polling reports the rest
    try {
      const byId = new Map(trials.map((t) => [jobIdOf(sweepId, t.spec.index), t]));
      await Promise.race([
        queue.addBulk(
          trials.map((t) => ({
            name: t.spec.name,
            data: { format: TRIAL_JOB_FORMAT, sweepId, spec: t.spec, runDir: options.sharedDir ? t.runDir : null, resume: t.resume, force: context.force },
            opts: { jobId: jobIdOf(sweepId, t.spec.index), attempts: options.attempts ?? 2, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: { age: KEEP_FINISHED_SECONDS }, removeOnFail: { age: KEEP_FINISHED_SECONDS } },
          })),
        ),
        watcher.lost.then((e) => Promise.reject(e)),
      ]);
      say(`queued ${trials.length} trials as sweep ${sweepId} on ${target.display}; run \`entangle worker --queue ${target.display}\` on any machine that reaches it${options.sharedDir ? ` and mounts ${context.outDir}` : ''}`);
      if (context.resume) {
        // A trial the sweep recorded as failed gets one more try; one that failed while no
        // coordinator was attached is collected as it stands (resume-retry.ts says why).
        const recordedFailed = trialsRecordedFailed(context.outDir);
        for (const [id, trial] of byId) {
          if (recordedFailed.has(trial.spec.name) && (await queue.getJobState(id)) === 'failed') await (await Job.fromId(queue, id))?.retry('failed');
        }
      }
      const pending = new Set(byId.keys());
      while (pending.size > 0) {
        await Promise.race([collect(queue, pending, byId, options.sharedDir, context.onFinished, say), watcher.lost.then((e) => Promise.reject(e))]);
        if (pending.size === 0) break;
        if (context.signal?.aborted) throw new RunInterruptedError(null, context.outDir, true, `the sweep's coordinator (its ${pending.size} unfinished trials stay queued for the workers)`);
        await Promise.race([sleep(options.pollMs ?? 500, context.signal), watcher.lost.then((e) => Promise.reject(e))]);
      }
    } finally {
      watcher.close();
      await queue.close().catch(() => undefined);
      connection.disconnect();
    }
  };
  // A bad URL, a missing driver or a server that does not answer: refused before the sweep folder exists.
  execute.preflight = () => ensureReachable(parseQueueUrl(options.url));
  return execute;
}

/** Report every job of `pending` that has finished (and forget it). */
async function collect(queue: Queue<TrialJobData, TrialJobResult>, pending: Set<string>, byId: Map<string, ExecutorTrial>, sharedDir: boolean, onFinished: (t: ExecutorTrial, o: TrialOutcome) => void, say: (m: string) => void): Promise<void> {
  for (const id of [...pending]) {
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') {
      if (state === 'unknown') throw new QueueJobError(`the job ${id} of this sweep is no longer on the queue (removed by hand, or older than ${KEEP_FINISHED_SECONDS / 86400} days); run the sweep again without --resume`);
      continue;
    }
    const job = await Job.fromId<TrialJobData, TrialJobResult>(queue, id);
    if (!job) continue; // removed between the two reads: the next look reports it as unknown
    const trial = byId.get(id) as ExecutorTrial;
    const attempts = Math.max(1, job.attemptsStarted ?? job.attemptsMade);
    let outcome: TrialOutcome;
    if (state === 'completed') {
      const result = job.returnvalue;
      if (!sharedDir && result.files) unpackFolder(result.files, trial.runDir);
      outcome = { status: 'done', summary: result.summary, attempts, worker: job.processedBy ?? result.worker };
    } else {
      outcome = { status: 'failed', summary: null, error: job.failedReason || 'no reason recorded', attempts, worker: job.processedBy ?? '-' };
    }
    pending.delete(id);
    say(`trial ${trial.spec.name}: ${outcome.status} on ${outcome.worker}${attempts > 1 ? ` after ${attempts} attempts` : ''}${outcome.error ? ` (${outcome.error})` : ''}`);
    onFinished(trial, outcome);
  }
}
