import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { drawModelCircuits } from '../../src/cli/draw.js';
import { createProgram, runCli } from '../../src/cli/program.js';
import { tinyConfigText } from '../experiments/helpers.js';

const MAIN = join(process.cwd(), 'src', 'cli', 'main.ts');

function entangle(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('entangle train: trains, prints one line per epoch (no TTY) and the result; --set applies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const config = join(dir, 'tiny.yaml');
  writeFileSync(config, tinyConfigText());
  const r = entangle(['train', config, '--out', join(dir, 'run'), '--set', 'training.epochs=2', '--set', 'name=renamed']);
  assert.equal(r.status, 0, r.stderr);
  const epochLines = r.stdout.split('\n').filter((l) => /^epoch +\d+\/2 /.test(l));
  assert.equal(epochLines.length, 2, r.stdout);
  assert.doesNotMatch(r.stdout, /\r/);
  assert.match(r.stdout, /renamed: test accuracy \d+\.\d%/);
  const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
  assert.equal(summary.epochs, 2);
  assert.match(readFileSync(join(dir, 'run', 'config.yaml'), 'utf8'), /name: renamed/);
});

test('errors go to stderr with a clear message and a non-zero exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const config = join(dir, 'bad.yaml');
  writeFileSync(config, tinyConfigText().replace('lr: 0.05', 'lr: 0'));
  const err: string[] = [];
  assert.equal(await runCli(['node', 'entangle', 'train', config], { write: (t) => err.push(t) }), 1);
  assert.equal(err.join(''), `entangle: ${config}:16: training.optimizer.lr: must be > 0 (got 0)\n`);
  err.length = 0;
  assert.equal(await runCli(['node', 'entangle', 'train', join(dir, 'none.yaml'), '--resume'], { write: (t) => err.push(t) }), 1);
  assert.match(err.join(''), /cannot read the config file/);
});

test('the program has train, compare, draw and simulate commands', async () => {
  const names = (await createProgram()).commands.map((c) => c.name());
  for (const n of ['train', 'compare', 'draw', 'simulate']) assert.ok(names.includes(n), n);
  const train = (await createProgram()).commands.find((c) => c.name() === 'train')!;
  assert.deepEqual(train.options.map((o) => o.long), ['--out', '--resume', '--set', '--limit-batches', '--stop-after', '--force']);
});

test('entangle draw: the circuits of the quantum layers of a config', () => {
  const text = drawModelCircuits(join(process.cwd(), 'examples', 'circles', 'hybrid.yaml'));
  const lines = text.split('\n');
  assert.equal(lines[0], 'model.layers[2]: quantum layer, 4 wires, 4 inputs, 24 weights, 4 outputs');
  assert.equal(lines.filter((l) => /^[0-3]: ──RX\(x[0-3]\)/.test(l)).length, 4);
  assert.match(text, /Rot\(w21,w22,w23\)/);
  assert.equal(drawModelCircuits(join(process.cwd(), 'examples', 'circles', 'classical.yaml')), '');
});
