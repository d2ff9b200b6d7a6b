import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/build.js';
import { meanAbsoluteError, meanSquaredError } from '../../src/train/losses.js';
import { evaluateRegression, regressionTask } from '../../src/train/tasks/regression.js';
import { train } from '../../src/train/trainer.js';
import { Rng } from '../../src/util/random.js';
import { cpu } from './helpers.js';

before(cpu);

/** y = 2·x0 − x1 + 0.5 (+ noise), rows drawn by seed. */
function linearRows(n: number, seed: number, noise: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => [2 * rng.next() - 1, 2 * rng.next() - 1]);
  return { x, y: x.map(([a, b]) => 2 * a - b + 0.5 + noise * (rng.next() - 0.5)) };
}

const tensorsOf = (rows: { x: number[][]; y: number[] }) => ({ x: tf.tensor2d(rows.x), y: tf.tensor2d(rows.y, [rows.y.length, 1]) });

/** A linear model with the given weights: prediction = w·x + b. */
function linearModel(w: [number, number], b: number): tf.LayersModel {
  const model = buildModel([{ dense: { units: 1 } }], { inputShape: [2], seed: 1 });
  model.layers[model.layers.length - 1].setWeights([tf.tensor2d([[w[0]], [w[1]]]), tf.tensor1d([b])]);
  return model;
}

/** MSE, MAE and R² written out from their definitions, in float64. */
function groundTruth(pred: number[], y: number[]): { mse: number; mae: number; r2: number } {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sse = y.reduce((s, v, i) => s + (pred[i] - v) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mse: sse / n, mae: y.reduce((s, v, i) => s + Math.abs(pred[i] - v), 0) / n, r2: 1 - sse / sst };
}

test('evaluation: MSE, MAE and R² agree with their definitions on a hand-set linear model', () => {
  const rows = linearRows(37, 3, 1);
  const data = tensorsOf(rows);
  const model = linearModel([1.5, -0.5], 0.25);
  const truth = groundTruth(rows.x.map(([a, b]) => 1.5 * a - 0.5 * b + 0.25), rows.y);
  for (const batchSize of [5, 256]) {
    const e = evaluateRegression(model, data, meanSquaredError, batchSize);
    for (const k of ['mse', 'mae', 'r2'] as const) assert.ok(Math.abs(e[k] - truth[k]) < 1e-5, `${k} at batch ${batchSize}: ${e[k]} vs ${truth[k]}`);
    assert.ok(Math.abs(e.loss - truth.mse) < 1e-5, 'Math.abs(e.loss - truth.mse) < 1e-5');
  }
  assert.ok(Math.abs(evaluateRegression(model, data, meanAbsoluteError).loss - truth.mae) < 1e-5, 'Math.abs(evaluateRegression(model, data, meanAbsoluteError).loss - truth.mae) < 1e-5');
  // The perfect predictor has R² = 1, the constant mean R² = 0.
  const exact = linearRows(20, 4, 0);
  assert.ok(Math.abs(evaluateRegression(linearModel([2, -1], 0.5), tensorsOf(exact), meanSquaredError).r2 - 1) < 1e-6, 'Math.abs(evaluateRegression(linearModel([2, -1], 0.5), tensorsOf(exact), meanSquaredErr...');
  tf.dispose([data.x, data.y]);
});

test('training metrics accumulate over unequal batches to the same values as an evaluation of the same weights', async () => {
  const rows = linearRows(10, 5, 1);
  const data = tensorsOf(rows);
  const model = linearModel([1, 1], 0);
  // A rate so small that float32 weights do not move: every batch sees the same model.
  const r = await train({ model, task: regressionTask(), train: data, config: { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 1e-30 } }, seed: 1 });
  const truth = groundTruth(rows.x.map(([a, b]) => a + b), rows.y);
  const h = r.history[0];
  assert.deepEqual(Object.keys(h).slice(0, 6), ['epoch', 'train_loss', 'train_mse', 'train_mae', 'train_r2', 'val_loss']);
  for (const k of ['mse', 'mae', 'r2'] as const) assert.ok(Math.abs((h[`train_${k}`] as number) - truth[k]) < 1e-5, `${k}: ${h[`train_${k}`]} vs ${truth[k]}`);
  assert.ok(Math.abs(h.train_loss - truth.mse) < 1e-5, 'Math.abs(h.train_loss - truth.mse) < 1e-5');
  assert.equal(h.val_mse, null);
  tf.dispose([data.x, data.y]);
});

test('regression learns a noisy linear target; early stopping on val_r2 keeps the highest', async () => {
  const train_ = tensorsOf(linearRows(96, 6, 0.1));
  const val = tensorsOf(linearRows(32, 7, 0.1));
  const model = buildModel([{ dense: { units: 8, activation: 'tanh' } }, { dense: { units: 1 } }], { inputShape: [2], seed: 2 });
  const r = await train({ model, task: regressionTask({ loss: 'mae' }), train: train_, val, config: { epochs: 25, batchSize: 16, optimizer: { type: 'adam', lr: 0.05 }, earlyStopping: { patience: 25, monitor: 'val_r2', restoreBest: true } }, seed: 2 });
  const best = r.history.reduce((b, h) => ((h.val_r2 as number) > (b.val_r2 as number) ? h : b));
  assert.ok((best.val_r2 as number) > 0.95, `best validation R² ${best.val_r2}`);
  assert.equal(r.bestEpoch, best.epoch);
  tf.dispose([train_.x, train_.y, val.x, val.y]);
});

test('bad regression input is refused with what to change', async () => {
  assert.throws(() => regressionTask({ loss: 'cross_entropy' }), /not a regression loss \(use mse or mae\)/);
  const data = tensorsOf(linearRows(8, 1, 0));
  const twoOutputs = buildModel([{ dense: { units: 2 } }], { inputShape: [2], seed: 1 });
  await assert.rejects(train({ model: twoOutputs, task: regressionTask(), train: data, config: { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 0.1 } }, seed: 1 }), /outputs \[2\] values per sample but there are 1 targets \(end the model with dense: \{ units: 1 \}/);
  await assert.rejects(train({ model: twoOutputs, task: regressionTask(), train: { x: data.x, y: tf.zeros([8]) as unknown as tf.Tensor2D }, config: { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 0.1 } }, seed: 1 }), /targets must be \[rows, targets\]/);
  tf.dispose([data.x, data.y]);
});
