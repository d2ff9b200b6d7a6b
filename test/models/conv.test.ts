// Convolutional layers from configs: conv2d, maxpool2d, flatten build with stable names and
// seeded weights, bad settings name their field, and a small CNN trains on a few hundred MNIST
// images (wasm backend, the one CNN training uses). (A hybrid with a 4-qubit bottleneck learns
// too slowly on 512 images to make a robust learning test; it is used for the limit and timing.)

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { buildModel, countParams, type LayerConfig } from '../../src/models/build.js';
import { runExperiment } from '../../src/experiments/run.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';
import { snapshotWeights } from '../../src/train/weights.js';

const CNN: LayerConfig[] = [
  { conv2d: { filters: 4, kernelSize: 5, activation: 'relu' } },
  { maxpool2d: 2 },
  { conv2d: { filters: 8, kernelSize: [3, 3], padding: 'same', activation: 'relu' } },
  { maxpool2d: { poolSize: 2 } },
  { flatten: {} },
  { dense: { units: 4, activation: 'tanh' } },
  { quantum: { wires: 4, embedding: { type: 'angle', scale: Math.PI }, ansatz: { type: 'strongly_entangling', layers: 1 } } },
  { dense: { units: 10 } },
];

test('conv2d, maxpool2d and flatten build with stable names, the expected shapes and parameter counts', async () => {
  await setupBackend('cpu');
  const model = buildModel(CNN, { inputShape: [28, 28, 1], seed: 3, numClasses: 10 });
  assert.deepEqual(model.layers.slice(1).map((l) => l.name), ['layer0_conv2d', 'layer1_maxpool2d', 'layer2_conv2d', 'layer3_maxpool2d', 'layer4_flatten', 'layer5_dense', 'layer6_quantum', 'layer7_dense']);
  // 28 -5+1→ 24 -pool→ 12 -same→ 12 -pool→ 6: 6·6·8 = 288 features.
  assert.deepEqual(model.layers[5].outputShape, [null, 288]);
  const classical = (5 * 5 * 1 * 4 + 4) + (3 * 3 * 4 * 8 + 8) + (288 * 4 + 4) + (4 * 10 + 10);
  assert.deepEqual(countParams(model), { quantum: 12, classical, total: classical + 12 });
  const a = [...snapshotWeights(model).values()].map((t) => Array.from(t.values));
  const again = buildModel(CNN, { inputShape: [28, 28, 1], seed: 3, numClasses: 10 });
  assert.deepEqual([...snapshotWeights(again).values()].map((t) => Array.from(t.values)), a);
  const other = buildModel(CNN, { inputShape: [28, 28, 1], seed: 4, numClasses: 10 });
  assert.notDeepEqual([...snapshotWeights(other).values()].map((t) => Array.from(t.values))[0], a[0]);
  const out = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape);
  assert.deepEqual(out, [2, 10]);
  [model, again, other].forEach((m) => m.dispose());
});

test('a dense head on images without flatten, and bad conv settings, are named errors', async () => {
  await setupBackend('cpu');
  assert.throws(() => buildModel([{ conv2d: { filters: 2, kernelSize: 3 } }, { dense: { units: 10 } }], { inputShape: [28, 28, 1], seed: 1, numClasses: 10 }), /model\.layers\[1\]\.dense\.units: .*image features need a flatten layer/);
  const text = (layer: string) => `data: { type: mnist, split: { train: 10, val: 0, test: 10 } }
model:
  layers:
    - ${layer}
    - flatten: {}
    - dense: { units: 10 }
training: { epochs: 1, batchSize: 8, optimizer: { type: adam, lr: 0.01 } }
`;
  assert.throws(() => parseConfigText(text('conv2d: { kernelSize: 3 }'), 'c.yaml'), (e: unknown) => e instanceof ConfigError && /c\.yaml:4: model\.layers\[0\]\.conv2d\.filters: is required but missing/.test(e.message));
  assert.throws(() => parseConfigText(text('conv2d: { filters: 2, kernelSize: 3, padding: full }'), 'c.yaml'), /model\.layers\[0\]\.conv2d\.padding: must be one of "valid", "same" \(got "full"\)/);
  assert.throws(() => parseConfigText(text('maxpool2d: { size: 2 }'), 'c.yaml'), /model\.layers\[0\]\.maxpool2d/);
  assert.doesNotThrow(() => parseConfigText(text('maxpool2d: 3'), 'c.yaml'));
  assert.doesNotThrow(() => parseConfigText(text('conv2d: { filters: 2, kernelSize: [3, 5], strides: 2 }'), 'c.yaml'));
});

const MNIST_CNN = (extra = '') => `name: tiny-cnn
seed: 11
data: { type: mnist, split: { train: 512, val: 64, test: 128 } }
model:
  layers:
    - conv2d: { filters: 4, kernelSize: 5, activation: relu }
    - maxpool2d: 2
    - conv2d: { filters: 8, kernelSize: 5, activation: relu }
    - maxpool2d: 2
    - flatten: {}
    - dense: { units: 4, activation: tanh }
    - quantum: { wires: 4, embedding: { type: angle, scale: 3.14159 }, ansatz: { type: strongly_entangling, layers: 1 } }
    - dense: { units: 10 }
training:
  epochs: 2
  batchSize: 32
  optimizer: { type: adam, lr: 0.01 }
  backend: wasm
${extra}`;

test('a small CNN trains on 512 MNIST images (wasm): the loss falls well below chance; no quantum time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-'));
  const classical = MNIST_CNN().replace(/ {4}- quantum: .*\n/, '');
  const { summary, result } = await runExperiment(parseConfigText(classical, 'cnn.yaml'), { outDir: dir, report: false });
  assert.equal(summary.backend, 'wasm');
  assert.equal(result.history.length, 2);
  assert.ok(result.history[1].train_loss < 1.95, `loss ${result.history.map((r) => r.train_loss)} (chance: ln 10 = 2.30)`);
  assert.ok((summary.test_accuracy ?? 0) > 0.3, `test accuracy ${summary.test_accuracy}`);
  assert.equal(summary.params.quantum, 0);
  assert.equal(summary.quantum_seconds, 0);
  assert.equal(summary.quantum_share, 0);
});

test('training.limitBatches (--limit-batches) limits the steps of every epoch; quantum time is recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-'));
  const steps: number[] = [];
  let perEpoch = 0;
  const loaded = parseConfigText(MNIST_CNN(), 'cnn.yaml', { overrides: ['training.limitBatches=3'] });
  const { summary, result } = await runExperiment(loaded, {
    outDir: dir,
    report: false,
    reporter: { onTrainStart: (i) => (perEpoch = i.stepsPerEpoch), onBatchEnd: (b) => steps.push(b.step) },
  });
  assert.equal(perEpoch, 3);
  assert.deepEqual(steps, [1, 2, 3, 1, 2, 3]);
  assert.equal(summary.limit_batches, 3);
  // The hybrid's time in the quantum layer is recorded per epoch and summed in the summary.
  for (const r of result.history) {
    assert.ok((r.quantum_seconds ?? 0) > 0 && (r.quantum_seconds ?? 0) < r.seconds, '(r.quantum_seconds ?? 0) > 0 && (r.quantum_seconds ?? 0) < r.seconds');
    assert.ok((r.cpu_seconds ?? 0) > 0, 'CPU seconds recorded per epoch');
  }
  assert.ok(Math.abs(summary.train_cpu_seconds - result.history.reduce((s, r) => s + (r.cpu_seconds ?? 0), 0)) < 1e-9, 'Math.abs(summary.train_cpu_seconds - result.history.reduce((s, r) => s + (r.cpu_seconds...');
  assert.ok(summary.quantum_share > 0 && summary.quantum_share < 1, 'summary.quantum_share > 0 && summary.quantum_share < 1');
  assert.ok(Math.abs(summary.quantum_seconds - result.history.reduce((s, r) => s + (r.quantum_seconds ?? 0), 0)) < 1e-9, 'Math.abs(summary.quantum_seconds - result.history.reduce((s, r) => s + (r.quantum_secon...');
  // Accuracy is over the 96 samples seen, so it is a multiple of 1/96.
  const seen = (result.history[0].train_accuracy as number) * 96;
  assert.ok(Math.abs(seen - Math.round(seen)) < 1e-9, 'Math.abs(seen - Math.round(seen)) < 1e-9');
  assert.throws(() => parseConfigText(MNIST_CNN(), 'cnn.yaml', { overrides: ['training.limitBatches=0'] }), /training\.limitBatches: must be >= 1/);
});
