// Classification metrics over a batch, as tensors so a training step needs one read-back.

import * as tf from '@tensorflow/tfjs';

/** Number of rows whose arg-max output equals the label (a float32 scalar). */
export function correctCount(labels: tf.Tensor1D, outputs: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.equal(outputs.argMax(1), labels.toInt()).toFloat().sum() as tf.Scalar);
}

/**
 * Number of rows whose label is among the k largest outputs (a float32 scalar): top-k accuracy's
 * numerator. Ties at the k-th value count as tfjs's topk orders them (lower index first).
 */
export function topKCorrectCount(labels: tf.Tensor1D, outputs: tf.Tensor2D, k: number): tf.Scalar {
  return tf.tidy(() => {
    const { indices } = tf.topk(outputs, Math.min(k, outputs.shape[1]));
    return tf.equal(indices, labels.toInt().expandDims(1)).any(1).toFloat().sum() as tf.Scalar;
  });
}

/** Fraction of rows whose arg-max output equals the label. */
export function accuracy(labels: tf.Tensor1D, outputs: tf.Tensor2D): number {
  const n = labels.shape[0];
  if (n === 0) return NaN;
  const c = correctCount(labels, outputs);
  const value = c.dataSync()[0] / n;
  c.dispose();
  return value;
}

/** Streaming mean of per-batch values weighted by batch size. */
export class RunningMean {
  private sum = 0;
  private count = 0;
  add(value: number, weight: number): void {
    this.sum += value * weight;
    this.count += weight;
  }
  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }
}
