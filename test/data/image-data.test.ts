// MNIST as a config data source: one dataset of the official training images then the test
// images, [28, 28, 1] samples, validation drawn from the training images by seed, test from the
// official test images; per-channel standardization fitted on the training rows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigText } from '../../src/config/load.js';
import { sampleShape, toTensors } from '../../src/data/dataset.js';
import { prepareData, type DataConfig } from '../../src/data/load.js';
import { resolvePooledSplitSizes, SplitError } from '../../src/data/split.js';

const mnist = (split: DataConfig['split'], extra: Partial<DataConfig> = {}): DataConfig => ({ type: 'mnist', split, ...extra }) as DataConfig;

test('mnist: train/val from the 60,000 training images, test from the 10,000 test images, deterministic per seed', () => {
  const a = prepareData(mnist({ train: 300, val: 100, test: 200 }), 3);
  assert.equal(a.dataset.numSamples, 70000);
  assert.equal(a.dataset.testPoolStart, 60000);
  assert.deepEqual(sampleShape(a.train), [28, 28, 1]);
  assert.deepEqual([a.train.numSamples, a.val.numSamples, a.test.numSamples], [300, 100, 200]);
  assert.ok(a.split.train.every((i) => i < 60000) && a.split.val.every((i) => i < 60000), 'a.split.train.every((i) => i < 60000) && a.split.val.every((i) => i < 60000)');
  assert.ok(a.split.test.every((i) => i >= 60000 && i < 70000), 'a.split.test.every((i) => i >= 60000 && i < 70000)');
  assert.equal(new Set([...a.split.train, ...a.split.val]).size, 400);
  const b = prepareData(mnist({ train: 300, val: 100, test: 200 }), 3);
  assert.deepEqual(b.split, a.split);
  const c = prepareData(mnist({ train: 300, val: 100, test: 200 }), 4);
  assert.notDeepEqual(c.split.train, a.split.train);
  // The whole test set is taken in file order.
  const full = prepareData(mnist({ train: 10, val: 0, test: 10000 }), 3);
  assert.deepEqual(full.split.test.slice(0, 3), [60000, 60001, 60002]);
  assert.equal(full.test.labels[0], 7); // the first MNIST test digit is a 7
  const t = toTensors(a.train);
  assert.deepEqual(t.x.shape, [300, 28, 28, 1]);
  t.x.dispose();
  t.y.dispose();
});

test('images are standardized per channel with training-row statistics only', () => {
  const d = prepareData(mnist({ train: 500, val: 50, test: 50 }), 1);
  const s = d.standardizer;
  assert.ok(s, 's');
  assert.equal(s.channels, 1);
  assert.equal(s.mean.length, 1);
  let sum = 0;
  for (const i of d.split.train) for (let j = 0; j < 784; j++) sum += d.dataset.features[i * 784 + j];
  assert.ok(Math.abs(s.mean[0] - sum / (500 * 784)) < 1e-9, 'Math.abs(s.mean[0] - sum / (500 * 784)) < 1e-9');
  assert.ok(s.mean[0] > 0.1 && s.mean[0] < 0.16 && s.std[0] > 0.28 && s.std[0] < 0.34, 's.mean[0] > 0.1 && s.mean[0] < 0.16 && s.std[0] > 0.28 && s.std[0] < 0.34'); // MNIST: ~0.13, ~0.31
  let m = 0;
  for (const v of d.train.features) m += v;
  assert.ok(Math.abs(m / d.train.features.length) < 1e-4, 'Math.abs(m / d.train.features.length) < 1e-4'); // standardized training pixels have mean 0
  const raw = prepareData(mnist({ train: 5, val: 0, test: 5 }, { standardize: false }), 1);
  assert.equal(raw.standardizer, null);
  assert.ok(Math.max(...raw.train.features) <= 1 && Math.min(...raw.train.features) >= 0, 'Math.max(...raw.train.features) <= 1 && Math.min(...raw.train.features) >= 0');
});

test('pooled split sizes: fractions of each pool, and sizes beyond a pool name it', () => {
  assert.deepEqual(resolvePooledSplitSizes({ train: 0.9, val: 0.1, test: 1 }, 60000, 10000), { train: 54000, val: 6000, test: 10000 });
  assert.deepEqual(resolvePooledSplitSizes({ train: 55000, val: 5000, test: 10000 }, 60000, 10000), { train: 55000, val: 5000, test: 10000 });
  assert.throws(() => resolvePooledSplitSizes({ train: 58000, val: 5000, test: 10 }, 60000, 10000), (e: unknown) => e instanceof SplitError && /63000 rows, but the data set's training set has 60000/.test(e.message));
  assert.throws(() => resolvePooledSplitSizes({ train: 10, val: 5, test: 10001 }, 60000, 10000), /test = 10001 rows, but the data set's test set has 10000/);
});

test('config: mnist needs no samples; fractions are per pool; a missing folder names it', () => {
  const text = (split: string, extra = '') => `data: { type: mnist, split: ${split}${extra} }
model: { layers: [ { flatten: {} }, { dense: { units: 10 } } ] }
training: { epochs: 1, batchSize: 8, optimizer: { type: adam, lr: 0.01 } }
`;
  assert.equal(parseConfigText(text('{ train: 0.9, val: 0.1, test: 1 }')).config.data.type, 'mnist');
  assert.throws(() => parseConfigText(text('{ train: 0.9, val: 0.2, test: 1 }')), /train \+ val are fractions of the training images and must add up to at most 1, they add up to 1.1/);
  const loaded = parseConfigText(text('{ train: 10, val: 0, test: 10 }', ', dir: nowhere'), 'm.yaml', { baseDir: '/tmp' });
  assert.equal((loaded.config.data as { dir: string }).dir, '/tmp/nowhere');
  assert.throws(() => prepareData(loaded.config.data, 0, '/tmp'), /mnist data folder \/tmp\/nowhere does not exist/);
});
