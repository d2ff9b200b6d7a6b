// Loss functions over a batch: each returns the mean over the batch as a scalar tensor.
// Classification labels are integer class indices [batch]; outputs are [batch, classes].

import * as tf from '@tensorflow/tfjs';

/** cross_entropy: classification only; mae: regression only; mse: either. */
export type LossKind = 'cross_entropy' | 'mse' | 'mae';

/**
 * Softmax cross-entropy from logits with label smoothing ε: the target of class c is
 * (1−ε)·[c = label] + ε/K, and the loss is −Σ_c target_c · log softmax(logits)_c, averaged over
 * the batch (the same as torch.nn.CrossEntropyLoss(label_smoothing=ε)).
 */
export function softmaxCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor2D, labelSmoothing = 0): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new RangeError(`labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
  return tf.tidy(() => {
    const k = logits.shape[1];
    const oneHot = tf.oneHot(labels.toInt(), k).toFloat();
    const targets = labelSmoothing > 0 ? oneHot.mul(1 - labelSmoothing).add(labelSmoothing / k) : oneHot;
    const logProbs = tf.logSoftmax(logits);
    return targets.mul(logProbs).sum(1).neg().mean() as tf.Scalar;
  });
}

/** Mean squared error over every element. */
export function meanSquaredError(targets: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => predictions.sub(targets).square().mean() as tf.Scalar);
}

/** Mean absolute error over every element. */
export function meanAbsoluteError(targets: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => predictions.sub(targets).abs().mean() as tf.Scalar);
}

/**
 * The loss of a classifier given integer labels. For 'mse' the target is the one-hot vector of
 * the label (outputs compared directly, no softmax), as in many quantum-classifier papers.
 */
export function classificationLoss(kind: LossKind, labelSmoothing = 0): (labels: tf.Tensor1D, outputs: tf.Tensor2D) => tf.Scalar {
  switch (kind) {
    case 'cross_entropy':
      return (labels, outputs) => softmaxCrossEntropy(labels, outputs, labelSmoothing);
    case 'mse':
      return (labels, outputs) =>
        tf.tidy(() => {
          const k = outputs.shape[1];
          const oneHot = tf.oneHot(labels.toInt(), k).toFloat();
          const targets = labelSmoothing > 0 ? oneHot.mul(1 - labelSmoothing).add(labelSmoothing / k) : oneHot;
          return meanSquaredError(targets, outputs);
        });
    default:
      throw new Error(`unknown loss "${kind as string}" (expected cross_entropy or mse)`);
  }
}
