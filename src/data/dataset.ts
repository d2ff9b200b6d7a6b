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
  return { ...ds, features, labels, numSamples: indices.length };
}

/** Features as a [n, d] float32 tensor and labels as an int32 [n] tensor (the caller disposes). */
export function toTensors(ds: Dataset): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return { x: tf.tensor2d(ds.features, [ds.numSamples, ds.numFeatures], 'float32'), y: tf.tensor1d(ds.labels, 'int32') };
}

/** Count of rows per class. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (const l of ds.labels) counts[l] += 1;
  return counts;
}
