// Child process for test/util/atomic-file.test.ts: starts an atomic write and stops at the instant
// between the complete temporary file and the rename, tells the parent (one JSON line on stdout),
// then blocks until the parent kills it with SIGKILL.
//
//   node --conditions=source --import tsx test/util/atomic-write-child.ts file|checkpoint TARGET

import { writeSync } from 'node:fs';
import { setBeforeRenameHook, writeFileAtomic } from '../../src/util/atomic-file.js';
import { writeCheckpoint } from '../../src/train/checkpoint.js';
import { checkpointAtEpoch, NEW_TEXT } from './atomic-fixtures.js';

const [mode, target] = process.argv.slice(2);

setBeforeRenameHook((tempPath, targetPath) => {
  // writeSync: the line must be out before we block (a pipe write may otherwise be queued).
  writeSync(1, JSON.stringify({ tempPath, targetPath }) + '\n');
  // Block the only thread without spinning; the parent kills us long before the time-out, which
  // is only there so that a broken test never leaves a process behind.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  process.exit(3);
});

if (mode === 'file') writeFileAtomic(target, NEW_TEXT);
else if (mode === 'checkpoint') writeCheckpoint(target, checkpointAtEpoch(2));
else throw new Error(`atomic-write-child: mode must be file or checkpoint, got ${mode}`);
// Reaching this line means the write never called the hook: the parent sees exit code 0 without
// the JSON line and fails with that message.
