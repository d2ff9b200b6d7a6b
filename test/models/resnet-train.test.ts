// A ResNet-8 learns a tiny generated image set; a whole run from a config (colour-shapes, AdamW,
// one-cycle, label smoothing, augmentation, 6 classes so top-5 accuracy is reported); initial
// weights from the run's model.json or a bare weights manifest, and a mismatch refused by layer.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { runExperiment } from '../../src/experiments/run.js';
import { InitialWeightsError, loadInitialWeights } from '../../src/models/initial-weights.js';
import { buildResNet } from '../../src/models/resnet/build.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';
import { evaluate } from '../../src/train/tasks/classification.js';
import { softmaxCrossEntropy } from '../../src/train/losses.js';
import { train } from '../../src/train/trainer.js';
import { Rng } from '../../src/util/random.js';

const root = mkdtempSync(join(tmpdir(), 'entangle-resnet-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** 8x8 RGB noise; class 1 has a brighter left half in the red channel. */
function halves(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const rng = new Rng(seed);
  const v = new Float32Array(n * 8 * 8 * 3);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  for (let i = 0; i < n; i++) for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) {
    v[((i * 8 + y) * 8 + x) * 3 + c] = rng.normal(0, 1) + (labels[i] === 1 && c === 0 && x < 4 ? 1 : 0);
  }
  return { x: tf.tensor4d(v, [n, 8, 8, 3]), y: tf.tensor1d(labels, 'int32') };
}

test('a ResNet-8 learns a tiny generated image set well above chance (train loop, AdamW, one-cycle)', async () => {
  await setupBackend('wasm');
  const model = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [8, 8, 3], classes: 2, seed: 3 });
  const data = halves(128, 1);
  const held = halves(64, 2);
  await train({ model, train: data, config: { epochs: 6, batchSize: 16, optimizer: { type: 'adamw', lr: 0.02, weightDecay: 1e-4 }, schedule: { type: 'one_cycle' }, labelSmoothing: 0.05 }, seed: 1 });
  const e = evaluate(model, held, (y, o) => softmaxCrossEntropy(y, o));
  assert.ok(e.accuracy >= 0.8, `held-out accuracy ${e.accuracy} (chance 0.5)`);
  tf.dispose([data.x, data.y, held.x, held.y]);
  model.dispose();
});

const config = (out: string, extra = '') => `name: shapes
seed: 2
data:
  type: colour-shapes
  samples: 60
  classes: 6
  split: { train: 40, val: 10, test: 10 }
model:
  resnet: { depth: 8, width: 0.25${extra} }
training:
  epochs: 1
  batchSize: 20
  optimizer: { type: adamw, lr: 0.01, weightDecay: 0.0005 }
  schedule: { type: one_cycle }
  labelSmoothing: 0.1
  augment: { flip: true, crop: { scale: [0.5, 1] }, randAugment: { n: 1, magnitude: 5 } }
  backend: wasm
output:
  dir: ${out}
`;

test('a run from a config: summary with top-5 accuracy; its model.json starts another model, a mismatch is refused by layer', async () => {
  const out = join(root, 'run');
  const loaded = parseConfigText(config(out), join(root, 'shapes.yaml'), { baseDir: root });
  const { summary } = await runExperiment(loaded, { report: false });
  const saved = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  for (const key of ['test_accuracy', 'test_top5_accuracy', 'val_top5_accuracy']) {
    assert.equal(typeof saved[key], 'number', key);
    assert.ok(saved[key] >= 0 && saved[key] <= 1, key);
  }
  assert.ok(saved.test_top5_accuracy >= saved.test_accuracy, 'saved.test_top5_accuracy >= saved.test_accuracy');
  assert.equal(summary.backend, 'wasm');

  // Initial weights: the run's model.json (relative to the config's folder) gives a fresh build
  // exactly the trained weights, BatchNorm statistics included.
  const fresh = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [32, 32, 3], classes: 6, seed: 99 });
  loadInitialWeights(fresh, join(out, 'model.json'));
  const x = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 5);
  const trained = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [32, 32, 3], classes: 6, seed: 99 });
  const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest;
  writeFileSync(join(out, 'weights_manifest.json'), JSON.stringify(manifest));
  loadInitialWeights(trained, join(out, 'weights_manifest.json'));
  assert.deepEqual(Array.from((fresh.predict(x) as tf.Tensor).dataSync()), Array.from((trained.predict(x) as tf.Tensor).dataSync()));
  const movingMean = fresh.getLayer('stem_bn').getWeights()[2].dataSync();
  assert.ok(movingMean.some((v) => v !== 0), 'the moving statistics were loaded too');

  // Through the config: width 0.5 does not fit the width-0.25 weights; the error names the layer.
  const loaded2 = parseConfigText(config(join(root, 'run2'), ', initialWeights: run/model.json, width: 0.5').replace('width: 0.25, ', ''), join(root, 'shapes2.yaml'), { baseDir: root });
  await assert.rejects(runExperiment(loaded2, { report: false }), (e: unknown) => e instanceof ConfigError && /model\.resnet\.initialWeights/.test(e.message) && /layer "stem_conv": weight "stem_conv\/kernel" has shape \[3, 3, 3, 4\] in the file, the model's is \[3, 3, 3, 8\]/.test(e.message));
  // A model with another head: the file's logits do not fit 7 classes.
  const seven = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [32, 32, 3], classes: 7, seed: 1 });
  assert.throws(() => loadInitialWeights(seven, join(out, 'model.json')), (e: unknown) => e instanceof InitialWeightsError && /layer "logits"/.test(e.message));
  assert.throws(() => loadInitialWeights(seven, join(root, 'absent.json')), /cannot read it as JSON/);
  tf.dispose(x);
  [fresh, trained, seven].forEach((m) => m.dispose());
});
