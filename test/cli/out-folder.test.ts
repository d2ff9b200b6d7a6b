// `entangle train --out DIR` as a new user meets it: a folder of one's own files is never
// overwritten, --resume of nothing is refused, bad data is refused before any folder exists, and
// output-folder problems (a file, /proc, /sys) come back at once as one sentence.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import { RUN_MARKER } from '../../src/experiments/run-folder.js';
import { tinyConfigText } from '../experiments/helpers.js';

const MAIN = join(process.cwd(), 'src', 'cli', 'main.ts');

/** Run the CLI in this process; stdout (progress) is captured too. */
async function entangle(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const write = process.stdout.write;
  // Only the commands' text is captured: the test runner's own report travels over the same stdout
  // as serialized bytes and must pass through (swallowing it dropped tests from the run's report).
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    out.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli(['node', 'entangle', ...args], { write: (t) => err.push(t) });
    return { code, stderr: err.join(''), stdout: out.join('') };
  } finally {
    process.stdout.write = write;
  }
}

test('train refuses a folder of the user\'s own files (untouched) unless --force; --resume of a folder without a run is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'out-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, tinyConfigText({ epochs: 1 }));
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  for (const f of ['config.yaml', 'report.md']) writeFileSync(join(mine, f), `my own ${f}`);
  const refused = await entangle('train', config, '--out', mine);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `entangle: refusing to write into ${mine}: it holds files that are not an Entangle run (config.yaml, report.md); choose an empty or new --out, or add --force to write into it anyway (files with the run's names are replaced)\n`);
  assert.equal(readFileSync(join(mine, 'config.yaml'), 'utf8'), 'my own config.yaml');
  assert.equal(readFileSync(join(mine, 'report.md'), 'utf8'), 'my own report.md');
  assert.ok(!existsSync(join(mine, RUN_MARKER)), '!existsSync(join(mine, RUN_MARKER))');

  const empty = join(dir, 'empty');
  const resume = await entangle('train', config, '--out', empty, '--resume');
  assert.equal(resume.code, 1);
  assert.equal(resume.stderr, `entangle: nothing to resume in ${empty}: it does not exist; start the run without --resume, or give the --out of an existing one\n`);
  assert.equal((await entangle('train', config, '--out', mine, '--resume')).code, 1);
  assert.ok(!existsSync(empty), '!existsSync(empty)');

  const forced = await entangle('train', config, '--out', mine, '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /which holds files that are not an Entangle run \(config\.yaml, report\.md\) \(--force\)/);
  assert.equal(JSON.parse(readFileSync(join(mine, RUN_MARKER), 'utf8')).status, 'finished');
  // Now a run: training it again replaces it and says so, as before.
  const again = await entangle('train', config, '--out', mine);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /replacing the finished run in /);
});

test('a CSV label with a single class is refused before any folder exists, naming data.label and the class', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv1-'));
  writeFileSync(join(dir, 'one.csv'), 'a,b,kind\n1,2,yes\n3,4,yes\n5,6,yes\n2,2,yes\n');
  const config = join(dir, 'one.yaml');
  writeFileSync(config, tinyConfigText({ epochs: 1 }).replace(/data:\n(.*\n)+?model:/, 'data:\n  type: csv\n  path: one.csv\n  label: kind\n  split: { train: 2, val: 1, test: 1 }\nmodel:'));
  const runDir = join(dir, 'run');
  const r = await entangle('train', config, '--out', runDir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^entangle: .*one\.yaml:\d+: data\.label: .*one\.csv: the label column "kind" \(data\.label\) holds a single class, "yes", in all 4 rows; a classifier needs at least 2 classes/);
  assert.doesNotMatch(r.stderr, /oneHot/);
  assert.ok(!existsSync(runDir), 'nothing written');
});

test('output-folder problems: a file in the way, /sys, and /proc (which hangs Node\'s recursive mkdir) fail at once with the cause', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outerr-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, tinyConfigText({ epochs: 1 }));
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  const r1 = await entangle('train', config, '--out', join(file, 'run'));
  assert.equal(r1.stderr, `entangle: cannot create the run folder ${file}/run: ${file} is a file, not a folder; choose another --out\n`);
  const r2 = await entangle('train', config, '--out', file);
  assert.equal(r2.stderr, `entangle: cannot use ${file} as the run folder: it is a file, not a folder; choose another --out\n`);
  const r3 = await entangle('train', config, '--out', '/sys/entangle-test-run');
  assert.equal(r3.stderr, 'entangle: cannot create the run folder /sys/entangle-test-run: permission denied on /sys/entangle-test-run; choose an --out you can write to (or change the folder\'s permissions)\n');

  const started = Date.now();
  const r4 = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'train', config, '--out', '/proc/entangle-test/run'], { encoding: 'utf8', timeout: 90_000 });
  assert.notEqual(r4.error?.message.includes('ETIMEDOUT'), true, 'the CLI hung');
  assert.equal(r4.status, 1, r4.stderr);
  assert.equal(r4.stderr, 'entangle: cannot create the run folder /proc/entangle-test/run: /proc does not accept new files or folders (a read-only or virtual file system, such as /proc); choose an --out on a writable disk\n');
  assert.ok(Date.now() - started < 90_000, 'Date.now() - started < 90_000');
});
