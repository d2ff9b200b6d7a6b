// kill -9 at an arbitrary moment must leave a readable run folder that resumes to exactly the
// weights of an uninterrupted run.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { readCheckpoint } from '../../src/train/checkpoint.js';
import { Rng } from '../../src/util/random.js';
import { tinyConfigText } from '../experiments/helpers.js';

const MAIN = join(process.cwd(), 'src', 'cli', 'main.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 mid-run leaves complete files; --resume ends bit-identical to an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kill-'));
  const configPath = join(dir, 'long.yaml');
  const text = tinyConfigText({ name: 'long', epochs: 40, samples: 400 }).replace('train: 80, val: 20, test: 20', 'train: 300, val: 50, test: 50');
  writeFileSync(configPath, text);
  const runDir = join(dir, 'run');
  const metrics = join(runDir, 'metrics.jsonl');

  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'train', configPath, '--out', runDir], { stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  // A guard against a hang, not a speed check: generous for a loaded 2-core machine.
  const deadline = Date.now() + 120_000;
  while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').length > 3)) {
    assert.ok(Date.now() < deadline, 'the run never wrote its third epoch');
    await sleep(5);
  }
  // Somewhere inside a later epoch or inside a write; a different moment on every run.
  await sleep(new Rng(Number(process.hrtime.bigint() % 1000000n)).int(40));
  child.kill('SIGKILL');
  await exited;

  const lines = readFileSync(metrics, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'metrics.jsonl ends with a complete line');
  lines.forEach((l, i) => assert.equal(JSON.parse(l).epoch, i + 1));
  const ckpt = readCheckpoint(join(runDir, 'checkpoints', 'last.ckpt'));
  assert.ok(ckpt.epoch >= lines.length && ckpt.epoch <= lines.length + 1, `checkpoint epoch ${ckpt.epoch}, ${lines.length} metric lines`);
  assert.ok(ckpt.epoch < 40, 'the run was killed before it finished');

  const resumed = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'train', configPath, '--out', runDir, '--resume'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`resuming long after epoch ${ckpt.epoch}`));

  const straightDir = join(dir, 'straight');
  await runExperiment(parseConfigText(text, configPath), { outDir: straightDir, report: false });
  assert.deepEqual(readFileSync(join(runDir, 'weights.bin')), readFileSync(join(straightDir, 'weights.bin')));
  const m = readFileSync(metrics, 'utf8').trim().split('\n');
  assert.equal(m.length, 40);
});
