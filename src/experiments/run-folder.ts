// What an output folder holds, and the rules for writing a run (or a comparison or sweep) into
// it. A run folder carries a marker, `.entangle-run.json`, written before anything else when the
// run starts and updated when it finishes, is interrupted or fails. So a folder says what it is:
// Entangle never writes into a folder of the user's own files (unless --force), never mistakes an
// unfinished or failed run for a finished one, and --resume refuses a folder that holds no run.
//
// Folders written before the marker existed are recognised by their files (config.yaml with a
// checkpoint or summary.json; comparison.json; sweep.json) and treated as runs.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE } from '../train/trainer.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { blockingFile, createFolder, explainFsError, OutputFolderError } from '../util/output-folder.js';
import { RunInterruptedError } from './interrupted.js';

export const RUN_MARKER = '.entangle-run.json';
export const RUN_MARKER_FORMAT = 1;

export type FolderKind = 'run' | 'compare' | 'sweep';
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed';

export interface RunMarker {
  format: number;
  kind: FolderKind;
  name: string;
  /** Hash of the computational config (runs; the fingerprint's config part). */
  config?: string;
  status: RunStatus;
  started: string;
  updated: string;
  /** Epochs in the checkpoint when the status was written (runs). */
  epoch?: number;
  /** Why the run failed (status failed). */
  error?: string;
}

export type FolderContents =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'file' }
  | { kind: 'marked'; marker: RunMarker }
  | { kind: 'legacy'; folder: FolderKind }
  /** Only run folders (runs trained with their configs' output.dir, or by hand for a compare). */
  | { kind: 'runs'; entries: string[] }
  | { kind: 'other'; entries: string[] };

const WHAT: Record<FolderKind, string> = { run: 'run', compare: 'comparison', sweep: 'sweep' };

function readMarker(dir: string): RunMarker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, RUN_MARKER), 'utf8')) as RunMarker;
    return typeof m === 'object' && m !== null && typeof m.kind === 'string' && typeof m.status === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** What `dir` holds now (`runsInside`: look whether its subfolders are runs, one level down). */
export function inspectFolder(dir: string, runsInside = true): FolderContents {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return { kind: 'file' };
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    throw explainFsError(e, `read the folder ${dir}`);
  }
  if (entries.length === 0) return { kind: 'empty' };
  const marker = entries.includes(RUN_MARKER) ? readMarker(dir) : undefined;
  if (marker) return { kind: 'marked', marker };
  const has = (f: string) => existsSync(join(dir, f));
  if (has('config.yaml') && (has(CHECKPOINT_FILE) || has('summary.json'))) return { kind: 'legacy', folder: 'run' };
  if (has('comparison.json')) return { kind: 'legacy', folder: 'compare' };
  if (has('sweep.json')) return { kind: 'legacy', folder: 'sweep' };
  if (runsInside && entries.every((e) => isRun(inspectFolder(join(dir, e), false)))) return { kind: 'runs', entries: entries.sort() };
  return { kind: 'other', entries: entries.sort() };
}

/** Whether `dir` holds a run (marked or from before markers) that --resume can continue. */
export function holdsRun(dir: string): boolean {
  return isRun(inspectFolder(dir, false));
}

function isRun(c: FolderContents): boolean {
  return (c.kind === 'marked' && c.marker.kind === 'run') || (c.kind === 'legacy' && c.folder === 'run');
}

export interface FolderRequest {
  kind: FolderKind;
  name: string;
  /** Runs: hash of the computational config, compared with the marker's. */
  config?: string;
  resume?: boolean;
  /** Write into a folder that is not a run of this config. */
  force?: boolean;
  onMessage?: (text: string) => void;
}

function describe(contents: FolderContents, what: string): string {
  switch (contents.kind) {
    case 'marked':
      return `a ${WHAT[contents.marker.kind]} ("${contents.marker.name}")`;
    case 'legacy':
      return `a ${WHAT[contents.folder]}`;
    case 'runs':
      return `run folders (${contents.entries.join(', ')})`;
    case 'other': {
      const shown = contents.entries.slice(0, 3).join(', ');
      return `files that are not an Entangle ${what} (${shown}${contents.entries.length > 3 ? `, … ${contents.entries.length} in all` : ''})`;
    }
    default:
      return 'nothing';
  }
}

function statusNote(m: RunMarker): string {
  if (m.status === 'failed') return `failed${m.epoch !== undefined ? ` after epoch ${m.epoch}` : ''}: ${m.error ?? 'no reason recorded'}`;
  if (m.status === 'interrupted') return `was interrupted after epoch ${m.epoch ?? 0}`;
  if (m.status === 'running') return 'did not finish (the process stopped or is still running)';
  return 'finished';
}

/**
 * Check `dir` against the rules for `request`, before anything is written; throws an
 * OutputFolderError saying what the folder holds and what to do. Messages about what will be
 * replaced or continued go to `onMessage`.
 */
export function checkFolder(dir: string, request: FolderRequest): FolderContents {
  const contents = inspectFolder(dir);
  const what = WHAT[request.kind];
  const say = (text: string) => request.onMessage?.(text);
  if (contents.kind === 'file') throw new OutputFolderError(`cannot use ${dir} as the ${what} folder: it is a file, not a folder; choose another --out`);
  const file = contents.kind === 'absent' ? blockingFile(dir) : undefined;
  if (file) throw new OutputFolderError(`cannot create the ${what} folder ${dir}: ${file} is a file, not a folder; choose another --out`);
  const same =
    (contents.kind === 'marked' && contents.marker.kind === request.kind) ||
    (contents.kind === 'legacy' && contents.folder === request.kind) ||
    // A comparison or sweep may gather runs trained on their own (e.g. into their config's output.dir).
    (contents.kind === 'runs' && request.kind !== 'run');
  if (request.resume) {
    if (!same) {
      const holds = contents.kind === 'absent' ? 'it does not exist' : `the folder holds ${describe(contents, what)}, no ${what}`;
      throw new OutputFolderError(`nothing to resume in ${dir}: ${holds}; start the ${what} without --resume, or give the --out of an existing one`);
    }
    if (contents.kind === 'marked' && contents.marker.status !== 'finished' && contents.marker.status !== 'running') say(`the last ${what} in ${dir} ${statusNote(contents.marker)}; continuing from its last checkpoint`);
    return contents;
  }
  if (contents.kind === 'absent' || contents.kind === 'empty') return contents;
  const sameConfig = same && (contents.kind !== 'marked' || request.config === undefined || contents.marker.config === request.config);
  if (sameConfig) {
    if (contents.kind === 'marked' && contents.marker.status !== 'finished') say(`the last ${what} in ${dir} ${statusNote(contents.marker)}; starting it again (--resume continues it instead)`);
    return contents;
  }
  const holds = same ? `a ${what} of another config ("${(contents as { marker: RunMarker }).marker.name}")` : describe(contents, what);
  if (!request.force) {
    throw new OutputFolderError(
      `refusing to write into ${dir}: it holds ${holds}; choose an empty or new --out, or add --force to write into it anyway (files with the ${what}'s names are replaced)`,
    );
  }
  say(`writing into ${dir}, which holds ${holds} (--force)`);
  return contents;
}

/** Create the folder (if needed) and mark it: a `request.kind` in progress. */
export function startFolder(dir: string, request: FolderRequest, previous: FolderContents): RunMarker {
  createFolder(dir, `create the ${WHAT[request.kind]} folder ${dir}`);
  const now = new Date().toISOString();
  const kept = previous.kind === 'marked' && previous.marker.kind === request.kind ? previous.marker.started : now;
  const marker: RunMarker = { format: RUN_MARKER_FORMAT, kind: request.kind, name: request.name, ...(request.config ? { config: request.config } : {}), status: 'running', started: request.resume ? kept : now, updated: now };
  writeMarker(dir, marker);
  return marker;
}

export function writeMarker(dir: string, marker: RunMarker): void {
  try {
    writeFileAtomic(join(dir, RUN_MARKER), JSON.stringify(marker, null, 2) + '\n');
  } catch (e) {
    throw explainFsError(e, `write ${join(dir, RUN_MARKER)}`);
  }
}

/** Record a new status (and epoch / error) in the folder's marker. */
export function updateMarker(dir: string, marker: RunMarker, change: Pick<RunMarker, 'status'> & Partial<Pick<RunMarker, 'epoch' | 'error'>>): RunMarker {
  const next: RunMarker = { ...marker, ...change, updated: new Date().toISOString() };
  if (change.status !== 'failed') delete next.error;
  writeMarker(dir, next);
  return next;
}

/**
 * Mark the folder failed with the error's message; never throws (the error being reported may be
 * the full disk that also stops this write, and that error is the one to show).
 */
export function markFailed(dir: string, marker: RunMarker, error: unknown, epoch?: number): void {
  try {
    updateMarker(dir, marker, { status: 'failed', error: (error as Error)?.message ?? String(error), ...(epoch !== undefined ? { epoch } : {}) });
  } catch {
    // The run is reported as failed by the error the caller rethrows.
  }
}

/**
 * Create and mark `dir`, run `body`, and record how it ended in the marker: finished (with
 * `epochOf(result)`), interrupted (a RunInterruptedError, rethrown as resumable: the folder now
 * holds something --resume continues) or failed (with the error, rethrown in one sentence when it
 * is a file-system error).
 */
export async function inMarkedFolder<T>(dir: string, request: FolderRequest, previous: FolderContents, body: () => Promise<T>, epochOf?: (result: T) => number): Promise<T> {
  const marker = startFolder(dir, request, previous);
  let result: T;
  try {
    result = await body();
  } catch (e) {
    if (e instanceof RunInterruptedError) {
      try {
        updateMarker(dir, marker, { status: 'interrupted', ...(e.epoch !== null ? { epoch: e.epoch } : {}) });
      } catch {
        // The checkpoint is what --resume needs; the marker only describes it.
      }
      throw e.resumable ? e : new RunInterruptedError(e.epoch, e.runDir, true, e.runName);
    }
    const explained = explainFsError(e, `write the ${WHAT[request.kind]} folder ${dir}`);
    markFailed(dir, marker, explained);
    throw explained;
  }
  updateMarker(dir, marker, { status: 'finished', ...(epochOf ? { epoch: epochOf(result) } : {}) });
  return result;
}
