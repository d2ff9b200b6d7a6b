// Crash-safe file writes: write a temporary file in the same folder, fsync it, rename it over the
// target, then fsync the folder so the rename itself is durable. A reader (or a run killed with
// kill -9 at any instant) sees either the old file or the new one, never a mix or a half.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

const TEMP_MARK = '.tmp-';

/** Called with the temporary and the target path between the complete temporary file and the rename. */
export type BeforeRenameHook = (tempPath: string, targetPath: string) => void;

let beforeRename: BeforeRenameHook | undefined;

/**
 * Test seam, never set in production: `hook` runs after the temporary file is written, fsynced and
 * closed and before the rename, the one instant where a crash leaves the old target plus a stray
 * temporary file. Tests throw there, or block there while they kill the process, to prove that a
 * reader still sees the previous file. Pass undefined to remove it.
 */
export function setBeforeRenameHook(hook: BeforeRenameHook | undefined): void {
  beforeRename = hook;
}

/** Write `data` to `path` atomically, creating the folder if needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `${basename(path)}${TEMP_MARK}${process.pid}-${counter++}`);
  const fd = openSync(temp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  // A throwing hook leaves the temporary file behind, exactly as a crash here would.
  beforeRename?.(temp, path);
  renameSync(temp, path);
  fsyncDir(dir);
}

/** fsync a folder (makes a rename durable); ignored where the platform cannot (Windows). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms refuse to open or fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Remove temporary files a killed writer left behind in `dir` (not recursive). */
export function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.includes(TEMP_MARK)) rmSync(join(dir, name), { force: true });
}
