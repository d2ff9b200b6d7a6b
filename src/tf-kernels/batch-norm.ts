// Batch normalization in training mode as one op with a hand-written gradient.
//
// Why: tfjs-layers' BatchNormalization trains through tf.moments followed by tf.batchNorm, and
// autodiff then runs the gradient of each piece — the batchNorm op's own gradient tiles the
// per-channel factor to the full activation shape (a Tile kernel, the single largest kernel of a
// ResNet-8 training step on wasm by tf.profile: ~30 % of kernel time), and the gradients through
// the mean and the variance each make a few more full-size passes. The closed form below needs
// two reductions and a handful of broadcast multiplies:
//
//   forward   μ = mean(x), σ² = mean((x−μ)²), r = 1/√(σ²+ε), y = γ·r·(x−μ) + β
//   backward  dβ = Σ dy, dγ = r·Σ dy·(x−μ),
//             dx = γr·dy − (γr²·dγ/N)·(x−μ) − γr·dβ/N
//
// with the sums over every axis but the channels (the last one) and N the number of values per
// channel. The batch statistics μ and σ² (biased, as tf.moments) are returned beside y for the
// moving averages; they carry no gradient.

import * as tf from '@tensorflow/tfjs';

export interface BatchNormTrainingResult {
  y: tf.Tensor;
  /** Per-channel batch mean and (biased) variance, shape [channels]. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Normalize `x` (channels last) with its own batch statistics; differentiable in x, gamma and beta. */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / x.shape[x.shape.length - 1];
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((xIn, gIn, bIn, save) => {
    const [xt, g, b] = [xIn as tf.Tensor, gIn as tf.Tensor1D, bIn as tf.Tensor1D];
    const mean = tf.mean(xt, axes) as tf.Tensor1D;
    const centred = tf.sub(xt, mean);
    const variance = tf.mean(tf.square(centred), axes) as tf.Tensor1D;
    const rstd = tf.rsqrt(tf.add(variance, epsilon)) as tf.Tensor1D;
    const y = tf.add(tf.mul(centred, tf.mul(g, rstd)), b);
    // The op's scope frees everything it does not return or save: keep the statistics past it.
    stats = [tf.keep(mean), tf.keep(variance)];
    (save as (tensors: tf.Tensor[]) => void)([centred, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [c, r, gm] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        const dBeta = tf.sum(dy, axes) as tf.Tensor1D;
        const dGamma = tf.mul(r, tf.sum(tf.mul(dy, c), axes)) as tf.Tensor1D;
        const gr = tf.mul(gm, r);
        const a = tf.mul(tf.mul(gr, r), tf.div(dGamma, count));
        const dx = tf.sub(tf.sub(tf.mul(dy, gr), tf.mul(c, a)), tf.mul(gr, tf.div(dBeta, count)));
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  // Clones belong to the caller's scope (a tidy frees them); the kept originals are freed here.
  const kept = stats as [tf.Tensor1D, tf.Tensor1D];
  const [mean, variance] = kept.map((t) => tf.clone(t)) as [tf.Tensor1D, tf.Tensor1D];
  tf.dispose(kept);
  return { y, mean, variance };
}
