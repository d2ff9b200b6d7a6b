import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classCounts } from '../../src/data/dataset.js';
import { makeSynthetic } from '../../src/data/synthetic.js';

test('every synthetic set has the asked size, features, classes and is deterministic per seed', () => {
  for (const kind of ['circles', 'moons', 'spirals', 'xor'] as const) {
    const a = makeSynthetic(kind, { samples: 101, noise: 0.1, noiseFeatures: 3, seed: 9 });
    const b = makeSynthetic(kind, { samples: 101, noise: 0.1, noiseFeatures: 3, seed: 9 });
    const c = makeSynthetic(kind, { samples: 101, noise: 0.1, noiseFeatures: 3, seed: 10 });
    assert.equal(a.numSamples, 101);
    assert.equal(a.numFeatures, 5);
    assert.equal(a.features.length, 505);
    assert.deepEqual(a.featureNames, ['x', 'y', 'noise_0', 'noise_1', 'noise_2']);
    assert.deepEqual(a.informative, [0, 1]);
    assert.deepEqual(a.features, b.features, kind);
    assert.deepEqual(a.labels, b.labels, kind);
    assert.notDeepEqual(a.features, c.features, kind);
    assert.ok(a.features.every(Number.isFinite), 'a.features.every(Number.isFinite)');
    assert.ok(classCounts(a).every((n) => n >= 40), `${kind}: ${classCounts(a)}`);
  }
});

test('circles without noise: class 0 on the unit circle, class 1 on radius factor', () => {
  const ds = makeSynthetic('circles', { samples: 200, factor: 0.3, seed: 1 });
  for (let i = 0; i < ds.numSamples; i++) {
    const r = Math.hypot(ds.features[2 * i], ds.features[2 * i + 1]);
    assert.ok(Math.abs(r - (ds.labels[i] === 0 ? 1 : 0.3)) < 1e-6, `row ${i}: r = ${r}`);
  }
});

test('xor without noise: the label is the sign of x·y', () => {
  const ds = makeSynthetic('xor', { samples: 300, seed: 2 });
  for (let i = 0; i < ds.numSamples; i++) {
    assert.equal(ds.labels[i], ds.features[2 * i] * ds.features[2 * i + 1] > 0 ? 0 : 1);
  }
});

test('noise features are pure noise: mean ~0, std ~1, uncorrelated with the label', () => {
  const ds = makeSynthetic('moons', { samples: 4000, noise: 0.1, noiseFeatures: 1, seed: 3 });
  let sum = 0;
  let sq = 0;
  let byLabel = [0, 0];
  for (let i = 0; i < ds.numSamples; i++) {
    const z = ds.features[i * 3 + 2];
    sum += z;
    sq += z * z;
    byLabel[ds.labels[i]] += z;
  }
  const n = ds.numSamples;
  assert.ok(Math.abs(sum / n) < 0.05, 'Math.abs(sum / n) < 0.05');
  assert.ok(Math.abs(Math.sqrt(sq / n) - 1) < 0.05, 'Math.abs(Math.sqrt(sq / n) - 1) < 0.05');
  byLabel = byLabel.map((s, k) => s / classCounts(ds)[k]);
  assert.ok(Math.abs(byLabel[0] - byLabel[1]) < 0.1, 'Math.abs(byLabel[0] - byLabel[1]) < 0.1');
});

test('spirals support more arms; bad settings are refused', () => {
  const ds = makeSynthetic('spirals', { samples: 90, classes: 3, seed: 4 });
  assert.equal(ds.numClasses, 3);
  assert.deepEqual(classCounts(ds), [30, 30, 30]);
  assert.throws(() => makeSynthetic('circles', { samples: 10, factor: 1.5, seed: 1 }), /factor/);
  assert.throws(() => makeSynthetic('moons', { samples: 0, seed: 1 }), /samples/);
  assert.throws(() => makeSynthetic('xor', { samples: 10, noiseFeatures: -1, seed: 1 }), /noiseFeatures/);
});
