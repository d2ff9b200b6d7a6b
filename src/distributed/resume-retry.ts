// Which failed jobs a coordinator restarted with --resume hands back to the workers: only the
// trials the sweep had already recorded as failed in sweep.json (what a user resumes to retry,
// as a local sweep's --resume re-runs its failed trials). A job that failed while no coordinator
// was attached is a result like a completed one: it is collected as it stands, not run again.
// Retrying it too made a trial's own error (a bad config value, which fails the same way every
// time) run twice and show `attempts: 2`, depending only on whether it failed before or after the
// coordinator went away.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_FILE, type SweepRow } from '../experiments/sweep.js';

/** Names of the trials `outDir`'s sweep.json records as failed (none when there is no file yet). */
export function trialsRecordedFailed(outDir: string): Set<string> {
  const file = join(outDir, SWEEP_FILE);
  if (!existsSync(file)) return new Set();
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { rows?: SweepRow[] };
  return new Set((saved.rows ?? []).filter((r) => r.status === 'failed' && !r.baseline).map((r) => r.name));
}
