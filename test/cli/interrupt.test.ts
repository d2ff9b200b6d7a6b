// SIGINT / SIGTERM during `entangle train`: the run stops after an epoch's checkpoint, says which
// epoch and the exact command that continues it, exits 130 / 143, and that command ends with the
// weights of an uninterrupted run.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandLine, exitCodeFor, resumeCommand, shellQuote } from '../../src/cli/interrupt.js';
import { loadConfigFile } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { RUN_MARKER } from '../../src/experiments/run-folder.js';
import { readCheckpoint } from '../../src/train/checkpoint.js';
import { tinyConfigText } from '../experiments/helpers.js';

const MAIN = join(process.cwd(), 'src', 'cli', 'main.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start `entangle ARGS`, send `signal` once `metrics.jsonl` in `runDir` has `lines` epochs; resolves to the exit. */
async function interruptAfter(args: string[], runDir: string, lines: number, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const metrics = join(runDir, 'metrics.jsonl');
  const deadline = Date.now() + 120_000;
  while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').length > lines)) {
    assert.ok(Date.now() < deadline, `the run never wrote epoch ${lines}: ${stderr}`);
    await sleep(5);
  }
  child.kill(signal);
  const code = await exited;
  return { code, stdout, stderr };
}

test('resume commands: the argv as typed plus --resume, quoted for a POSIX shell', () => {
  assert.equal(shellQuote('runs/a-1.5=x'), 'runs/a-1.5=x');
  assert.equal(shellQuote('run dir'), "'run dir'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote(''), "''");
  assert.equal(resumeCommand(['train', 'c.yaml', '--set', 'model.layers[0]={ dense: 3 }']), "entangle train c.yaml --set 'model.layers[0]={ dense: 3 }' --resume");
  assert.equal(resumeCommand(['train', 'c.yaml', '--resume']), 'entangle train c.yaml --resume');
  assert.equal(resumeCommand(['x', '--', '-y']), 'entangle x --resume -- -y');
  assert.equal(commandLine(['train', 'a b.yaml']), "entangle train 'a b.yaml'");
  assert.equal(exitCodeFor('SIGINT'), 130);
  assert.equal(exitCodeFor('SIGTERM'), 143);
});

test('SIGINT mid-run (circles example): stops after a checkpoint, prints the epoch and the resume command, exits 130; resuming gives the uninterrupted weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigint-'));
  const runDir = join(dir, 'run dir'); // a space: the printed command must quote it
  const args = ['train', 'examples/circles/hybrid.yaml', '--out', runDir, '--set', 'training.epochs=12', '--set', 'name=circles-sigint'];
  const r = await interruptAfter(args, runDir, 2, 'SIGINT');
  assert.equal(r.code, 130, r.stderr);
  const m = /^interrupted after epoch (\d+); continue with: (.*)$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
  const epoch = Number(m[1]);
  assert.equal(m[2], `entangle train examples/circles/hybrid.yaml --out '${runDir}' --set training.epochs=12 --set name=circles-sigint --resume`);
  assert.ok(epoch >= 2 && epoch < 12, `epoch ${epoch}`);
  assert.equal(readCheckpoint(join(runDir, 'checkpoints', 'last.ckpt')).epoch, epoch, 'the printed epoch is the checkpoint\'s');
  const lastLine = r.stdout.trim().split('\n').filter((l) => /^epoch /.test(l)).pop();
  assert.match(lastLine ?? '', new RegExp(`^epoch +${epoch}/12 `), 'the last epoch line is the checkpoint\'s epoch');
  const marker = JSON.parse(readFileSync(join(runDir, RUN_MARKER), 'utf8'));
  assert.deepEqual([marker.status, marker.epoch], ['interrupted', epoch]);
  assert.ok(!existsSync(join(runDir, 'summary.json')), '!existsSync(join(runDir, \'summary.json\'))');

  // The printed command, as a shell would split it, continues the run.
  const resumed = spawnSync('/bin/sh', ['-c', m[2].replace(/^entangle /, `"${process.execPath}" --import tsx ${MAIN} `)], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`resuming circles-sigint after epoch ${epoch}`));
  const straight = join(dir, 'straight');
  await runExperiment(loadConfigFile('examples/circles/hybrid.yaml', { overrides: ['training.epochs=12', 'name=circles-sigint'] }), { outDir: straight, report: false });
  assert.deepEqual(readFileSync(join(runDir, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
  assert.equal(JSON.parse(readFileSync(join(runDir, RUN_MARKER), 'utf8')).status, 'finished');
});

test('SIGTERM mid-run: exit 143 with the same message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigterm-'));
  const config = join(dir, 'long.yaml');
  writeFileSync(config, tinyConfigText({ name: 'long', epochs: 200 }));
  const runDir = join(dir, 'run');
  const r = await interruptAfter(['train', config, '--out', runDir], runDir, 1, 'SIGTERM');
  assert.equal(r.code, 143, r.stderr);
  const m = /^interrupted after epoch (\d+); continue with: entangle train (\S+) --out (\S+) --resume$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.deepEqual([m[2], m[3]], [config, runDir]);
  assert.equal(readCheckpoint(join(runDir, 'checkpoints', 'last.ckpt')).epoch, Number(m[1]));
});
