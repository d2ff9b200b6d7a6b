// BatchNorm in training: the fast training-mode layer (src/models/fast-batch-norm.ts, its op in
// src/tf-kernels/batch-norm.ts) against the closed form and against tfjs's stock layer — outputs,
// gradients of x, gamma and beta, moving statistics — and a ResNet trained by our loop, whose
// moving statistics move and are what inference uses.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { fastBatchNormalization } from '../../src/models/fast-batch-norm.js';
import { buildResNet } from '../../src/models/resnet/build.js';
import { setupBackend, type BackendName } from '../../src/tf-kernels/backend.js';
import { train } from '../../src/train/trainer.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

/** A built BN layer over [.., 5] channels with gamma, beta set; momentum 0.8. */
function layer(fast: boolean, gamma: tf.Tensor, beta: tf.Tensor): tf.layers.Layer {
  const args = { momentum: 0.8, epsilon: 1e-3, axis: -1 };
  const l = fast ? fastBatchNormalization(args) : tf.layers.batchNormalization(args);
  l.build([null, 3, 4, 5]);
  l.setWeights([gamma, beta, tf.zeros([5]), tf.ones([5])]);
  return l;
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  test(`fast BatchNorm (${backend}): closed form, and the stock layer's outputs, gradients and moving statistics`, async () => {
    await setupBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([6, 3, 4, 5], 2, 3, 'float32', 1);
      const gamma = tf.randomUniform([5], 0.5, 2, 'float32', 2);
      const beta = tf.randomNormal([5], 0, 1, 'float32', 3);
      const probe = tf.randomNormal([6, 3, 4, 5], 0, 1, 'float32', 4);
      const fast = layer(true, gamma, beta);
      const stock = layer(false, gamma, beta);
      // Closed form: per channel the output has mean beta and variance gamma²·σ²/(σ²+ε).
      const y = fast.apply(x, { training: true }) as tf.Tensor;
      const { mean: xm, variance: xv } = tf.moments(x, [0, 1, 2]);
      const { mean: ym, variance: yv } = tf.moments(y, [0, 1, 2]);
      assert.ok(maxDiff(ym, beta) < 1e-4, 'maxDiff(ym, beta) < 1e-4');
      assert.ok(maxDiff(yv, gamma.square().mul(xv).div(xv.add(1e-3))) < 1e-3, 'maxDiff(yv, gamma.square().mul(xv).div(xv.add(1e-3))) < 1e-3');
      // Moving statistics after one step: 0.8·old + 0.2·batch (biased variance).
      const [, , mm, mv] = fast.getWeights();
      assert.ok(maxDiff(mm, xm.mul(0.2)) < 1e-5, 'maxDiff(mm, xm.mul(0.2)) < 1e-5');
      assert.ok(maxDiff(mv, xv.mul(0.2).add(0.8)) < 1e-4, 'maxDiff(mv, xv.mul(0.2).add(0.8)) < 1e-4');
      const ys = stock.apply(x, { training: true }) as tf.Tensor;
      assert.ok(maxDiff(y, ys) < 1e-4, `outputs differ by ${maxDiff(y, ys)}`);
      stock.getWeights().forEach((w, i) => assert.ok(maxDiff(w, fast.getWeights()[i]) < 1e-4, `weight ${i}`));
      // Gradients of x, gamma and beta (through the batch statistics) equal autodiff of the stock layer.
      // The layer reads its variables inside apply: differentiate with respect to them (and x as a variable).
      const varGrads = (l: tf.layers.Layer) => {
        const vars = l.trainableWeights.map((w) => w.read() as tf.Variable);
        const xv2 = tf.variable(x);
        const { grads } = tf.variableGrads(() => (l.apply(xv2, { training: true }) as tf.Tensor).mul(probe).sum() as tf.Scalar, [xv2, ...vars]);
        const out = [grads[xv2.name], ...vars.map((v) => grads[v.name])];
        xv2.dispose();
        return out;
      };
      const gf = varGrads(fast);
      const gs = varGrads(stock);
      ['x', 'gamma', 'beta'].forEach((name, i) => {
        const scale = Math.max(1, gs[i].abs().max().dataSync()[0]);
        assert.ok(maxDiff(gf[i], gs[i]) < 1e-4 * scale, `d${name} differs by ${maxDiff(gf[i], gs[i])}`);
      });
      // The gradient of x sums to zero per channel (the mean is subtracted) — a property the stock
      // layer's autodiff satisfies too; a dropped mean term would break it.
      assert.ok(gf[0].sum([0, 1, 2]).abs().max().dataSync()[0] < 1e-3, 'gf[0].sum([0, 1, 2]).abs().max().dataSync()[0] < 1e-3');
      // Inference: the moving statistics, as the stock layer.
      assert.ok(maxDiff(fast.apply(x, { training: false }) as tf.Tensor, stock.apply(x, { training: false }) as tf.Tensor) < 1e-4, 'maxDiff(fast.apply(x, { training: false }) as tf.Tensor, stock.apply(x, { training: fal...');
    });
  });
}

test('a ResNet trained by the loop: moving statistics move, and inference uses them (per-sample outputs do not depend on the batch)', async () => {
  await setupBackend('wasm');
  const model = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [8, 8, 3], classes: 3, seed: 1 });
  const x = tf.randomNormal([24, 8, 8, 3], 0.5, 2, 'float32', 7);
  const y = tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 3), 'int32');
  const moving = () => model.getLayer('s2b1_a_bn').getWeights().slice(2).map((w) => Array.from(w.dataSync()));
  const before = moving();
  assert.deepEqual(before[0], new Array(8).fill(0));
  await train({ model, train: { x, y }, config: { epochs: 2, batchSize: 8, optimizer: { type: 'adamw', lr: 0.01 } }, seed: 1 });
  const after = moving();
  assert.ok(after[0].some((v) => Math.abs(v) > 1e-3), 'moving mean stayed at 0');
  assert.ok(after[1].some((v) => Math.abs(v - 1) > 1e-3), 'moving variance stayed at 1');
  tf.tidy(() => {
    const both = model.apply(x.slice(0, 2), { training: false }) as tf.Tensor;
    const alone = model.apply(x.slice(1, 1), { training: false }) as tf.Tensor;
    assert.ok(maxDiff(both.slice(1, 1), alone) < 1e-5, 'inference depends on the batch: it uses batch statistics');
    const trainingMode = model.apply(x.slice(1, 1), { training: true }) as tf.Tensor;
    assert.ok(maxDiff(trainingMode, alone) > 1e-3, 'training mode (batch statistics) should differ from inference');
  });
  tf.dispose([x, y]);
  model.dispose();
});
