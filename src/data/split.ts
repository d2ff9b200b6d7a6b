// Train/validation/test splits drawn from a seed. The indices are saved as split.json in the run
// folder; loading that file back (data.split.file in a config) gives another model exactly the
// same rows, and the file's data fingerprint catches a split applied to different data.
//
// A dataset with its own test set (MNIST: `testPoolStart`) has two pools: train and validation
// rows come from the training pool, test rows from the test pool, and split sizes are counts or
// fractions of their own pool (train + val of the training pool, test of the test pool).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-file.js';
import { deriveSeed, Rng } from '../util/random.js';
import type { Dataset } from './dataset.js';
import { EntangleError } from '../util/errors.js';

export interface SplitSizes {
  /** Row counts (integers) or fractions of the dataset (all ≤ 1). */
  train: number;
  val: number;
  test: number;
}

export interface SplitIndices {
  seed: number;
  numSamples: number;
  /** SHA-256 (hex, first 16 bytes) of the dataset's features and labels. */
  dataFingerprint: string;
  train: number[];
  val: number[];
  test: number[];
}

export class SplitError extends EntangleError {
  constructor(message: string) {
    super('E_SPLIT', message);
  }
  override name = 'SplitError';
}

/** Turn fractions into counts; counts are checked against the dataset size. */
export function resolveSplitSizes(sizes: SplitSizes, n: number): SplitSizes {
  const values = [sizes.train, sizes.val, sizes.test];
  if (values.some((v) => !(v >= 0))) throw new SplitError(`split sizes must be >= 0, got train ${sizes.train}, val ${sizes.val}, test ${sizes.test}`);
  const fractions = values.every((v) => v <= 1) && values.some((v) => v > 0 && v < 1);
  if (fractions) {
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum > 1 + 1e-9) throw new SplitError(`split fractions add up to ${sum}, more than 1`);
    const val = Math.round(sizes.val * n);
    const test = Math.round(sizes.test * n);
    // Fractions that add up to 1 give train every row left, so rounding never drops one.
    const train = Math.abs(sum - 1) < 1e-9 ? n - val - test : Math.round(sizes.train * n);
    return { train, val, test };
  }
  if (values.some((v) => !Number.isInteger(v))) throw new SplitError(`split sizes must be all integers (counts) or all at most 1 (fractions), got ${values.join(', ')}`);
  const total = values.reduce((a, b) => a + b, 0);
  if (total > n) throw new SplitError(`split sizes add up to ${total} rows, the dataset has ${n}`);
  return sizes;
}

/** Fingerprints by features array: hashing MNIST's 220 MB takes ~0.1-0.4 s, and a run asks more than once. */
const fingerprints = new WeakMap<Float32Array, { labels: Int32Array; value: string }>();

export function dataFingerprint(ds: Dataset): string {
  const known = fingerprints.get(ds.features);
  if (known && known.labels === ds.labels) return known.value;
  const value = hashDataset(ds);
  fingerprints.set(ds.features, { labels: ds.labels, value });
  return value;
}

function hashDataset(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(Buffer.from(ds.features.buffer, ds.features.byteOffset, ds.features.byteLength));
  h.update(Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  return h.digest('hex').slice(0, 32);
}

/**
 * Split sizes of a dataset with a separate test pool: train and val are counts or fractions of the
 * `trainPool` rows, test of the `testPool` rows (fractions when every size is ≤ 1 and one lies
 * strictly between 0 and 1, as for one pool).
 */
export function resolvePooledSplitSizes(sizes: SplitSizes, trainPool: number, testPool: number): SplitSizes {
  const values = [sizes.train, sizes.val, sizes.test];
  if (values.some((v) => !(v >= 0))) throw new SplitError(`split sizes must be >= 0, got train ${sizes.train}, val ${sizes.val}, test ${sizes.test}`);
  const fractions = values.every((v) => v <= 1) && values.some((v) => v > 0 && v < 1);
  if (fractions) {
    const sum = sizes.train + sizes.val;
    if (sum > 1 + 1e-9) throw new SplitError(`split fractions train + val add up to ${sum}, more than 1 (both are fractions of the ${trainPool} training rows)`);
    const val = Math.round(sizes.val * trainPool);
    const train = Math.abs(sum - 1) < 1e-9 ? trainPool - val : Math.round(sizes.train * trainPool);
    return { train, val, test: Math.round(sizes.test * testPool) };
  }
  if (values.some((v) => !Number.isInteger(v))) throw new SplitError(`split sizes must be all integers (counts) or all at most 1 (fractions), got ${values.join(', ')}`);
  if (sizes.train + sizes.val > trainPool) {
    throw new SplitError(`split train + val = ${sizes.train + sizes.val} rows, but the data set's training set has ${trainPool} (validation rows are taken from it)`);
  }
  if (sizes.test > testPool) throw new SplitError(`split test = ${sizes.test} rows, but the data set's test set has ${testPool}`);
  return sizes;
}

/**
 * A seeded random split: one permutation of the rows, cut into train, val and test. With a
 * test pool (`ds.testPoolStart`): a permutation of the training pool cut into train and val, and
 * the test rows from the test pool (all of it in file order, or a seeded random subset).
 */
export function makeSplit(ds: Dataset, sizes: SplitSizes, seed: number): SplitIndices {
  if (ds.testPoolStart !== undefined) return makePooledSplit(ds, sizes, seed, ds.testPoolStart);
  const { train, val, test } = resolveSplitSizes(sizes, ds.numSamples);
  if (train < 1) throw new SplitError('the training split is empty');
  const order = Array.from(new Rng(seed).permutation(ds.numSamples));
  return {
    seed,
    numSamples: ds.numSamples,
    dataFingerprint: dataFingerprint(ds),
    train: order.slice(0, train),
    val: order.slice(train, train + val),
    test: order.slice(train + val, train + val + test),
  };
}

function makePooledSplit(ds: Dataset, sizes: SplitSizes, seed: number, start: number): SplitIndices {
  const testPool = ds.numSamples - start;
  const { train, val, test } = resolvePooledSplitSizes(sizes, start, testPool);
  if (train < 1) throw new SplitError('the training split is empty');
  const order = Array.from(new Rng(seed).permutation(start));
  const testRows =
    test === testPool
      ? Array.from({ length: testPool }, (_, i) => start + i)
      : Array.from(new Rng(deriveSeed(seed, 'test-pool')).permutation(testPool).subarray(0, test), (i) => start + i);
  return {
    seed,
    numSamples: ds.numSamples,
    dataFingerprint: dataFingerprint(ds),
    train: order.slice(0, train),
    val: order.slice(train, train + val),
    test: testRows,
  };
}

export function saveSplit(path: string, split: SplitIndices): void {
  writeFileAtomic(path, JSON.stringify(split) + '\n');
}

/** Load split.json and check that it fits `ds` (same size, same data, disjoint in-range rows). */
export function loadSplit(path: string, ds?: Dataset): SplitIndices {
  let split: SplitIndices;
  try {
    split = JSON.parse(readFileSync(path, 'utf8')) as SplitIndices;
  } catch (e) {
    throw new SplitError(`cannot read split file ${path}: ${(e as Error).message}`);
  }
  for (const part of ['train', 'val', 'test'] as const) {
    if (!Array.isArray(split[part])) throw new SplitError(`${path}: "${part}" is not a list of row indices`);
  }
  if (ds) {
    if (split.numSamples !== ds.numSamples) throw new SplitError(`${path} was made for ${split.numSamples} rows, the dataset has ${ds.numSamples}`);
    const fp = dataFingerprint(ds);
    if (split.dataFingerprint !== fp) throw new SplitError(`${path} was made for other data (fingerprint ${split.dataFingerprint}, this dataset ${fp})`);
  }
  checkDisjoint(split);
  return split;
}

/** Throws unless every index is a valid row used by at most one part. */
export function checkDisjoint(split: SplitIndices): void {
  const seen = new Map<number, string>();
  for (const part of ['train', 'val', 'test'] as const) {
    for (const i of split[part]) {
      if (!(Number.isInteger(i) && i >= 0 && i < split.numSamples)) throw new SplitError(`split: ${part} row ${i} is outside 0..${split.numSamples - 1}`);
      const other = seen.get(i);
      if (other) throw new SplitError(`split: row ${i} is in both ${other} and ${part}`);
      seen.set(i, part);
    }
  }
}
