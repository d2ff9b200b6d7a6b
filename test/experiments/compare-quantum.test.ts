// compare: the quantum layers' time and share per model, the validation accuracy of every epoch in
// comparison.json, and one plot of validation accuracy per epoch for all models (SVG + PNG).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { compareExperiments, VAL_ACCURACY_PLOT } from '../../src/experiments/compare.js';
import { validationAccuracySpec } from '../../src/report/plots.js';
import { tinyConfigText } from './helpers.js';

const load = (text: string) => parseConfigText(text, 'tiny.yaml', { baseDir: process.cwd() });

test('compare reports quantum time and share, per-epoch validation accuracy, and plots them for all models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmpq-'));
  const result = await compareExperiments([load(tinyConfigText({ name: 'classical', epochs: 3 })), load(tinyConfigText({ name: 'hybrid', epochs: 3, quantum: true }))], { outDir: dir });
  const [c, h] = result.rows;
  assert.equal(c.quantum_seconds, 0);
  assert.equal(c.quantum_share, 0);
  assert.ok(h.quantum_seconds > 0 && h.quantum_share > 0 && h.quantum_share < 1, `hybrid quantum ${h.quantum_seconds} s, share ${h.quantum_share}`);
  for (const r of result.rows) {
    assert.equal(r.val_accuracy_per_epoch.length, 3);
    assert.ok(r.val_accuracy_per_epoch.every((v) => v !== null && v >= 0 && v <= 1), 'r.val_accuracy_per_epoch.every((v) => v !== null && v >= 0 && v <= 1)');
    assert.equal(r.limit_batches, null);
  }
  const json = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8'));
  assert.deepEqual(json.rows[1].val_accuracy_per_epoch, h.val_accuracy_per_epoch);
  assert.equal(json.rows[1].quantum_share, h.quantum_share);
  const svg = readFileSync(join(dir, 'plots', `${VAL_ACCURACY_PLOT}.svg`), 'utf8');
  assert.match(svg, /^<svg/);
  assert.match(svg, /classical/);
  assert.match(svg, /hybrid/);
  assert.ok(existsSync(join(dir, 'plots', `${VAL_ACCURACY_PLOT}.png`)), 'existsSync(join(dir, \'plots\', `${VAL_ACCURACY_PLOT}.png`))');
  const md = readFileSync(join(dir, 'comparison.md'), 'utf8');
  assert.match(md, /!\[validation accuracy\]\(plots\/val_accuracy\.svg\)/);
  assert.match(md, /\| \[hybrid\]\(\.\/hybrid\/report\.md\) \| \d+\.\d% \| 2 \|.* \| \d+\.\d% \|/);
});

test('the validation accuracy plot: one series per model, epochs from 1, y zoomed to the data', () => {
  const spec = validationAccuracySpec([
    { name: 'a', values: [0.9, 0.95, 0.97] },
    { name: 'b', values: [0.8, null, 0.93] },
  ]) as unknown as { data: { values: Array<{ epoch: number; model: string; accuracy: number }> }; encoding: { y: { scale: { domain: number[] } }; color: { scale: { domain: string[] } } } };
  assert.deepEqual(spec.data.values.map((v) => `${v.model}${v.epoch}`), ['a1', 'a2', 'a3', 'b1', 'b3']);
  assert.deepEqual(spec.encoding.color.scale.domain, ['a', 'b']);
  const [lo, hi] = spec.encoding.y.scale.domain;
  assert.equal(hi, 1);
  assert.ok(lo <= 0.8 && lo >= 0.7, `lower bound ${lo}`);
});
