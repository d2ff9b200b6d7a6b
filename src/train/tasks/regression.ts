// Regression: rows of inputs with real-valued targets [n, k], a model with k linear outputs.
// Loss: mean squared error or mean absolute error over every target value. Metrics: MSE, MAE
// and R² (the coefficient of determination, 1 − SSE/SST per target column, averaged over the
// columns as scikit-learn's r2_score does by default).

import * as tf from '@tensorflow/tfjs';
import { meanAbsoluteError, meanSquaredError } from '../losses.js';
import type { BatchLoss, Evaluation, MetricAccumulator, TrainingTask } from './task.js';

/** Inputs (batch-first, any rank) with targets [n, k] (float32). */
export interface RegressionTensors {
  x: tf.Tensor;
  y: tf.Tensor2D;
}

export type RegressionLoss = 'mse' | 'mae';

export const REGRESSION_METRICS = [
  { name: 'mse', mode: 'min' },
  { name: 'mae', mode: 'min' },
  { name: 'r2', mode: 'max' },
] as const;

export function regressionTask(options: { loss?: string } = {}): TrainingTask<RegressionTensors, RegressionTensors> {
  const kind = options.loss ?? 'mse';
  if (kind !== 'mse' && kind !== 'mae') throw new Error(`loss "${kind}" is not a regression loss (use mse or mae)`);
  const lossFn = kind === 'mse' ? meanSquaredError : meanAbsoluteError;
  return {
    name: 'regression',
    trainMetrics: REGRESSION_METRICS,
    evalMetrics: REGRESSION_METRICS,
    size: (data) => data.x.shape[0],
    checkData: (data, role) => {
      const what = role === 'train' ? 'training' : 'validation';
      if (data.y.rank !== 2) throw new Error(`regression: the ${what} targets must be [rows, targets], got shape [${data.y.shape.join(', ')}]`);
      if (data.y.shape[0] !== data.x.shape[0]) throw new Error(`regression: the ${what} inputs have ${data.x.shape[0]} rows but the targets have ${data.y.shape[0]}`);
    },
    makeBatch: (data, rows) => {
      const idx = tf.tensor1d(rows, 'int32');
      return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
    },
    batchLoss: (model, batch): BatchLoss => {
      const out = outputsFor(model, batch, true);
      const err = out.sub(batch.y);
      const stats = { sse: err.square().sum(0), sae: err.abs().sum(0), sumY: batch.y.sum(0), sumY2: batch.y.square().sum(0) };
      return { stats, loss: lossFn(batch.y, out) };
    },
    newAccumulator: () => new RegressionAccumulator(),
    evaluate: (model, data, batchSize) => evaluateRegression(model, data, lossFn, batchSize),
  };
}

function outputsFor(model: tf.LayersModel, batch: RegressionTensors, training: boolean): tf.Tensor2D {
  const out = model.apply(batch.x, { training }) as tf.Tensor;
  if (out.rank !== 2 || out.shape[1] !== batch.y.shape[1]) {
    throw new Error(`regression: the model outputs [${out.shape.slice(1).join(', ')}] values per sample but there are ${batch.y.shape[1]} targets (end the model with dense: { units: ${batch.y.shape[1]} } and no activation)`);
  }
  return out as tf.Tensor2D;
}

/** Sums per target column over the epoch's batches, in float64. */
class RegressionAccumulator implements MetricAccumulator {
  private sums: Record<'sse' | 'sae' | 'sumY' | 'sumY2', number[]> | null = null;
  private rows = 0;
  add(stats: Readonly<Record<string, ArrayLike<number>>>, batchSize: number): void {
    const k = stats.sse.length;
    const sums = (this.sums ??= { sse: new Array<number>(k).fill(0), sae: new Array<number>(k).fill(0), sumY: new Array<number>(k).fill(0), sumY2: new Array<number>(k).fill(0) });
    for (const key of ['sse', 'sae', 'sumY', 'sumY2'] as const) for (let j = 0; j < k; j++) sums[key][j] += stats[key][j];
    this.rows += batchSize;
  }
  result(): Record<string, number> {
    if (!this.sums) return { mse: NaN, mae: NaN, r2: NaN };
    const { sse, sae, sumY, sumY2 } = this.sums;
    const n = this.rows;
    const sst = sumY.map((s, j) => sumY2[j] - (s * s) / n);
    return metricsFromSums(sse, sae, sst, n);
  }
}

function metricsFromSums(sse: readonly number[], sae: readonly number[], sst: readonly number[], n: number): { mse: number; mae: number; r2: number } {
  const k = sse.length;
  const total = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);
  return { mse: total(sse) / (n * k), mae: total(sae) / (n * k), r2: total(sse.map((e, j) => 1 - e / sst[j])) / k };
}

/**
 * Loss, MSE, MAE and R² over a whole set in inference mode. The errors are summed in float64 from
 * the float32 predictions, and SST around the set's own mean (two passes), so R² is exact for
 * the predictions made.
 */
export function evaluateRegression(
  model: tf.LayersModel,
  data: RegressionTensors,
  lossFn: (targets: tf.Tensor, predictions: tf.Tensor) => tf.Scalar,
  batchSize = 256,
): Evaluation & { mse: number; mae: number; r2: number } {
  const [n, k] = data.y.shape;
  if (n === 0) return { loss: NaN, mse: NaN, mae: NaN, r2: NaN };
  const y = data.y.dataSync();
  const mean = new Array<number>(k).fill(0);
  for (let i = 0; i < n * k; i++) mean[i % k] += y[i] / n;
  const sse = new Array<number>(k).fill(0);
  const sae = new Array<number>(k).fill(0);
  const sst = new Array<number>(k).fill(0);
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [lossT, outT] = tf.tidy(() => {
      const batch = { x: data.x.slice(start, size), y: data.y.slice(start, size) };
      const out = outputsFor(model, batch, false);
      return [lossFn(batch.y, out), out];
    });
    lossSum += lossT.dataSync()[0] * size;
    const out = outT.dataSync();
    tf.dispose([lossT, outT]);
    for (let i = 0; i < size * k; i++) {
      const j = i % k;
      const target = y[start * k + i];
      const err = out[i] - target;
      sse[j] += err * err;
      sae[j] += Math.abs(err);
      sst[j] += (target - mean[j]) ** 2;
    }
  }
  return { loss: lossSum / n, ...metricsFromSums(sse, sae, sst, n) };
}
