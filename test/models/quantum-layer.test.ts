// QuantumLayer: gradients through tfjs match the engine, it trains in sequential and functional
// models (model.fit and custom loops), and it saves and loads to identical predictions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { QuantumLayer } from '../../src/models/quantum-layer.js';
import type { QuantumLayerSpec } from '../../src/models/quantum-spec.js';

await tf.setBackend('cpu');

const spec: QuantumLayerSpec = { wires: 3, embedding: { type: 'angle' }, ansatz: { type: 'strongly_entangling', layers: 2 } };

function numericGrad(f: () => number, v: tf.Variable, i: number, h = 1e-2): number {
  const data = v.dataSync().slice();
  const orig = data[i];
  data[i] = orig + h;
  v.assign(tf.tensor(data, v.shape));
  const p = f();
  data[i] = orig - h;
  v.assign(tf.tensor(data, v.shape));
  const m = f();
  data[i] = orig;
  v.assign(tf.tensor(data, v.shape));
  return (p - m) / (2 * h);
}

test('gradients flow through the quantum layer to its weights and to the layer before it', () => {
  const q = new QuantumLayer({ spec, seed: 1 });
  const dense = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [2] }), dense, q] });
  const x = tf.tensor2d([[0.3, -0.4], [1.0, 0.2], [-0.5, 0.7]]);
  const target = tf.tensor2d([[0.1, 0.2, 0.3], [-0.3, 0.5, 0.0], [0.2, -0.1, 0.4]]);
  const loss = (): tf.Scalar => tf.losses.meanSquaredError(target, model.predict(x) as tf.Tensor) as tf.Scalar;
  const { grads } = tf.variableGrads(loss);
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  assert.equal(vars.length, 3, 'dense kernel, dense bias, circuit weights');
  const lossNum = (): number => loss().dataSync()[0];
  for (const v of vars) {
    const g = grads[v.name].dataSync();
    for (const i of [0, v.size - 1]) {
      const num = numericGrad(lossNum, v, i);
      // float32 finite differences with h = 1e-2: agreement to a few 1e-4.
      assert.ok(Math.abs(g[i] - num) < 2e-3 * Math.max(1, Math.abs(num)), `${v.name}[${i}]: ${g[i]} vs ${num}`);
    }
  }
});

test('a hybrid model trains with model.fit (sequential) and the loss drops', async () => {
  const q = new QuantumLayer({ spec: { wires: 2, ansatz: { type: 'basic_entangler', layers: 2 } }, seed: 3 });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 2, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      q,
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const ys = tf.tensor2d([[0], [1], [1], [0]]);
  const h = await model.fit(xs, ys, { epochs: 60, batchSize: 4, verbose: 0, shuffle: false });
  const losses = h.history.loss as number[];
  assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `loss ${losses[0]} → ${losses[losses.length - 1]}`);
});

test('a functional model with a quantum layer saves and loads to identical predictions', async () => {
  const input = tf.input({ shape: [4] });
  const h1 = tf.layers.dense({ units: 3, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(input) as tf.SymbolicTensor;
  const qOut = new QuantumLayer({ spec: { ...spec, measure: { type: 'probs', wires: [0, 2] } }, seed: 7 }).apply(h1) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }).apply(qOut) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const x = tf.randomUniform([5, 4], -1, 1, 'float32', 9);
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
  assert.ok(loaded.layers.some((l) => l instanceof QuantumLayer), 'loaded.layers.some((l) => l instanceof QuantumLayer)');
});

test('a wrong input width is refused with a message that says how to fix it', () => {
  const q = new QuantumLayer({ spec, seed: 1 });
  assert.throws(() => q.apply(tf.zeros([2, 5])), /expects input \[batch, 3\].*Dense\(3\)/);
});

test('the same seed gives the same initial circuit weights; another seed does not', () => {
  const mk = (seed: number): number[] => {
    const q = new QuantumLayer({ spec, seed });
    q.apply(tf.zeros([1, 3]));
    return Array.from(q.getWeights()[0].dataSync());
  };
  assert.deepEqual(mk(5), mk(5));
  assert.notDeepEqual(mk(5), mk(6));
  const w = mk(5);
  assert.ok(w.every((v) => v >= 0 && v < 2 * Math.PI), 'w.every((v) => v >= 0 && v < 2 * Math.PI)');
});
