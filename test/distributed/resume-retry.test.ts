// Which failed trials a resumed distributed sweep runs again: those sweep.json records as failed,
// nothing else (a job that failed while no coordinator was attached is collected as it stands).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { trialsRecordedFailed } from '../../src/distributed/resume-retry.js';

test('trialsRecordedFailed names the failed trial rows of sweep.json, and none when there is no file yet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'resume-retry-'));
  try {
    assert.deepEqual([...trialsRecordedFailed(dir)], [], 'a sweep interrupted before its first trial finished');
    const row = (name: string, status: string, baseline = false) => ({ name, status, baseline, attempts: 1 });
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ trials: 4, finished: 3, rows: [row('a', 'done'), row('b', 'failed'), row('c', 'failed'), row('ref', 'failed', true)] }));
    assert.deepEqual([...trialsRecordedFailed(dir)].sort(), ['b', 'c']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
