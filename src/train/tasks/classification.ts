// Classification: rows of inputs with integer class labels, a model with one output per class.
// Loss: softmax cross-entropy (optionally label-smoothed) or MSE against the one-hot label;
// metric: accuracy (arg-max output equals the label).

import * as tf from '@tensorflow/tfjs';
import { classTargets, correctCount as correctCountOf, meanSquaredError, softmaxCrossEntropy } from '../fused-step/float32-ops.js';
import type { FusedTaskHooks } from '../fused-step/hooks.js';
import { classificationLoss, type LossKind } from '../losses.js';
import { correctCount, RunningMean, topKCorrectCount } from '../metrics.js';
import type { BatchLoss, Evaluation, MetricAccumulator, TrainingTask } from './task.js';

/** Inputs (batch-first, any rank) with integer class labels. */
export interface LabeledTensors {
  x: tf.Tensor;
  y: tf.Tensor1D;
}

export type ClassificationLossFn = (labels: tf.Tensor1D, outputs: tf.Tensor2D) => tf.Scalar;

export interface ClassificationOptions {
  loss?: LossKind;
  labelSmoothing?: number;
}

/** The classification task over LabeledTensors. */
export function classificationTask(options: ClassificationOptions = {}): TrainingTask<LabeledTensors, LabeledTensors> {
  const kind = options.loss ?? 'cross_entropy';
  if (kind !== 'cross_entropy' && kind !== 'mse') throw new Error(`loss "${kind as string}" is not a classification loss (use cross_entropy or mse, or set training.task: regression)`);
  const lossFn = classificationLoss(kind, options.labelSmoothing ?? 0);
  return {
    name: 'classification',
    trainMetrics: [{ name: 'accuracy', mode: 'max' }],
    evalMetrics: [{ name: 'accuracy', mode: 'max' }],
    size: (data) => data.x.shape[0],
    checkData: (data, role) => {
      if (data.y.shape[0] !== data.x.shape[0]) throw new Error(`train: ${role === 'train' ? '' : 'validation '}x has ${data.x.shape[0]} rows but y has ${data.y.shape[0]}`);
    },
    makeBatch: (data, rows) => {
      const idx = tf.tensor1d(rows, 'int32');
      return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) as tf.Tensor1D };
    },
    batchLoss: (model, batch): BatchLoss => {
      const out = model.apply(batch.x, { training: true }) as tf.Tensor2D;
      return { stats: { correct: correctCount(batch.y, out) }, loss: lossFn(batch.y, out) };
    },
    newAccumulator: () => new AccuracyAccumulator(),
    evaluate: (model, data, batchSize) => evaluate(model, data, lossFn, batchSize),
    fused: fusedHooks(kind, options.labelSmoothing ?? 0),
  };
}

/**
 * batchLoss and evaluate on plain arrays for the fused step (train/fused-step): the same loss,
 * gradient, correct count and evaluation, bit for bit.
 */
function fusedHooks(kind: 'cross_entropy' | 'mse', smoothing: number): FusedTaskHooks<LabeledTensors> {
  const lossOf = (outputs: Float32Array, labels: Int32Array, rows: number, k: number) => {
    const targets = classTargets(labels, rows, k, smoothing);
    return kind === 'cross_entropy' ? softmaxCrossEntropy(outputs, targets, rows, k) : meanSquaredError(outputs, targets);
  };
  return {
    inputs: (data, rows) => (readable(data) ? gatherRows(data.x, rows) : null),
    loss: (data, rows, outputs, k) => {
      const labels = gatherLabels(data.y, rows);
      const r = lossOf(outputs, labels, rows.length, k);
      return { loss: r.loss, dOutputs: r.dOutputs, stats: { correct: [correctCountOf(outputs, labels, rows.length, k)] } };
    },
    // evaluate() below, batch for batch; top-5 accuracy (6+ classes) stays with it.
    evaluate: (data, batchSize, forward, k) => {
      const n = data.x.shape[0];
      if (!readable(data) || n === 0 || k >= TOP5_MIN_CLASSES) return null;
      const lossMean = new RunningMean();
      let correct = 0;
      for (let start = 0; start < n; start += batchSize) {
        const rows = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
        const out = forward(gatherRows(data.x, rows), rows.length);
        const labels = gatherLabels(data.y, rows);
        lossMean.add(lossOf(out, labels, rows.length, k).loss, rows.length);
        correct += correctCountOf(out, labels, rows.length, k);
      }
      return { loss: lossMean.mean, accuracy: correct / n };
    },
  };
}

/** Tabular float32 features and int32 labels: what the fused hooks read as arrays. */
const readable = (data: LabeledTensors): boolean => data.x.rank === 2 && data.x.dtype === 'float32' && data.y.dtype === 'int32';

/** The rows of x [n, d] as one [rows, d] array (on the cpu backend dataSync is x's own array: only read). */
function gatherRows(x: tf.Tensor, rows: Int32Array): Float32Array {
  const d = x.shape[1] as number;
  const all = x.dataSync() as Float32Array;
  const out = new Float32Array(rows.length * d);
  for (let b = 0; b < rows.length; b++) out.set(all.subarray(rows[b] * d, rows[b] * d + d), b * d);
  return out;
}

function gatherLabels(y: tf.Tensor1D, rows: Int32Array): Int32Array {
  const all = y.dataSync() as Int32Array;
  const labels = new Int32Array(rows.length);
  for (let b = 0; b < rows.length; b++) labels[b] = all[rows[b]];
  return labels;
}

/** Correct predictions over the samples seen: the epoch's running training accuracy. */
class AccuracyAccumulator implements MetricAccumulator {
  private correct = 0;
  private samples = 0;
  add(stats: Readonly<Record<string, ArrayLike<number>>>, batchSize: number): void {
    this.correct += stats.correct[0];
    this.samples += batchSize;
  }
  result(): Record<string, number> {
    return { accuracy: this.correct / this.samples };
  }
}

/** More classes than this: evaluations also report top-5 accuracy. */
export const TOP5_MIN_CLASSES = 6;

/**
 * Mean loss and accuracy over a labeled set, in batches, in inference mode; with more than 5
 * classes also `top5_accuracy` (the label among the 5 largest outputs).
 */
export function evaluate(model: tf.LayersModel, data: LabeledTensors, lossFn: ClassificationLossFn, batchSize = 256): Evaluation & { accuracy: number; top5_accuracy?: number } {
  const n = data.x.shape[0];
  const lossMean = new RunningMean();
  let correct = 0;
  let top5 = 0;
  let classes = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [lossT, correctT, top5T] = tf.tidy(() => {
      const xb = data.x.slice(start, size);
      const yb = data.y.slice(start, size);
      const out = model.apply(xb, { training: false }) as tf.Tensor2D;
      classes = out.shape[1];
      return [lossFn(yb, out), correctCount(yb, out), classes >= TOP5_MIN_CLASSES ? topKCorrectCount(yb, out, 5) : tf.scalar(0)];
    });
    lossMean.add(lossT.dataSync()[0], size);
    correct += correctT.dataSync()[0];
    top5 += top5T.dataSync()[0];
    tf.dispose([lossT, correctT, top5T]);
  }
  const result = { loss: lossMean.mean, accuracy: n === 0 ? NaN : correct / n };
  return classes >= TOP5_MIN_CLASSES ? { ...result, top5_accuracy: top5 / n } : result;
}
