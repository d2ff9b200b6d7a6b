// A CSV regression run end to end: training.task regression, a numeric data.label as the target.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import { Rng } from '../../src/util/random.js';

/** price = 3·size − 2·age + 1 (+ a little noise), 120 rows, plus a text column. */
function writeCsv(dir: string): string {
  const rng = new Rng(8);
  const lines = ['size,age,city,price'];
  for (let i = 0; i < 120; i++) {
    const size = 2 * rng.next() - 1;
    const age = 2 * rng.next() - 1;
    lines.push(`${size.toFixed(4)},${age.toFixed(4)},${i % 3 === 0 ? 'north' : 'south'},${(3 * size - 2 * age + 1 + 0.05 * (rng.next() - 0.5)).toFixed(4)}`);
  }
  const path = join(dir, 'houses.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const config = (csv: string, label = 'price') => `name: houses
seed: 3
data: { type: csv, path: ${csv}, label: ${label}, features: [size, age], split: { train: 80, val: 20, test: 20 } }
model:
  layers:
    - dense: { units: 8, activation: tanh }
    - dense: { units: 1 }
training:
  task: regression
  epochs: 40
  batchSize: 16
  optimizer: { type: adam, lr: 0.05 }
  earlyStopping: { patience: 40, monitor: val_r2, restoreBest: true }
`;

test('a CSV regression run: loss MSE by default, R² in metrics.jsonl and the summary, no accuracy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regress-'));
  const loaded = parseConfigText(config(writeCsv(dir)), 'houses.yaml', { baseDir: dir });
  assert.equal(loaded.config.training.loss, 'mse');
  const { summary } = await runExperiment(loaded, { outDir: join(dir, 'run') });
  const history = readMetricsJsonl(join(dir, 'run', 'metrics.jsonl'));
  assert.equal(history.length, 40);
  assert.deepEqual(Object.keys(history[0]).slice(0, 9), ['epoch', 'train_loss', 'train_mse', 'train_mae', 'train_r2', 'val_loss', 'val_mse', 'val_mae', 'val_r2']);
  assert.equal(summary.task, 'regression');
  assert.equal(summary.test_accuracy, null);
  const m = summary.metrics as Record<string, number>;
  assert.ok(m.test_r2 > 0.95, `test R² ${m.test_r2}`);
  assert.ok(Math.abs(m.test_mse - (summary.test_loss as number)) < 1e-6, 'Math.abs(m.test_mse - (summary.test_loss as number)) < 1e-6');
  const saved = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
  assert.equal(saved.metrics.val_r2, m.val_r2);
  const report = readFileSync(join(dir, 'run', 'report.md'), 'utf8');
  assert.match(report, /\| r2 \| [-0-9.]+ \| [-0-9.]+ \| [-0-9.]+ \|/);
  assert.doesNotMatch(report, /accuracy/);
});

test('regression on a text label column is refused at data.label; a classification loss is refused for regression', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regress-'));
  const csv = writeCsv(dir);
  await assert.rejects(runExperiment(parseConfigText(config(csv, 'city'), 'houses.yaml', { baseDir: dir }), { outDir: join(dir, 'run'), report: false }), (e: unknown) => {
    assert.ok(e instanceof ConfigError, 'e instanceof ConfigError');
    assert.match(e.message, /data\.label/);
    assert.match(e.message, /needs a numeric label column, but it holds "north", "south"/);
    return true;
  });
  assert.throws(() => parseConfigText(config(csv) + '  loss: cross_entropy\n', 'houses.yaml', { baseDir: dir }), /training\.loss/);
  assert.throws(() => parseConfigText(config(csv).replace('task: regression', 'task: classification') + '  loss: mae\n', 'houses.yaml', { baseDir: dir }), /training\.loss/);
});
