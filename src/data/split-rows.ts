// Drawing the rows of a train/validation/test split from a seed: the part of splitting that needs
// neither files nor hashing, so that a web page (the playground) draws exactly the rows that
// `entangle train` draws for the same data and seed. split.ts adds the data fingerprint and
// split.json.

import { deriveSeed, Rng } from '../util/random.js';
import type { Dataset } from './dataset.js';
import { EntangleError } from '../util/errors.js';

export interface SplitSizes {
  /** Row counts (integers) or fractions of the dataset (all ≤ 1). */
  train: number;
  val: number;
  test: number;
}

/** The row indices of each part. */
export interface SplitRows {
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
 * The rows of a seeded random split: one permutation of the rows, cut into train, val and test.
 * With a test pool (`ds.testPoolStart`): a permutation of the training pool cut into train and
 * val, and the test rows from the test pool (all of it in file order, or a seeded random subset).
 */
export function drawSplitRows(ds: Pick<Dataset, 'numSamples' | 'testPoolStart'>, sizes: SplitSizes, seed: number): SplitRows {
  if (ds.testPoolStart !== undefined) return drawPooledRows(ds.numSamples, sizes, seed, ds.testPoolStart);
  const { train, val, test } = resolveSplitSizes(sizes, ds.numSamples);
  if (train < 1) throw new SplitError('the training split is empty');
  const order = Array.from(new Rng(seed).permutation(ds.numSamples));
  return { train: order.slice(0, train), val: order.slice(train, train + val), test: order.slice(train + val, train + val + test) };
}

function drawPooledRows(numSamples: number, sizes: SplitSizes, seed: number, start: number): SplitRows {
  const testPool = numSamples - start;
  const { train, val, test } = resolvePooledSplitSizes(sizes, start, testPool);
  if (train < 1) throw new SplitError('the training split is empty');
  const order = Array.from(new Rng(seed).permutation(start));
  const testRows =
    test === testPool
      ? Array.from({ length: testPool }, (_, i) => start + i)
      : Array.from(new Rng(deriveSeed(seed, 'test-pool')).permutation(testPool).subarray(0, test), (i) => start + i);
  return { train: order.slice(0, train), val: order.slice(train, train + val), test: testRows };
}
