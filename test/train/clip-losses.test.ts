import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm, globalNorm } from '../../src/train/clip.js';
import { classificationLoss, meanSquaredError, softmaxCrossEntropy } from '../../src/train/losses.js';
import { accuracy, correctCount } from '../../src/train/metrics.js';
import { EarlyStopping } from '../../src/train/early-stopping.js';
import { cpu } from './helpers.js';

before(cpu);
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `expected ${b}, got ${a}`);

test('global norm of [3] and [4] is 5; clipping to 1 scales both by 1/5, clipping to 10 leaves them', () => {
  const a = tf.tensor1d([3]);
  const b = tf.tensor1d([4]);
  const n = globalNorm([a, b]);
  close(n.dataSync()[0], 5);
  const clipped = clipByGlobalNorm(new Map([['a', a], ['b', b]]), 1);
  close(clipped.norm.dataSync()[0], 5); // the norm before clipping is what gets logged
  close(clipped.grads.get('a')!.dataSync()[0], 0.6);
  close(clipped.grads.get('b')!.dataSync()[0], 0.8);
  close(globalNorm([...clipped.grads.values()]).dataSync()[0], 1, 1e-5);
  const loose = clipByGlobalNorm(new Map([['a', a], ['b', b]]), 10);
  assert.deepEqual(Array.from(loose.grads.get('a')!.dataSync()), [3]);
  const none = clipByGlobalNorm(new Map([['a', a]]));
  assert.equal(none.grads.get('a'), a);
  assert.throws(() => clipByGlobalNorm(new Map([['a', a]]), 0), /> 0/);
});

test('cross-entropy with label smoothing 0.1 on logits [2, 0], label 0: 0.22692801 (by hand)', () => {
  // targets [0.95, 0.05]; log softmax = [−log(1+e^−2), −2 − log(1+e^−2)]
  const loss = softmaxCrossEntropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[2, 0]]), 0.1);
  close(loss.dataSync()[0], 0.2269280110429726);
  const plain = softmaxCrossEntropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[2, 0]]));
  close(plain.dataSync()[0], Math.log(1 + Math.exp(-2)));
  // The batch mean: a second row with uniform logits adds log 2.
  const batch = softmaxCrossEntropy(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[2, 0], [0, 0]]));
  close(batch.dataSync()[0], (Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2);
});

test('MSE: mean of squared differences; as a classification loss it targets one-hot labels', () => {
  close(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([0, 4])).dataSync()[0], 2.5);
  const mse = classificationLoss('mse');
  // one-hot of label 1 is [0, 1]; outputs [0.5, 0.5] → ((0.5)² + (0.5)²)/2 = 0.25
  close(mse(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])).dataSync()[0], 0.25);
});

test('accuracy counts arg-max hits', () => {
  const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
  const out = tf.tensor2d([[2, 1], [0, 3], [5, 1], [0.1, 0]]);
  assert.equal(correctCount(labels, out).dataSync()[0], 3);
  assert.equal(accuracy(labels, out), 0.75);
});

test('early stopping: stops after patience epochs without an improvement larger than minDelta', () => {
  const es = new EarlyStopping({ patience: 2, minDelta: 0.01 });
  const seq = [1.0, 0.95, 0.945, 0.96];
  const stops = seq.map((v, i) => es.update(i + 1, v).stop);
  // 0.945 improves by only 0.005 < minDelta (wait 1), 0.96 is worse (wait 2): stop at epoch 4.
  assert.deepEqual(stops, [false, false, false, true]);
  assert.equal(es.bestEpoch, 2);
  const acc = new EarlyStopping({ patience: 1, monitor: 'val_accuracy' });
  assert.equal(acc.update(1, 0.5).improved, true);
  assert.equal(acc.update(2, 0.6).improved, true); // accuracy: higher is better
  assert.equal(acc.update(3, 0.55).stop, true);
  const copy = new EarlyStopping({ patience: 1, monitor: 'val_accuracy' });
  copy.restore(acc.state());
  assert.deepEqual(copy.state(), acc.state());
});
