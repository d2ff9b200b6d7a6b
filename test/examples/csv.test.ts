// examples/csv: the shipped table is what its generator writes, and every `npx entangle` command of
// its README runs (training shortened, output redirected to a temp folder).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wineLikeCsv } from '../../examples/csv/generate.js';
import { loadCsv } from '../../src/data/csv.js';

const root = resolve(import.meta.dirname, '..', '..');

test('examples/csv/wine.csv is what generate.ts writes, a table of 178 wines in 3 cultivars', () => {
  const text = readFileSync(join(root, 'examples/csv/wine.csv'), 'utf8');
  assert.equal(text, wineLikeCsv());
  assert.notEqual(wineLikeCsv(2), text, 'the seed matters');
  const d = loadCsv(join(root, 'examples/csv/wine.csv'), { label: 'cultivar' });
  assert.equal(d.numSamples, 178);
  assert.equal(d.numFeatures, 7);
  assert.deepEqual(d.classNames, ['barbera', 'barolo', 'grignolino']);
  assert.deepEqual([0, 1, 2].map((k) => d.labels.filter((l) => l === k).length), [48, 59, 71]);
});

test('every `npx entangle` command in examples/csv/README.md runs', () => {
  const readme = readFileSync(join(root, 'examples/csv/README.md'), 'utf8');
  const cmds = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split('\n'))
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.startsWith('npx entangle '));
  assert.equal(cmds.length, 3);
  const out = mkdtempSync(join(tmpdir(), 'entangle-csv-readme-'));
  try {
    for (const [i, cmd] of cmds.entries()) {
      const args = [...cmd.slice('npx entangle '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
      const dir = join(out, String(i));
      if (args[0] === 'train' || args[0] === 'compare') args.push('--out', dir, '--set', 'training.epochs=2');
      const stdout = execFileSync(process.execPath, ['bin/entangle.js', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (args[0] === 'compare') assert.ok(existsSync(join(dir, 'comparison.md')) && existsSync(join(dir, 'wine-hybrid', 'report.md')), 'existsSync(join(dir, \'comparison.md\')) && existsSync(join(dir, \'wine-hybrid\', \'report.m...');
      if (args[0] === 'draw') assert.match(stdout, /4 wires, 4 inputs, 24 weights/);
      if (args[0] === 'train') assert.match(readFileSync(join(dir, 'config.yaml'), 'utf8'), /- flavanoids/);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
