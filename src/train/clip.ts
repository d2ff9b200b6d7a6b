// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): when the L2 norm of all
// gradients together exceeds maxNorm, scale every gradient by maxNorm / (norm + 1e-6).
// The scale is a tensor (min(1, ·)), so clipping needs no read-back and no branch; the norm
// before clipping is returned for logging.

import * as tf from '@tensorflow/tfjs';

/** L2 norm of all tensors taken as one vector (a scalar tensor). */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    return tf.sqrt(tf.addN(tensors.map((t) => t.square().sum()))) as tf.Scalar;
  });
}

export interface ClipResult<K> {
  /** The gradients after clipping (the same tensors when maxNorm is undefined). */
  grads: Map<K, tf.Tensor>;
  /** Global norm before clipping. */
  norm: tf.Scalar;
}

/** Clip `grads` to global norm `maxNorm` (undefined or Infinity: no clipping, norm still computed). */
export function clipByGlobalNorm<K>(grads: ReadonlyMap<K, tf.Tensor>, maxNorm?: number): ClipResult<K> {
  const norm = globalNorm([...grads.values()]);
  if (maxNorm === undefined || !Number.isFinite(maxNorm)) return { grads: new Map(grads), norm };
  if (!(maxNorm > 0)) throw new RangeError(`clip norm must be > 0, got ${maxNorm}`);
  const scale = tf.tidy(() => tf.minimum(1, tf.div(maxNorm, norm.add(1e-6))));
  const clipped = new Map<K, tf.Tensor>();
  for (const [k, g] of grads) clipped.set(k, g.mul(scale));
  scale.dispose();
  return { grads: clipped, norm };
}
