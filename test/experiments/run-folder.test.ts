// Run folders never destroy anything: what a folder holds decides whether a run may write into
// it; a run that fails after its folder exists leaves a folder that says so; file-system errors
// come back as one sentence with the cause and the fix (injected errors: tests run as root here,
// and root ignores permission bits).

import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { compareExperiments } from '../../src/experiments/compare.js';
import { runExperiment } from '../../src/experiments/run.js';
import { checkFolder, inspectFolder, RUN_MARKER, type RunMarker } from '../../src/experiments/run-folder.js';
import { sweepExperiments } from '../../src/experiments/sweep.js';
import { createFolder, explainFsError, OutputFolderError } from '../../src/util/output-folder.js';
import { tinyConfigText } from './helpers.js';

const load = (text: string, overrides: string[] = []) => parseConfigText(text, 'tiny.yaml', { overrides, baseDir: process.cwd() });
const marker = (dir: string) => JSON.parse(readFileSync(join(dir, RUN_MARKER), 'utf8')) as RunMarker;
const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: something, ${syscall} '${path}'`), { code, syscall, path });

test('file-system errors become one sentence naming the cause and the fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fserr-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const cases: Array<[NodeJS.ErrnoException, RegExp]> = [
    [errno('ENOSPC', 'write', join(dir, 'run', 'summary.json.tmp-1')), new RegExp(`^cannot W: no space left on the device that holds ${dir}/run; free some space or choose an --out on another disk$`)],
    [errno('EDQUOT', 'write', join(dir, 'x')), /^cannot W: the disk quota is used up; free some space/],
    [errno('EROFS', 'mkdir', join(dir, 'run')), new RegExp(`^cannot W: ${dir} is on a read-only file system; choose an --out on a writable disk$`)],
    [errno('EACCES', 'open', join(dir, 'run')), new RegExp(`^cannot W: permission denied on ${dir}/run; choose an --out you can write to`)],
    [errno('EPERM', 'mkdir', '/sys/x'), /^cannot W: permission denied on \/sys\/x;/],
    [errno('ENOTDIR', 'mkdir', join(file, 'run')), new RegExp(`^cannot W: ${file} is a file, not a folder; choose another --out$`)],
    [errno('ENOENT', 'mkdir', join(dir, 'new')), new RegExp(`^cannot W: ${dir} does not accept new files or folders \\(a read-only or virtual file system, such as /proc\\)`)],
  ];
  for (const [e, expected] of cases) {
    const out = explainFsError(e, 'W');
    assert.ok(out instanceof OutputFolderError, e.code);
    assert.match(out.message, expected);
  }
  // Not ours to explain: a missing input file, a bug.
  const missing = errno('ENOENT', 'open', join(dir, 'data.csv'));
  assert.equal(explainFsError(missing, 'W'), missing);
  const bug = new TypeError('x is undefined');
  assert.equal(explainFsError(bug, 'W'), bug);
});

test('createFolder makes missing parents, refuses a file in the way, and fails fast under /proc and /sys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-'));
  createFolder(join(dir, 'a', 'b', 'c'));
  assert.ok(fs.statSync(join(dir, 'a', 'b', 'c')).isDirectory(), 'fs.statSync(join(dir, \'a\', \'b\', \'c\')).isDirectory()');
  createFolder(join(dir, 'a')); // existing: fine
  writeFileSync(join(dir, 'f'), '');
  assert.throws(() => createFolder(join(dir, 'f', 'run')), new RegExp(`${dir}/f is a file, not a folder`));
  // Node 20's recursive mkdir never returns under /proc; root cannot write /sys either.
  assert.throws(() => createFolder('/proc/entangle-test/run'), /\/proc does not accept new files or folders/);
  assert.throws(() => createFolder('/sys/entangle-test'), /permission denied on \/sys\/entangle-test/);
});

test('a folder of other files is refused (named) unless forced; --resume of no run is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'own-'));
  for (const f of ['config.yaml', 'report.md', 'notes.txt', 'z.csv']) writeFileSync(join(dir, f), 'mine');
  assert.deepEqual(inspectFolder(dir), { kind: 'other', entries: ['config.yaml', 'notes.txt', 'report.md', 'z.csv'] });
  assert.throws(() => checkFolder(dir, { kind: 'run', name: 'x', config: 'h' }), (e: Error) => {
    assert.ok(e instanceof OutputFolderError, 'e instanceof OutputFolderError');
    assert.equal(e.message, `refusing to write into ${dir}: it holds files that are not an Entangle run (config.yaml, notes.txt, report.md, … 4 in all); choose an empty or new --out, or add --force to write into it anyway (files with the run's names are replaced)`);
    return true;
  });
  const said: string[] = [];
  checkFolder(dir, { kind: 'run', name: 'x', config: 'h', force: true, onMessage: (m) => said.push(m) });
  assert.match(said[0], /which holds files that are not an Entangle run .* \(--force\)/);
  assert.throws(() => checkFolder(join(dir, 'none'), { kind: 'run', name: 'x', resume: true }), /nothing to resume in .*none: it does not exist; start the run without --resume/);
  assert.throws(() => checkFolder(dir, { kind: 'run', name: 'x', resume: true }), /nothing to resume in .*: the folder holds files that are not an Entangle run .*, no run;/);
  assert.throws(() => checkFolder(join(dir, 'report.md'), { kind: 'run', name: 'x' }), /it is a file, not a folder/);
  assert.throws(() => checkFolder(join(dir, 'report.md', 'run'), { kind: 'run', name: 'x' }), /report\.md is a file, not a folder/);
});

test('runs: a finished run of the same config is replaced (said), another config refused unless forced; the marker tells', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rf-')), 'run');
  const text = tinyConfigText({ epochs: 2 });
  await runExperiment(load(text), { outDir: dir, report: false });
  const m = marker(dir);
  assert.equal(m.kind, 'run');
  assert.equal(m.status, 'finished');
  assert.equal(m.epoch, 2);
  assert.equal(m.format, 1);
  assert.equal(m.config, JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).fingerprint.config);
  const messages: string[] = [];
  await runExperiment(load(text), { outDir: dir, report: false, reporter: { onMessage: (t) => messages.push(t) } });
  assert.ok(messages.some((t) => t.startsWith(`replacing the finished run in ${dir}`)), messages.join('\n'));
  await assert.rejects(runExperiment(load(text, ['training.optimizer.lr=0.01']), { outDir: dir, report: false }), new RegExp(`refusing to write into ${dir}: it holds a run of another config \\("tiny"\\); .* --force`));
  const forced = await runExperiment(load(text, ['training.optimizer.lr=0.01']), { outDir: dir, report: false, force: true });
  assert.equal(marker(dir).config, forced.summary.fingerprint.config);
});

test('a run that fails after its folder exists (no space left, injected) leaves a folder that says failed and why; the next --resume reports it', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'nospace-')), 'run');
  const text = tinyConfigText({ epochs: 3 });
  let checkpoints = 0;
  const realOpen = fs.openSync;
  mock.method(fs, 'openSync', (path: fs.PathLike, flags: fs.OpenMode, ...rest: unknown[]) => {
    if (String(path).includes('last.ckpt.tmp-') && ++checkpoints === 2) throw errno('ENOSPC', 'open', String(path));
    return (realOpen as (...a: unknown[]) => number)(path, flags, ...rest);
  });
  syncBuiltinESMExports(); // named imports of node:fs see the mock
  try {
    await assert.rejects(runExperiment(load(text), { outDir: dir, report: false }), (e: Error) => {
      assert.ok(e instanceof OutputFolderError, String(e));
      assert.equal(e.message, `cannot write the run folder ${dir}: no space left on the device that holds ${dir}/checkpoints; free some space or choose an --out on another disk`);
      return true;
    });
  } finally {
    mock.restoreAll();
    syncBuiltinESMExports();
  }
  const m = marker(dir);
  assert.equal(m.status, 'failed');
  assert.match(m.error ?? '', /no space left/);
  assert.ok(!existsSync(join(dir, 'summary.json')), 'no summary: the folder does not look like a finished run');
  const messages: string[] = [];
  const resumed = await runExperiment(load(text), { outDir: dir, report: false, resume: true, reporter: { onMessage: (t) => messages.push(t) } });
  assert.ok(messages.some((t) => t.startsWith(`the last run in ${dir} failed: cannot write the run folder`) && t.endsWith('continuing from its last checkpoint')), messages.join('\n'));
  assert.equal(resumed.summary.resumed_from_epoch, 1);
  assert.equal(marker(dir).status, 'finished');
});

test('validation comes before the folder: a model that does not fit the data writes nothing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'val-'));
  const bad = tinyConfigText().replace('    - dense: { units: 2 }\n', '    - dense: { units: 3 }\n');
  await assert.rejects(runExperiment(load(bad), { outDir: join(root, 'a') }), /model\.layers\[1\]\.dense\.units: the model outputs \[3\] values/);
  assert.ok(!existsSync(join(root, 'a')), 'no folder made');
});

test('compare and sweep: the same rules for their --out, checked before any run trains', async () => {
  const own = mkdtempSync(join(tmpdir(), 'cmp-own-'));
  writeFileSync(join(own, 'report.md'), 'mine');
  const configs = [load(tinyConfigText({ name: 'a', epochs: 1 })), load(tinyConfigText({ name: 'b', epochs: 1 }))];
  await assert.rejects(compareExperiments(configs, { outDir: own, report: false }), /refusing to write into .*: it holds files that are not an Entangle comparison \(report\.md\); .*--force/);
  await assert.rejects(compareExperiments(configs, { outDir: join(own, 'none'), resume: true }), /nothing to resume in .*none: it does not exist; start the comparison without --resume/);
  // A run folder of the comparison that holds someone's files is refused before run a trains again.
  const cmp = join(mkdtempSync(join(tmpdir(), 'cmp-')), 'cmp');
  await compareExperiments(configs.slice(0, 1), { outDir: cmp, report: false });
  assert.deepEqual([marker(cmp).kind, marker(cmp).status], ['compare', 'finished']);
  const summaryA = readFileSync(join(cmp, 'a', 'summary.json'));
  mkdirSync(join(cmp, 'b'));
  writeFileSync(join(cmp, 'b', 'notes.txt'), 'mine');
  await assert.rejects(compareExperiments(configs, { outDir: cmp, report: false }), /refusing to write into .*\/b: it holds files that are not an Entangle run \(notes\.txt\)/);
  assert.deepEqual(readFileSync(join(cmp, 'a', 'summary.json')), summaryA, 'run a was not trained again');
  // --resume of a comparison continues the runs that exist and starts the others.
  fs.rmSync(join(cmp, 'b'), { recursive: true });
  const both = await compareExperiments(configs, { outDir: cmp, report: false, resume: true });
  assert.deepEqual(both.rows.map((r) => r.epochs), [1, 1]);
  assert.equal(JSON.parse(readFileSync(join(cmp, 'a', 'summary.json'), 'utf8')).resumed_from_epoch, 1, 'a continued from its checkpoint');

  // Runs trained on their own into the comparison's folder (as the configs' output.dir does) are
  // gathered by compare --resume; train does not take such a folder for one run.
  const gathered = join(mkdtempSync(join(tmpdir(), 'cmp-g-')), 'g');
  await runExperiment(configs[0], { outDir: join(gathered, 'a'), report: false });
  assert.throws(() => checkFolder(gathered, { kind: 'run', name: 'x', config: 'h' }), /it holds run folders \(a\); choose an empty or new --out/);
  await compareExperiments(configs, { outDir: gathered, report: false, resume: true });
  assert.equal(JSON.parse(readFileSync(join(gathered, 'a', 'summary.json'), 'utf8')).resumed_from_epoch, 1);
  assert.equal(marker(gathered).kind, 'compare');

  const sweepConfig = join(own, 'sweep.yaml');
  writeFileSync(sweepConfig, tinyConfigText({ name: 's', epochs: 1 }));
  await assert.rejects(sweepExperiments(sweepConfig, { outDir: own, path: 'training.epochs', values: ['1'] }), /refusing to write into .*: it holds files that are not an Entangle sweep/);
  await assert.rejects(sweepExperiments(sweepConfig, { outDir: join(own, 'sw'), path: 'training.epochs', values: ['1'], baselines: [join(own, 'nope')] }), /baseline .*nope: no summary\.json there/);
  assert.ok(!existsSync(join(own, 'sw')), 'a missing baseline is found before the sweep starts');
});
