// A sweep trial as a BullMQ job, and what a worker does with one. The job's data is the
// TrialSpec (config text, overrides, split: nothing that must exist on the worker's disk except
// data files the config names) plus where the run folder goes: a path on storage every worker
// shares (`runDir`), or nothing, and then the worker trains into a temporary folder and sends the
// whole run folder back in the job's result for the coordinator to write.
//
// Failures: an EntangleError is the trial's own (a config value that cannot train, a data file
// that is not there) and fails the same way on every machine, so it becomes BullMQ's
// UnrecoverableError (failed at once, with its message); anything else is retried. A worker killed
// mid-trial is BullMQ's stalled job: retried on another worker, which resumes the shared run
// folder from its last checkpoint (the same weights as an uninterrupted run).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { holdsRun } from '../experiments/run-folder.js';
import { runTrial, type TrialSpec } from '../experiments/trial.js';
import type { RunSummary } from '../report/summary.js';
import { EntangleError } from '../util/errors.js';
import { packFolder, type PackedFolder } from './folder-transfer.js';
import { workerName } from './worker-name.js';

export const TRIAL_JOB_FORMAT = 1;

export interface TrialJobData {
  format: number;
  sweepId: string;
  spec: TrialSpec;
  /** The run folder on shared storage (the same path on every worker); null: send it back. */
  runDir: string | null;
  /** The coordinator's --resume found a run to continue in runDir. */
  resume: boolean;
  force: boolean;
}

export interface TrialJobResult {
  summary: RunSummary;
  /** host:pid of the worker process that ran it. */
  worker: string;
  /** The run folder's files, when runDir was null. */
  files?: PackedFolder;
}

/** What the processor reads of a BullMQ job (the sandboxed child gets a plain copy). */
export interface TrialJob {
  id?: string;
  data: TrialJobData;
  /** Times the job was taken by a worker, this time included (BullMQ counts it). */
  attemptsStarted?: number;
}

export async function processTrialJob(job: TrialJob): Promise<TrialJobResult> {
  const { data } = job;
  if (data?.format !== TRIAL_JOB_FORMAT) throw new UnrecoverableError(`job ${job.id}: not an Entangle trial of format ${TRIAL_JOB_FORMAT} (an older or newer entangle queued it; run the same version everywhere)`);
  // The sandboxed child runs one job at a time for the worker process that forked it.
  const worker = workerName(process.ppid);
  // A worker killed with SIGKILL leaves this child running; its job goes to another worker,
  // which must not find this one still writing the run folder. The IPC channel closes with the
  // parent: stop after the epoch's checkpoint (the trainer yields there when given a signal).
  const orphaned = new AbortController();
  const onDisconnect = () => orphaned.abort();
  process.once('disconnect', onDisconnect);
  try {
    if (data.runDir !== null) {
      // A retried job (its worker died) continues where the dead one's checkpoint stands.
      const resume = holdsRun(data.runDir) && (data.resume || (job.attemptsStarted ?? 1) > 1);
      const summary = await runTrial(data.spec, data.runDir, { resume, force: data.force, signal: orphaned.signal });
      return { summary, worker };
    }
    const scratch = mkdtempSync(join(tmpdir(), 'entangle-trial-'));
    try {
      const runDir = join(scratch, data.spec.name);
      const summary = await runTrial(data.spec, runDir, { signal: orphaned.signal });
      return { summary, worker, files: packFolder(runDir) };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } catch (e) {
    if (orphaned.signal.aborted) process.exit(1); // no one to report to: the job is retried elsewhere
    if (e instanceof EntangleError) throw new UnrecoverableError(e.message);
    throw e;
  } finally {
    process.off('disconnect', onDisconnect);
  }
}
