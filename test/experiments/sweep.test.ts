// entangle sweep: one run per value on a shared split, a table and an accuracy-vs-parameters plot,
// baselines read from their run folders, --resume reusing finished runs.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseParam } from '../../src/cli/sweep.js';
import { parseConfigText } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { runName, sweepExperiments } from '../../src/experiments/sweep.js';
import { qtConfig } from './qt-helpers.js';

test('a sweep over blocks trains one run per value and tabulates accuracy against trainable parameters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
  const config = join(dir, 'qt.yaml');
  writeFileSync(config, qtConfig(2, 'qt-sweep'));
  // A classical baseline on the same data: Dense(3→6, tanh) → Dense(6→2), trained directly.
  const classical = qtConfig(2, 'classical').replace(/model:\n( {2,}.*\n)+?training:/, 'model:\n  layers:\n    - dense: { units: 6, activation: tanh }\n    - dense: { units: 2 }\ntraining:');
  const baselineDir = join(dir, 'classical');
  await runExperiment(parseConfigText(classical, 'classical.yaml'), { outDir: baselineDir, report: false });

  const out = join(dir, 'out');
  const result = await sweepExperiments(config, { outDir: out, path: 'model.quantumTrain.blocks', values: ['1', '3'], baselines: [baselineDir] });
  assert.deepEqual(result.rows.map((r) => r.name), ['qt-sweep-blocks1', 'qt-sweep-blocks3', 'classical']);
  // 6 qubits: 36 angles per block; mapping 7→4→8→4→1 = 113 weights.
  assert.deepEqual(result.rows.map((r) => [r.trainable, r.quantum, r.classical]), [[36 + 113, 36, 113], [108 + 113, 108, 113], [38, 0, 38]]);
  assert.ok(Math.abs((result.rows[0].compression ?? 0) - 38 / 149) < 1e-12, 'Math.abs((result.rows[0].compression ?? 0) - 38 / 149) < 1e-12');
  assert.equal(result.rows[2].compression, 1);
  assert.equal(result.rows[0].generated_test_accuracy, result.rows[0].test_accuracy);
  assert.match(result.table, /qt-sweep-blocks3 +3 +\d+\.\d\d% +\d+\.\d\d% +221 +108 +113 +0\.17x +\d+\.\d +\d+\.\d +2/);
  for (const f of ['sweep.md', 'sweep.json', 'split.json', 'plots/accuracy_vs_params.svg', 'plots/accuracy_vs_params.png', 'qt-sweep-blocks1/summary.json', 'qt-sweep-blocks3/generated/model.json']) assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, 'sweep.md'), 'utf8'), /!\[test accuracy against trainable parameters\]\(plots\/accuracy_vs_params\.svg\)/);
  const svg = readFileSync(join(out, 'plots/accuracy_vs_params.svg'), 'utf8');
  assert.match(svg, /blocks=3/);
  assert.match(svg, /# trainable parameters/);

  // Resuming a finished sweep reuses the runs (same fingerprints) and gives the same numbers.
  const again = await sweepExperiments(config, { outDir: out, path: 'model.quantumTrain.blocks', values: ['1', '3'], resume: true, report: false });
  assert.deepEqual(again.rows.map((r) => r.test_accuracy), result.rows.slice(0, 2).map((r) => r.test_accuracy));
  assert.equal(JSON.parse(readFileSync(join(out, 'qt-sweep-blocks1/summary.json'), 'utf8')).resumed_from_epoch, 2);
});

test('sweep arguments: names from the last path segment, --param parsing errors say the form', () => {
  assert.equal(runName('mnist-qt', 'model.quantumTrain.blocks', '16'), 'mnist-qt-blocks16');
  assert.equal(runName('m', 'training.optimizer.lr', '0.01'), 'm-lr0.01');
  assert.deepEqual(parseParam('model.quantumTrain.blocks=1, 4,8'), { path: 'model.quantumTrain.blocks', values: ['1', '4', '8'] });
  assert.throws(() => parseParam('blocks'), /expected path=value1,value2/);
  assert.throws(() => parseParam('blocks='), /expected path=value1,value2/);
});
