// Crash-safe file writes: write a temporary file in the same folder, fsync it, rename it over the
// target, then fsync the folder so the rename itself is durable. A reader (or a run killed with
// kill -9 at any instant) sees either the old file or the new one, never a mix or a half.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

const TEMP_MARK = '.tmp-';

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
