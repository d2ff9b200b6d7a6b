// Train/validation/test splits drawn from a seed. The indices are saved as split.json in the run
// folder; loading that file back (data.split.file in a config) gives another model exactly the
// same rows, and the file's data fingerprint catches a split applied to different data.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../train/atomic-file.js';
import { Rng } from '../train/random.js';
import type { Dataset } from './dataset.js';

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

export class SplitError extends Error {
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

export function dataFingerprint(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(Buffer.from(ds.features.buffer, ds.features.byteOffset, ds.features.byteLength));
  h.update(Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength));
  return h.digest('hex').slice(0, 32);
}

/** A seeded random split: one permutation of the rows, cut into train, val and test. */
export function makeSplit(ds: Dataset, sizes: SplitSizes, seed: number): SplitIndices {
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
