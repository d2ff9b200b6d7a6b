// Output folders: create them without hanging, and turn file-system errors into one sentence
// with the real cause and the fix. Node's own messages name a syscall, not the problem
// ("ENOENT: no such file or directory, mkdir '/proc/x'" for a folder that cannot hold new
// folders), and Node 20's recursive mkdir never returns on some virtual file systems (/proc), so
// folders are created here one level at a time from the nearest existing ancestor.

import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EntangleError } from './errors.js';

/** An output folder or file that cannot be created or written; the message says why and what to do. */
export class OutputFolderError extends EntangleError {
  constructor(message: string) {
    super('E_OUTPUT_FOLDER', message);
  }
  override name = 'OutputFolderError';
}

/** What to suggest after the cause (the CLI's option, by default). */
const FIX = {
  choose: 'choose another --out',
  writable: 'choose an --out on a writable disk',
  permission: 'choose an --out you can write to (or change the folder\'s permissions)',
  space: 'free some space or choose an --out on another disk',
} as const;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The deepest existing ancestor of `path` (itself included) and whether it is a folder. */
function nearestExisting(path: string): { path: string; isFolder: boolean } {
  let p = resolve(path);
  for (;;) {
    const st = statOrUndefined(p);
    if (st) return { path: p, isFolder: st.isDirectory() };
    const up = dirname(p);
    if (up === p) return { path: p, isFolder: true };
    p = up;
  }
}

/** The file that stands where `path` or one of its parents should be a folder, if any. */
export function blockingFile(path: string): string | undefined {
  const existing = nearestExisting(path);
  return existing.isFolder ? undefined : existing.path;
}

/**
 * An OutputFolderError for a file-system error met while doing `what` (e.g. "create the run
 * folder /a/b", "write /a/b/summary.json"), or the error itself when it is not one we can explain
 * (a bug, a damaged file: those keep their own message).
 */
export function explainFsError(error: unknown, what: string): unknown {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof OutputFolderError || typeof e?.code !== 'string') return error;
  const path = e.path ?? '';
  const say = (cause: string, fix: string) => new OutputFolderError(`cannot ${what}: ${cause}; ${fix}`);
  switch (e.code) {
    case 'ENOSPC':
      return say(`no space left on the device${path ? ` that holds ${dirname(path)}` : ''}`, FIX.space);
    case 'EDQUOT':
      return say('the disk quota is used up', FIX.space);
    case 'EROFS':
      return say(`${nearestExisting(path || '.').path} is on a read-only file system`, FIX.writable);
    case 'EACCES':
    case 'EPERM':
      return say(`permission denied${path ? ` on ${path}` : ''}`, FIX.permission);
    case 'ENOTDIR':
    case 'EEXIST': {
      const blocking = nearestExisting(path || '.');
      return blocking.isFolder ? error : say(`${blocking.path} is a file, not a folder`, FIX.choose);
    }
    case 'ENAMETOOLONG':
      return say('the path is too long', FIX.choose);
    case 'ENOENT': {
      // mkdir in a folder that exists but refuses new entries (procfs answers ENOENT). Any other
      // ENOENT (a missing input file) keeps its own message.
      const parent = path && e.syscall === 'mkdir' ? nearestExisting(dirname(path)) : undefined;
      return parent?.isFolder && parent.path === resolve(dirname(path))
        ? say(`${parent.path} does not accept new files or folders (a read-only or virtual file system, such as /proc)`, FIX.writable)
        : error;
    }
    default:
      return error;
  }
}

/**
 * Create `dir` and any missing parents, one level at a time (never hangs), or throw an
 * OutputFolderError naming the cause. An existing folder is fine; an existing file is not.
 */
export function createFolder(dir: string, what = `create the folder ${dir}`): void {
  const target = resolve(dir);
  const existing = nearestExisting(target);
  if (!existing.isFolder) throw new OutputFolderError(`cannot ${what}: ${existing.path} is a file, not a folder; ${FIX.choose}`);
  const missing: string[] = [];
  for (let p = target; p !== existing.path; p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrUndefined(p)?.isDirectory()) continue; // made by someone else meanwhile
      throw explainFsError(e, what);
    }
  }
}
