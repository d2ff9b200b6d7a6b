import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { toTensors } from '../../src/data/dataset.js';
import { prepareData } from '../../src/data/load.js';
import { compareExperiments, formatTable } from '../../src/experiments/compare.js';
import { runExperiment } from '../../src/experiments/run.js';
import { loadSavedModel } from '../../src/models/save.js';
import { readMetricsJsonl } from '../../src/train/history.js';
import { tinyConfigText } from './helpers.js';

const load = (text: string, overrides: string[] = []) => parseConfigText(text, 'tiny.yaml', { overrides, baseDir: process.cwd() });

test('a hybrid run writes the whole run folder; the saved model predicts what the trained one did', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-'));
  const loaded = load(tinyConfigText({ quantum: true }));
  const { summary, split } = await runExperiment(loaded, { outDir: dir });
  for (const f of ['config.yaml', 'split.json', 'preprocessing.json', 'metrics.jsonl', 'checkpoints/last.ckpt', 'model.json', 'weights.bin', 'summary.json', 'report.md', 'plots/loss.svg', 'plots/loss.png', 'plots/accuracy.svg', 'plots/accuracy.png', 'plots/decision_boundary.svg', 'plots/decision_boundary.png']) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  assert.equal(readMetricsJsonl(join(dir, 'metrics.jsonl')).length, 3);
  const saved = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  for (const key of ['test_accuracy', 'val_accuracy', 'train_accuracy', 'epochs', 'wall_seconds', 'seconds_per_epoch']) assert.equal(typeof saved[key], 'number', key);
  // dense 3→2 (8) → quantum (2 weights) → dense 2→8 (24) → dense 8→2 (18)
  assert.deepEqual(saved.params, { quantum: 2, classical: 50, total: 52 });
  assert.equal(summary.epochs, 3);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'split.json'), 'utf8')).test, split.test);
  const report = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(report, /!\[loss\]\(plots\/loss\.svg\)/);
  assert.match(report, /decision_boundary\.svg/);
  assert.match(readFileSync(join(dir, 'plots/loss.svg'), 'utf8'), /^<svg/);
  assert.deepEqual([...readFileSync(join(dir, 'plots/loss.png')).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');

  // The saved model (QuantumLayer included) reloads and gives the same test accuracy.
  const model = await loadSavedModel(dir);
  const data = prepareData(loaded.config.data, loaded.config.seed);
  const test = toTensors(data.test);
  const acc = tf.tidy(() => (model.predict(test.x) as tf.Tensor).argMax(1).equal(test.y).mean().dataSync()[0]);
  assert.ok(Math.abs(acc - (summary.test_accuracy as number)) < 1e-6, 'Math.abs(acc - (summary.test_accuracy as number)) < 1e-6');
  tf.dispose([test.x, test.y]);
  model.dispose();
});

test('a run interrupted and resumed writes the same weights.bin as an uninterrupted one', async () => {
  const straight = mkdtempSync(join(tmpdir(), 'run-'));
  const interrupted = mkdtempSync(join(tmpdir(), 'run-'));
  const text = tinyConfigText({ epochs: 4 });
  await runExperiment(load(text), { outDir: straight, report: false });
  await runExperiment(load(text), { outDir: interrupted, report: false, maxEpochsThisCall: 1 });
  const resumed = await runExperiment(load(text), { outDir: interrupted, report: false, resume: true });
  assert.equal(resumed.summary.resumed_from_epoch, 1);
  assert.deepEqual(readFileSync(join(interrupted, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
  // Resuming with another config is refused, naming the fields that differ and what to do, and
  // leaving the run's own config, split and preprocessing untouched.
  const kept = ['config.yaml', 'split.json', 'preprocessing.json'].map((f) => readFileSync(join(interrupted, f)));
  await assert.rejects(runExperiment(load(text, ['training.optimizer.lr=0.02', 'training.epochs=6']), { outDir: interrupted, report: false, resume: true }),
    (e: Error) => {
      assert.match(e.message, /foreign: it was trained with another config; these fields differ from .*config\.yaml: training\.epochs: 4 in the run, 6 now; training\.optimizer\.lr: 0\.05 in the run, 0\.02 now/);
      assert.match(e.message, new RegExp(`resume with the run's own config \\(entangle train ${interrupted}/config\\.yaml --resume --out ${interrupted}\\)`));
      return true;
    });
  ['config.yaml', 'split.json', 'preprocessing.json'].forEach((f, i) => assert.deepEqual(readFileSync(join(interrupted, f)), kept[i], `${f} kept`));
  // The suggested command resumes (here: nothing left to train) with the run's own config.
  const again = await runExperiment(parseConfigText(readFileSync(join(interrupted, 'config.yaml'), 'utf8'), join(interrupted, 'config.yaml'), { baseDir: process.cwd() }), { outDir: interrupted, report: false, resume: true });
  assert.equal(again.summary.resumed_from_epoch, 4);
});

test('a run extended to more epochs by --resume equals the longer run from the start (schedules that need the epoch count refuse)', async () => {
  const straight = mkdtempSync(join(tmpdir(), 'run-'));
  const extended = mkdtempSync(join(tmpdir(), 'run-'));
  await runExperiment(load(tinyConfigText({ epochs: 4, quantum: true })), { outDir: straight, report: false });
  await runExperiment(load(tinyConfigText({ epochs: 2, quantum: true })), { outDir: extended, report: false });
  const messages: string[] = [];
  const reporter = { onMessage: (m: string) => messages.push(m) };
  const longer = await runExperiment(load(tinyConfigText({ epochs: 4, quantum: true })), { outDir: extended, report: false, resume: true, reporter });
  assert.ok(messages.some((m) => /extending .* from 2 to 4 epochs \(the constant schedule does not depend on the epoch count/.test(m)), messages.join('\n'));
  assert.equal(longer.summary.resumed_from_epoch, 2);
  assert.equal(longer.summary.epochs, 4);
  assert.deepEqual(readFileSync(join(extended, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
  assert.match(readFileSync(join(extended, 'config.yaml'), 'utf8'), /epochs: 4/);
  // Fewer epochs, or a schedule whose rates depend on the epoch count, cannot be continued.
  await assert.rejects(runExperiment(load(tinyConfigText({ epochs: 3, quantum: true })), { outDir: extended, report: false, resume: true }), /training\.epochs: 4 in the run, 3 now/);
  const cosine = (epochs: number) => tinyConfigText({ epochs, quantum: true }).replace('  batchSize: 16\n', '  batchSize: 16\n  schedule: { type: cosine }\n');
  const cos = mkdtempSync(join(tmpdir(), 'run-'));
  await runExperiment(load(cosine(2)), { outDir: cos, report: false });
  await assert.rejects(runExperiment(load(cosine(4)), { outDir: cos, report: false, resume: true }), /only training\.epochs differs .* but the cosine schedule depends on the number of epochs/);
});

test('model errors found at build time point at the config line', async () => {
  const text = tinyConfigText().replace('    - dense: { units: 2 }\n', '    - dense: { units: 3 }\n');
  await assert.rejects(runExperiment(load(text), { outDir: mkdtempSync(join(tmpdir(), 'run-')) }), (e: unknown) => {
    assert.ok(e instanceof ConfigError, 'e instanceof ConfigError');
    assert.match(e.message, /^tiny\.yaml:12: model\.layers\[1\]\.dense\.units: the model outputs \[3\] values per sample but the data has 2 classes/);
    return true;
  });
});

test('compare trains every config on one split and tabulates them; different data is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-'));
  const result = await compareExperiments([load(tinyConfigText({ name: 'a', epochs: 2 })), load(tinyConfigText({ name: 'b', epochs: 2, quantum: true }))], { outDir: dir, report: false });
  assert.deepEqual(result.rows.map((r) => r.name), ['a', 'b']);
  const splitA = readFileSync(join(dir, 'a', 'split.json'), 'utf8');
  assert.equal(readFileSync(join(dir, 'b', 'split.json'), 'utf8'), splitA);
  assert.equal(readFileSync(join(dir, 'split.json'), 'utf8'), splitA);
  const json = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8'));
  assert.equal(json.rows[1].params.quantum, 2);
  assert.match(readFileSync(join(dir, 'comparison.md'), 'utf8'), /\| \[b\]\(\.\/b\/report\.md\) \| \d+\.\d% \| 2 \|/);
  const lines = result.table.split('\n');
  assert.match(lines[0], /^name +test acc +quantum +classical +total +train s +s\/epoch +quantum s +quantum % +compression +generated acc$/);
  assert.match(lines[3], /^b +\d+\.\d% +2 +\d+ +\d+ +\d+\.\d\d +\d+\.\d{3} +\d+\.\d\d +\d+\.\d% +- +-$/);
  assert.match(lines[2], / 1\.00x +-$/, 'a plain classical network stands for itself');

  await assert.rejects(
    compareExperiments([load(tinyConfigText({ name: 'a' })), load(tinyConfigText({ name: 'c', samples: 150 }))], { outDir: dir }),
    /data: differs from the data section of tiny\.yaml/,
  );
  await assert.rejects(compareExperiments([load(tinyConfigText()), load(tinyConfigText())], { outDir: dir }), /"tiny" is also the name of/);
});

test('formatTable aligns columns', () => {
  const table = formatTable([
    { name: 'x', test_accuracy: 0.5, params: { quantum: 1, classical: 22, total: 23 }, train_seconds: 1, seconds_per_epoch: 0.5, quantum_seconds: 0.25, quantum_share: 0.25, epochs: 2, limit_batches: null, val_accuracy_per_epoch: [0.4, 0.5], compression: 4.4689, generated_test_accuracy: 0.5, run_dir: '' },
  ]);
  assert.equal(table.split('\n')[2], 'x        50.0%        1         22     23     1.00    0.500       0.25      25.0%        4.47x          50.0%');
});
