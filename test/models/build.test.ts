import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel, countParams, ModelConfigError, type LayerConfig } from '../../src/models/build.js';
import { SeededDropout } from '../../src/models/seeded-dropout.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';
import { trainableVariables } from '../../src/train/param-groups.js';
import { snapshotWeights } from '../../src/train/weights.js';

before(() => setupBackend('cpu'));

const HYBRID: LayerConfig[] = [
  { dense: { units: 16, activation: 'relu' } },
  { dense: { units: 4, activation: 'tanh' } },
  { quantum: { wires: 4, embedding: { type: 'angle' }, ansatz: { type: 'strongly_entangling', layers: 2 }, measure: { type: 'expval' } } },
  { dense: { units: 16, activation: 'relu' } },
  { dense: { units: 2 } },
];

test('the circles hybrid: stable names, 24 quantum + 262 classical parameters, quantum group', () => {
  const model = buildModel(HYBRID, { inputShape: [4], seed: 7, numClasses: 2 });
  assert.deepEqual(
    model.weights.map((w) => w.originalName),
    ['layer0_dense/kernel', 'layer0_dense/bias', 'layer1_dense/kernel', 'layer1_dense/bias', 'layer2_quantum/circuit_weights', 'layer3_dense/kernel', 'layer3_dense/bias', 'layer4_dense/kernel', 'layer4_dense/bias'],
  );
  // 2 StronglyEntanglingLayers × 4 wires × 3 angles = 24; dense: 4·16+16 + 16·4+4 + 4·16+16 + 16·2+2 = 262.
  assert.deepEqual(countParams(model), { quantum: 24, classical: 262, total: 286 });
  const groups = trainableVariables(model).filter((v) => v.group === 'quantum').map((v) => v.key);
  assert.deepEqual(groups, ['layer2_quantum/circuit_weights']);
  const out = tf.tidy(() => (model.predict(tf.ones([3, 4])) as tf.Tensor).shape);
  assert.deepEqual(out, [3, 2]);
  model.dispose();
});

test('the same seed builds the same weights, another seed other ones, in any process order', () => {
  const bytes = (seed: number) => {
    const m = buildModel(HYBRID, { inputShape: [4], seed, numClasses: 2 });
    const w = [...snapshotWeights(m).values()].map((t) => Array.from(t.values));
    m.dispose();
    return w;
  };
  const a = bytes(1);
  assert.deepEqual(bytes(1), a);
  assert.notDeepEqual(bytes(2), a);
});

test('a last layer that does not match the classes names its field', () => {
  assert.throws(
    () => buildModel([{ dense: { units: 8 } }, { dense: { units: 3 } }], { inputShape: [4], seed: 1, numClasses: 2 }),
    (e: unknown) => e instanceof ModelConfigError && e.path === 'model.layers[1].dense.units' && /3\] values per sample but the data has 2 classes/.test(e.message),
  );
  assert.throws(
    () => buildModel([{ dense: { units: 3 } }, HYBRID[2]], { inputShape: [4], seed: 1 }),
    (e: unknown) => e instanceof ModelConfigError && e.path === 'model.layers[1].quantum' && /expects input \[batch, 4\]/.test(e.message),
  );
});

test('activation, batchnorm and seeded dropout layers build; dropout masks depend on the step only', () => {
  const model = buildModel([{ dense: { units: 32 } }, { activation: 'tanh' }, { batchnorm: {} }, { dropout: 0.5 }, { dense: { units: 2 } }], { inputShape: [3], seed: 4, numClasses: 2 });
  assert.equal(countParams(model).total, 3 * 32 + 32 + 2 * 32 + 32 * 2 + 2); // batchnorm: gamma, beta trainable
  const dropout = model.layers.find((l) => l instanceof SeededDropout) as SeededDropout;
  const x = tf.ones([4, 32]);
  const mask = (step: number) => {
    dropout.setTrainingStep(step);
    return tf.tidy(() => Array.from((dropout.apply(x, { training: true }) as tf.Tensor).dataSync()));
  };
  assert.deepEqual(mask(3), mask(3));
  assert.notDeepEqual(mask(3), mask(4));
  assert.ok(mask(5).every((v) => v === 0 || v === 2), 'mask(5).every((v) => v === 0 || v === 2)'); // kept values scaled by 1/(1 − 0.5)
  assert.deepEqual(tf.tidy(() => Array.from((dropout.apply(x, { training: false }) as tf.Tensor).dataSync())), Array(128).fill(1));
  x.dispose();
  model.dispose();
});
