// Quantum channels end to end on small in-memory image sets: the appended channels' layout, their
// values against a direct QNode call and closed forms, and the cache (a hit computes nothing; a
// changed seed, circuit size or image is another key; a damaged file is detected and rebuilt).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../../../src/data/dataset.js';
import { QNode } from '../../../src/engine/qnode.js';
import { channelCircuits, edgeCircuit, textureCircuit } from '../../../src/models/quantum-channels/circuits.js';
import { cellMeans } from '../../../src/models/quantum-channels/maps.js';
import { withQuantumChannels, type QuantumChannelsConfig } from '../../../src/models/quantum-channels/channels.js';
import { Rng } from '../../../src/util/random.js';

function images(count: number, shape: [number, number, number], seed = 1): Dataset {
  const rng = new Rng(seed);
  const d = shape[0] * shape[1] * shape[2];
  return {
    features: Float32Array.from({ length: count * d }, () => rng.next()),
    labels: Int32Array.from({ length: count }, (_, i) => i % 2),
    numSamples: count,
    numFeatures: d,
    numClasses: 2,
    featureNames: [],
    classNames: ['a', 'b'],
    shape: [...shape],
  };
}

function withTempCache<T>(fn: (config: QuantumChannelsConfig, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-qch-'));
  try {
    return fn({ cacheDir: dir }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Channel `k` of pixel (r, c) of image `b` of a channels-last dataset. */
const at = (ds: Dataset, b: number, r: number, c: number, k: number) => {
  const [, w, ch] = ds.shape as number[];
  return ds.features[b * ds.numFeatures + (r * w + c) * ch + k];
};

test('RGB images get 5 channels and grey ones 3; the original channels are unchanged', () => {
  withTempCache((config) => {
    for (const [shape, channels] of [[[6, 6, 3], 5], [[6, 6, 1], 3]] as const) {
      const ds = images(5, [...shape]);
      const { dataset } = withQuantumChannels(ds, config);
      assert.deepEqual(dataset.shape, [6, 6, channels]);
      assert.equal(dataset.numFeatures, 36 * channels);
      assert.equal(dataset.features.length, 5 * 36 * channels);
      assert.deepEqual(dataset.labels, ds.labels);
      for (let b = 0; b < 5; b++) for (let k = 0; k < shape[2]; k++) assert.equal(at(dataset, b, 2, 3, k), ds.features[b * ds.numFeatures + (2 * 6 + 3) * shape[2] + k]);
    }
  });
});

test('with a 1x1 grid the channels are the expvals of the whole-image mean, matching closed forms', () => {
  withTempCache((config) => {
    const ds = images(4, [3, 3, 3]);
    const { dataset } = withQuantumChannels(ds, { ...config, qubits: 1, seed: 5 });
    const [we] = edgeCircuit(1, 5).weights;
    const [u] = textureCircuit(1, 5).weights;
    for (let b = 0; b < 4; b++) {
      const mean = ds.features.subarray(b * 27, (b + 1) * 27).reduce((s, v) => s + v, 0) / 27;
      // edge, 1 wire: RY(π·x) RY(w) |0>: <Z> = cos(π·x + w). texture, 1 wire: H, RZ(π·x), RX(u): <Z> = sin(π·x)·sin(u).
      for (const [r, c] of [[0, 0], [1, 2], [2, 1]]) {
        assert.ok(Math.abs(at(dataset, b, r, c, 3) - Math.cos(Math.PI * mean + we)) < 1e-6, 'Math.abs(at(dataset, b, r, c, 3) - Math.cos(Math.PI * mean + we)) < 1e-6');
        assert.ok(Math.abs(at(dataset, b, r, c, 4) - Math.sin(Math.PI * mean) * Math.sin(u)) < 1e-6, 'Math.abs(at(dataset, b, r, c, 4) - Math.sin(Math.PI * mean) * Math.sin(u)) < 1e-6');
      }
    }
  });
});

test('with a 2x2 grid the channel values are a direct QNode call on the cell means, placed in the cells', () => {
  withTempCache((config) => {
    // 2x2 images: each pixel is its own cell, and the half-pixel resize to 2x2 is the identity.
    const ds = images(3, [2, 2, 3]);
    const { dataset } = withQuantumChannels(ds, { ...config, qubits: 4, seed: 2 });
    const [edge, texture] = channelCircuits(4, 2);
    const b = 2;
    const means = new Float64Array(4);
    cellMeans(ds.features, b * ds.numFeatures, [2, 2, 3], { rows: 2, cols: 2 }, means);
    const direct = [edge, texture].map((c) => new QNode(c.circuit, c.measurement).forward(means, c.weights));
    for (let cell = 0; cell < 4; cell++) {
      const [r, c] = [Math.floor(cell / 2), cell % 2];
      assert.ok(Math.abs(at(dataset, b, r, c, 3) - direct[0][cell]) < 1e-6, `edge cell ${cell}`);
      assert.ok(Math.abs(at(dataset, b, r, c, 4) - direct[1][cell]) < 1e-6, `texture cell ${cell}`);
    }
    // The two circuits differ (so the channels carry two features, not one twice).
    assert.ok(direct[0].some((v, i) => Math.abs(v - direct[1][i]) > 1e-3), 'direct[0].some((v, i) => Math.abs(v - direct[1][i]) > 1e-3)');
  });
});

test('a cache hit computes nothing and gives the same bits; seed, qubits or data changes are other keys', () => {
  withTempCache((config, dir) => {
    const ds = images(20, [4, 4, 1]);
    const first = withQuantumChannels(ds, config);
    assert.equal(first.stats.cache, 'computed');
    assert.equal(first.stats.engine_images, 20);
    const again = withQuantumChannels(ds, config);
    assert.equal(again.stats.cache, 'hit');
    assert.equal(again.stats.engine_images, 0);
    assert.equal(again.stats.precompute_seconds, 0);
    assert.deepEqual(again.dataset.features, first.dataset.features);
    assert.equal(readdirSync(dir).length, 1);

    const otherSeed = withQuantumChannels(ds, { ...config, seed: 9 });
    assert.equal(otherSeed.stats.cache, 'computed', 'another circuit seed is another key');
    assert.notDeepEqual(otherSeed.dataset.features, first.dataset.features);
    assert.equal(withQuantumChannels(ds, { ...config, qubits: 2 }).stats.cache, 'computed', 'another circuit size is another key');
    const changed = { ...ds, features: Float32Array.from(ds.features) };
    changed.features[5] = 1 - changed.features[5];
    assert.equal(withQuantumChannels(changed, config).stats.cache, 'computed', 'another pixel is another key');
    assert.equal(readdirSync(dir).length, 4);
    // The original key still hits after the others were written.
    assert.equal(withQuantumChannels(ds, config).stats.cache, 'hit');
  });
});

test('a damaged, truncated or foreign cache file is detected and rebuilt, never used', () => {
  withTempCache((config, dir) => {
    const ds = images(10, [4, 4, 3]);
    const fresh = withQuantumChannels(ds, config);
    const file = join(dir, readdirSync(dir)[0]);
    const good = readFileSync(file);

    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0x40; // one bit of one expectation value
    writeFileSync(file, flipped);
    const rebuilt = withQuantumChannels(ds, config);
    assert.equal(rebuilt.stats.cache, 'rebuilt');
    assert.match(rebuilt.stats.rebuilt_because ?? '', /checksum/);
    assert.equal(rebuilt.stats.engine_images, 10);
    assert.deepEqual(rebuilt.dataset.features, fresh.dataset.features);
    assert.deepEqual(readFileSync(file), good, 'the rebuilt file is the good one again');

    truncateSync(file, statSync(file).size - 8);
    const afterTruncation = withQuantumChannels(ds, config);
    assert.equal(afterTruncation.stats.cache, 'rebuilt');
    assert.match(afterTruncation.stats.rebuilt_because ?? '', /truncated/);

    // Another key's file copied under this key's name (same size, valid checksum).
    const other = images(10, [4, 4, 3], 2);
    withQuantumChannels(other, config);
    const otherFile = readdirSync(dir).map((f) => join(dir, f)).find((f) => f !== file) as string;
    writeFileSync(file, readFileSync(otherFile));
    const foreign = withQuantumChannels(ds, config);
    assert.equal(foreign.stats.cache, 'rebuilt');
    assert.match(foreign.stats.rebuilt_because ?? '', /key/);
    assert.deepEqual(foreign.dataset.features, fresh.dataset.features);

    writeFileSync(file, 'not a cache');
    assert.equal(withQuantumChannels(ds, config).stats.cache, 'rebuilt');
  });
});

test('tabular data and grids larger than the image are refused with the field named', () => {
  withTempCache((config) => {
    const tabular: Dataset = { ...images(2, [1, 1, 4]), shape: undefined };
    assert.throws(() => withQuantumChannels(tabular, config), /model\.quantumChannels needs image data/);
    assert.throws(() => withQuantumChannels(images(2, [2, 2, 1]), { ...config, qubits: 9 }), /model\.quantumChannels\.qubits: 9 cells make a 3×3 grid/);
  });
});
