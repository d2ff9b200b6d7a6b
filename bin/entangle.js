#!/usr/bin/env node
// Launcher: run the compiled CLI (dist/, built by `npm ci` through the `prepare` script) when it
// is at least as new as every source file; else the TypeScript sources through tsx. The check
// keeps a developer who edited src/ (or switched branches) from silently running stale code; it
// costs a few milliseconds of stat calls, against about a second of CPU for compiling through tsx.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { currentBuild } from './built-is-current.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = currentBuild(root);
if (built) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
