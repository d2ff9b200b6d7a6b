import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareData } from '../../src/data/load.js';
import { checkDisjoint, loadSplit, makeSplit, resolveSplitSizes, saveSplit, SplitError } from '../../src/data/split.js';
import { fitStandardizer } from '../../src/data/standardize.js';
import { makeSynthetic } from '../../src/data/synthetic.js';

const ds = makeSynthetic('circles', { samples: 600, noise: 0.1, noiseFeatures: 2, seed: 7 });

test('a split is deterministic per seed, disjoint, and of the asked sizes', () => {
  const a = makeSplit(ds, { train: 400, val: 100, test: 100 }, 7);
  const b = makeSplit(ds, { train: 400, val: 100, test: 100 }, 7);
  const c = makeSplit(ds, { train: 400, val: 100, test: 100 }, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.train, c.train);
  assert.deepEqual([a.train.length, a.val.length, a.test.length], [400, 100, 100]);
  const all = new Set([...a.train, ...a.val, ...a.test]);
  assert.equal(all.size, 600);
  checkDisjoint(a);
});

test('fractions become counts; fractions adding up to 1 leave no row out', () => {
  assert.deepEqual(resolveSplitSizes({ train: 0.7, val: 0.15, test: 0.15 }, 101), { train: 71, val: 15, test: 15 });
  assert.deepEqual(resolveSplitSizes({ train: 0.5, val: 0.1, test: 0 }, 100), { train: 50, val: 10, test: 0 });
  assert.throws(() => resolveSplitSizes({ train: 0.8, val: 0.2, test: 0.2 }, 100), /add up to 1.2/);
  assert.throws(() => resolveSplitSizes({ train: 500, val: 100, test: 100 }, 600), /700 rows, the dataset has 600/);
  assert.throws(() => resolveSplitSizes({ train: 10.5, val: 2, test: 2 }, 600), /integers/);
});

test('split.json round-trips, and is refused for other data or with overlapping rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'split-'));
  const path = join(dir, 'split.json');
  const split = makeSplit(ds, { train: 400, val: 100, test: 100 }, 7);
  saveSplit(path, split);
  assert.deepEqual(loadSplit(path, ds), split);
  const other = makeSynthetic('circles', { samples: 600, noise: 0.1, noiseFeatures: 2, seed: 8 });
  assert.throws(() => loadSplit(path, other), (e: unknown) => e instanceof SplitError && /other data/.test((e as Error).message));
  writeFileSync(path, JSON.stringify({ ...split, val: [split.train[0], ...split.val.slice(1)] }));
  assert.throws(() => loadSplit(path, ds), /is in both train and val/);
});

test('prepareData: the saved split file reproduces the rows; standardization uses train rows only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'split-'));
  const config = { type: 'circles' as const, samples: 600, noise: 0.1, noiseFeatures: 2, split: { train: 400, val: 100, test: 100 } };
  const first = prepareData(config, 7);
  saveSplit(join(dir, 'split.json'), first.split);
  // A different split seed, but the file wins.
  const again = prepareData({ ...config, split: { ...config.split, seed: 99, file: join(dir, 'split.json') } }, 7);
  assert.deepEqual(again.split, first.split);
  assert.deepEqual(again.test.features, first.test.features);

  const expected = fitStandardizer(first.dataset, first.split.train);
  assert.deepEqual(first.standardizer, expected);
  const everything = fitStandardizer(first.dataset, [...first.split.train, ...first.split.val, ...first.split.test]);
  assert.notDeepEqual(first.standardizer?.mean, everything.mean);
  // Standardized training columns have mean 0 and std 1; validation columns only roughly.
  const d = first.train.numFeatures;
  for (let j = 0; j < d; j++) {
    let m = 0;
    let s = 0;
    for (let i = 0; i < first.train.numSamples; i++) m += first.train.features[i * d + j];
    m /= first.train.numSamples;
    for (let i = 0; i < first.train.numSamples; i++) s += (first.train.features[i * d + j] - m) ** 2;
    assert.ok(Math.abs(m) < 1e-5, 'Math.abs(m) < 1e-5');
    assert.ok(Math.abs(Math.sqrt(s / first.train.numSamples) - 1) < 1e-4, 'Math.abs(Math.sqrt(s / first.train.numSamples) - 1) < 1e-4');
  }
});
