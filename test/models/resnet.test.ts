// ResNet builders: parameter counts against hand arithmetic (written here, independently of the
// builder), shapes, which blocks get projection shortcuts, and input channels that follow the data.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { countParams, ModelConfigError } from '../../src/models/build.js';
import { buildResNet, resnetGraph } from '../../src/models/resnet/build.js';
import type { ResNetConfig } from '../../src/models/resnet/spec.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';

before(() => setupBackend('cpu'));

// Trainable parameters, the standard Keras/torchvision layout: convolutions without bias, each
// followed by BatchNorm (gamma + beta trainable; the moving statistics are not parameters).
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
const bn = (c: number) => 2 * c;
/** A basic block; a projection (1x1 conv + BN) when the stride or the width changes. */
const block = (cin: number, cout: number, stride: number) =>
  conv(3, cin, cout) + bn(cout) + conv(3, cout, cout) + bn(cout) + (stride !== 1 || cin !== cout ? conv(1, cin, cout) + bn(cout) : 0);
const dense = (inputs: number, outputs: number) => inputs * outputs + outputs;

/** Parameters of a ResNet with a stem conv (k×k), stages [blocks, channels], classes. */
function handCount(inputChannels: number, stemK: number, stem: number, stages: Array<[number, number]>, classes: number): number {
  let total = conv(stemK, inputChannels, stem) + bn(stem);
  let cin = stem;
  stages.forEach(([blocks, c], s) => {
    for (let b = 0; b < blocks; b++) {
      total += block(cin, c, b === 0 && s > 0 ? 2 : 1);
      cin = c;
    }
  });
  return total + dense(cin, classes);
}

const params = (config: ResNetConfig, inputShape = [32, 32, 3], classes = 10) => {
  const m = buildResNet(config, { inputShape, classes, seed: 1 });
  const n = countParams(m).total;
  m.dispose();
  return n;
};

test('ResNet-18 with the CIFAR stem and 10 classes has 11,173,962 parameters, as torchvision/Keras count them', () => {
  const hand = handCount(3, 3, 64, [[2, 64], [2, 128], [2, 256], [2, 512]], 10);
  assert.equal(hand, 11_173_962); // the published figure for this layout: the arithmetic above is right
  assert.equal(params({ depth: 18 }), hand);
});

test('ResNet-34 and the ImageNet stem (7x7 conv): hand counts (at width 1/4, to build fast); torchvision resnet18 by hand', () => {
  assert.equal(params({ depth: 34, width: 0.25 }), handCount(3, 3, 16, [[3, 16], [4, 32], [6, 64], [3, 128]], 10));
  assert.equal(params({ depth: 18, stem: 'imagenet', width: 0.25 }, [64, 64, 3]), handCount(3, 7, 16, [[2, 16], [2, 32], [2, 64], [2, 128]], 10));
  // At width 1, torchvision's resnet18 has 11,689,512 parameters with its 1000-class head: the
  // ImageNet-stem arithmetic above gives it.
  assert.equal(handCount(3, 7, 64, [[2, 64], [2, 128], [2, 256], [2, 512]], 1000), 11_689_512);
  assert.equal(handCount(3, 7, 64, [[3, 64], [4, 128], [6, 256], [3, 512]], 1000), 21_797_672); // torchvision resnet34
});

test('CIFAR ResNet-8 and ResNet-20 (16/32/64 channels), width multiplier, extra input channels and 100 classes', () => {
  assert.equal(params({ depth: 8 }), handCount(3, 3, 16, [[1, 16], [1, 32], [1, 64]], 10));
  assert.equal(params({ depth: 20 }), 272_474);
  assert.equal(handCount(3, 3, 16, [[3, 16], [3, 32], [3, 64]], 10), 272_474);
  assert.equal(params({ depth: 8, width: 0.5 }, [32, 32, 5], 100), handCount(5, 3, 8, [[1, 8], [1, 16], [1, 32]], 100));
  assert.equal(params({ depth: 20, width: 2 }, [16, 16, 1], 4), handCount(1, 3, 32, [[3, 32], [3, 64], [3, 128]], 4));
});

test('identity shortcuts where a block keeps stride and width, projections where either changes', () => {
  const m = buildResNet({ depth: 20, width: 0.25 }, { inputShape: [16, 16, 3], classes: 3, seed: 1 });
  const names = m.layers.map((l) => l.name);
  const projections = names.filter((n) => n.endsWith('_proj_conv'));
  assert.deepEqual(projections, ['s2b1_proj_conv', 's3b1_proj_conv']);
  // An identity block adds its input (the previous block's ReLU output) itself.
  const addInputs = (name: string) => m.getLayer(name).inboundNodes[0].inboundLayers.map((l) => l.name);
  assert.deepEqual(addInputs('s1b2_add'), ['s1b2_b_bn', 's1b1_out']);
  assert.deepEqual(addInputs('s1b1_add'), ['s1b1_b_bn', 'stem_relu']);
  assert.deepEqual(addInputs('s2b1_add'), ['s2b1_b_bn', 's2b1_proj_bn']);
  // Strides: 16x16 → 16, 8, 4 per stage.
  assert.deepEqual(m.getLayer('s1b3_out').outputShape, [null, 16, 16, 4]);
  assert.deepEqual(m.getLayer('s2b1_out').outputShape, [null, 8, 8, 8]);
  assert.deepEqual(m.getLayer('s3b3_out').outputShape, [null, 4, 4, 16]);
  m.dispose();
});

test('the ImageNet stem quarters the side (7x7/2 conv, 3x3/2 max-pool); the CIFAR stem keeps it', () => {
  const a = buildResNet({ depth: 8, stem: 'imagenet', width: 0.25 }, { inputShape: [32, 32, 3], classes: 2, seed: 1 });
  assert.deepEqual(a.getLayer('stem_conv').outputShape, [null, 16, 16, 4]);
  assert.deepEqual(a.getLayer('stem_pool').outputShape, [null, 8, 8, 4]);
  assert.deepEqual((a.getLayer('stem_conv').getWeights()[0]).shape, [7, 7, 3, 4]);
  const b = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [32, 32, 3], classes: 2, seed: 1 });
  assert.deepEqual(b.getLayer('stem_conv').outputShape, [null, 32, 32, 4]);
  assert.equal(b.layers.some((l) => l.name === 'stem_pool'), false);
  a.dispose();
  b.dispose();
});

test('resnetGraph exposes the pooled features and the logits, so another head can add its logits', () => {
  const g = resnetGraph({ depth: 8, width: 0.5 }, { inputShape: [8, 8, 4], classes: 3, seed: 2 });
  assert.equal(g.featureSize, 32);
  assert.deepEqual(g.features.shape, [null, 32]);
  assert.deepEqual(g.logits.shape, [null, 3]);
  // A second head on the features, its logits added to the classifier's.
  const extra = tf.layers.dense({ units: 3, name: 'extra', kernelInitializer: 'zeros', biasInitializer: 'ones' }).apply(g.features) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([g.logits, extra]) as tf.SymbolicTensor;
  const both = tf.model({ inputs: g.input, outputs: [sum, g.logits, g.features] });
  tf.tidy(() => {
    const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 3);
    const [s, l, f] = both.predict(x) as tf.Tensor[];
    assert.deepEqual(f.shape, [2, 32]);
    // The extra head outputs exactly 1 (zero kernel, bias 1): sum = logits + 1.
    const diff = s.sub(l).sub(1).abs().max().dataSync()[0];
    assert.ok(diff < 1e-6, `sum − logits − 1 = ${diff}`);
  });
  both.dispose();
});

test('same seed, same initial weights; refused configs name the field', () => {
  const weights = (seed: number) => {
    const m = buildResNet({ depth: 8, width: 0.25 }, { inputShape: [8, 8, 3], classes: 2, seed });
    const w = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return w;
  };
  assert.deepEqual(weights(4), weights(4));
  assert.notDeepEqual(weights(4), weights(5));
  assert.throws(() => buildResNet({ depth: 9 as 8 }, { inputShape: [8, 8, 3], classes: 2, seed: 1 }), (e: unknown) => e instanceof ModelConfigError && e.path === 'model.resnet.depth');
  assert.throws(() => buildResNet({ depth: 8 }, { inputShape: [64], classes: 2, seed: 1 }), (e: unknown) => e instanceof ModelConfigError && /images \[height, width, channels\]/.test(e.message));
});
