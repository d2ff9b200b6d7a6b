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
import type { Dataset } from './dataset.js';
import { drawSplitRows, SplitError, type SplitSizes } from './split-rows.js';

export { drawSplitRows, resolvePooledSplitSizes, resolveSplitSizes, SplitError, type SplitRows, type SplitSizes } from './split-rows.js';

export interface SplitIndices {
  seed: number;
  numSamples: number;
  /** SHA-256 (hex, first 16 bytes) of the dataset's features and labels. */
  dataFingerprint: string;
  train: number[];
  val: number[];
  test: number[];
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

/** A seeded random split (drawSplitRows) with the data fingerprint that split.json carries. */
export function makeSplit(ds: Dataset, sizes: SplitSizes, seed: number): SplitIndices {
  const rows = drawSplitRows(ds, sizes, seed);
  return { seed, numSamples: ds.numSamples, dataFingerprint: dataFingerprint(ds), ...rows };
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
