// Whether dist/ (the compiled CLI) is at least as new as every file under src/: the launcher
// (bin/entangle.js) runs dist/ only then, and the start-up benchmark refuses to measure otherwise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Whether any file under `dir` was modified after `time` (ms since the epoch). */
function newerThan(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

/**
 * The compiled entry point under `root` if it exists and no source is newer, else undefined.
 * (npm pack gives every file of a package the same mtime, so an installed package, sources
 * included, runs dist/.)
 */
export function currentBuild(root) {
  const built = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(built)) return undefined;
  const src = join(root, 'src');
  return existsSync(src) && newerThan(src, statSync(built).mtimeMs) ? undefined : built;
}
