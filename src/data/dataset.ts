// The in-memory tabular dataset every loader returns: row-major float32 features with integer
// class labels, plus the names needed for reports.

import * as tf from '@tensorflow/tfjs';

export interface Dataset {
  /** Row-major [numSamples, numFeatures]. */
  features: Float32Array;
  /** Class index of each row, in 0..numClasses−1. */
  labels: Int32Array;
  numSamples: number;
  numFeatures: number;
  numClasses: number;
  featureNames: string[];
  /** Display name of each class index. */
  classNames: string[];
  /** Columns that carry the signal (synthetic sets: the two coordinates); used to draw decision boundaries. */
  informative?: number[];
  /**
   * Shape of one sample when it is not a flat feature vector, e.g. [28, 28, 1] for MNIST
   * (row-major, channels last; the product is numFeatures). Absent: [numFeatures].
   */
  shape?: number[];
  /**
   * Rows from this index on are the source's own test set (MNIST's 10,000): splits take test
   * rows only from them and train/validation rows only from the rows before. Absent: one pool.
   */
  testPoolStart?: number;
}

/** The shape of one sample: `shape`, or [numFeatures] for tabular data. */
export function sampleShape(ds: Pick<Dataset, 'shape' | 'numFeatures'>): number[] {
  return ds.shape ? [...ds.shape] : [ds.numFeatures];
}

/** The rows `indices` of a dataset, in that order. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const d = ds.numFeatures;
  const features = new Float32Array(indices.length * d);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!(row >= 0 && row < ds.numSamples)) throw new RangeError(`subset: row ${row} is outside 0..${ds.numSamples - 1}`);
    features.set(ds.features.subarray(row * d, row * d + d), i * d);
    labels[i] = ds.labels[row];
  }
  const { testPoolStart: _pool, ...rest } = ds;
  return { ...rest, features, labels, numSamples: indices.length };
}

/**
 * Features as a float32 tensor [n, ...sampleShape] ([n, d] for tabular data, [n, 28, 28, 1] for
 * MNIST) and labels as an int32 [n] tensor (the caller disposes).
 */
export function toTensors(ds: Dataset): { x: tf.Tensor; y: tf.Tensor1D } {
  return { x: tf.tensor(ds.features, [ds.numSamples, ...sampleShape(ds)], 'float32'), y: tf.tensor1d(ds.labels, 'int32') };
}

/** Count of rows per class. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const l of ds.labels) counts[l] += 1;
  return counts;
}
