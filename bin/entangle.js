#!/usr/bin/env node
// Launcher: run the compiled CLI (dist/, built by `npm ci` through the `prepare` script) when it
// is at least as new as every source file; else the TypeScript sources through tsx. The check
// keeps a developer who edited src/ (or switched branches) from silently running stale code;
// it costs a few milliseconds of stat calls, against about a second for compiling through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli', 'main.js');

/** Whether any file under `dir` was modified after `time` (ms). */
function newerThan(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

async function runSources() {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}

const useBuilt = existsSync(built) && !(existsSync(join(root, 'src')) && newerThan(join(root, 'src'), statSync(built).mtimeMs));
if (useBuilt) {
  await import(pathToFileURL(built).href);
} else {
  await runSources();
}
