// Batch-wise ranking losses on a score matrix S [B, M]: row i is query i against the batch's
// documents, column i its positive; columns B..2B−1 are the queries' own (mined) negatives when
// the batch has them. `negatives` [B, M] is 1 where column j may serve as a negative for query i
// (not its positive, not another document relevant to it — in-batch positives of other queries
// can be relevant to query i too, and must not be pushed away).
//
//   triplet          mean_i max(0, m − S[i,i] + S[i,B+i])              (its own negative)
//   margin_ranking   mean over allowed (i,j) of max(0, m − S[i,i] + S[i,j])  (every in-batch negative)
//   contrastive      InfoNCE: mean_i −log( e^{S[i,i]/τ} / Σ_{j=i or allowed} e^{S[i,j]/τ} )

import * as tf from '@tensorflow/tfjs';

export const RANKING_LOSSES = ['triplet', 'margin_ranking', 'contrastive'] as const;
export type RankingLossKind = (typeof RANKING_LOSSES)[number];

export interface RankingLossOptions {
  margin: number;
  temperature: number;
}

function positives(S: tf.Tensor2D): tf.Tensor1D {
  const B = S.shape[0];
  return tf.mul(S.slice([0, 0], [B, B]), tf.eye(B)).sum(1) as tf.Tensor1D;
}

export function tripletLoss(S: tf.Tensor2D, margin: number): tf.Scalar {
  const B = S.shape[0];
  if (S.shape[1] < 2 * B) throw new RangeError(`the triplet loss needs each query's own negative in columns ${B}..${2 * B - 1}, got ${S.shape[1]} columns`);
  const own = tf.mul(S.slice([0, B], [B, B]), tf.eye(B)).sum(1);
  return tf.relu(tf.scalar(margin).sub(positives(S)).add(own)).mean() as tf.Scalar;
}

export function marginRankingLoss(S: tf.Tensor2D, negatives: tf.Tensor2D, margin: number): tf.Scalar {
  const hinge = tf.relu(tf.scalar(margin).sub(positives(S).expandDims(1)).add(S));
  const count = negatives.sum().maximum(1);
  return hinge.mul(negatives).sum().div(count) as tf.Scalar;
}

export function contrastiveLoss(S: tf.Tensor2D, negatives: tf.Tensor2D, temperature: number): tf.Scalar {
  const [B, M] = S.shape;
  const isPositive = tf.eye(B, M);
  const allowed = negatives.add(isPositive).minimum(1);
  // Disallowed columns get a large negative logit (exp underflows to 0), not −∞ (NaN gradients).
  const logits = S.div(temperature).add(tf.scalar(1).sub(allowed).mul(-1e9));
  const logZ = tf.logSumExp(logits, 1);
  const pos = logits.mul(isPositive).sum(1);
  return logZ.sub(pos).mean() as tf.Scalar;
}

export function rankingLoss(kind: RankingLossKind, S: tf.Tensor2D, negatives: tf.Tensor2D, options: RankingLossOptions): tf.Scalar {
  switch (kind) {
    case 'triplet':
      return tripletLoss(S, options.margin);
    case 'margin_ranking':
      return marginRankingLoss(S, negatives, options.margin);
    case 'contrastive':
      return contrastiveLoss(S, negatives, options.temperature);
  }
}
