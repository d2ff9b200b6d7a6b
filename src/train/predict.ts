// Model outputs for a whole set, in batches, in inference mode.

import * as tf from '@tensorflow/tfjs';

/** Model outputs for every row, in batches (a [n, outputs] tensor the caller disposes). */
export function predict(model: tf.LayersModel, x: tf.Tensor, batchSize = 256): tf.Tensor2D {
  const n = x.shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(tf.tidy(() => model.apply(x.slice(start, size), { training: false }) as tf.Tensor));
  }
  const out = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return out;
}
