// CircuitLayer, the tfjs bridge over any built circuit and measurement: its forward and
// gradients are the engine's (QNode), and it saves and loads to identical predictions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { x, w } from '../../src/circuit/params.js';
import { QNode } from '../../src/engine/qnode.js';
import { CircuitLayer } from '../../src/tf/circuit-layer.js';

await tf.setBackend('cpu');

function circuit(): Circuit {
  const c = new Circuit(2);
  c.ry(0, x(0)).ry(1, x(1)).crz(0, 1, w(0)).rx(1, w(1)).cnot(1, 0).rz(0, w(2));
  return c;
}
const measurement = expval([parseObservable('Z0'), parseObservable('0.5*X0 Y1')]);

test('CircuitLayer computes what the QNode computes, forward and gradients (inputs and weights)', () => {
  const layer = new CircuitLayer({ circuit: circuit(), measurement, seed: 4 });
  const xs = tf.tensor2d([[0.3, -0.7], [1.1, 0.4], [-0.2, 2.0]]);
  const dy = tf.tensor2d([[1, -0.5], [0.25, 2], [-1, 0.75]]);
  const y = layer.apply(xs) as tf.Tensor;
  const weights = layer.getWeights()[0].dataSync();
  const qnode = new QNode(circuit(), measurement);
  const want = qnode.forward(xs.dataSync(), weights, 3);
  Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `output ${i}: ${v} vs ${want[i]}`));
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul((layer as unknown as { op: (x: tf.Tensor2D, w: tf.Tensor1D) => tf.Tensor }).op(a as tf.Tensor2D, b as tf.Tensor1D), dy)));
  const [gx, gw] = grads([xs, tf.tensor1d(weights)]);
  const ref = qnode.vjp(dy.dataSync());
  Array.from(gx.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - ref.inputs[i]) < 1e-6, `d/dx ${i}`));
  Array.from(gw.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - ref.weights[i]) < 1e-6, `d/dw ${i}`));
});

test('CircuitLayer saves and loads (circuit, measurement and weights) to identical predictions', async () => {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [2] }), new CircuitLayer({ circuit: circuit(), measurement, seed: 9, name: 'q' })] });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const xs = tf.randomUniform([4, 2], -2, 2, 'float32', 3);
  assert.deepEqual(Array.from((loaded.predict(xs) as tf.Tensor).dataSync()), Array.from((model.predict(xs) as tf.Tensor).dataSync()));
  const q = loaded.layers.find((l) => l instanceof CircuitLayer) as CircuitLayer;
  assert.equal(q.circuit.ops.length, circuit().ops.length);
  assert.deepEqual(q.circuit.toJSON(), circuit().toJSON());
});

test('the weight initializer follows init and the seed', () => {
  const mk = (seed: number, init?: { type: 'uniform'; low: number; high: number }): number[] => {
    const layer = new CircuitLayer({ circuit: circuit(), measurement, seed, init });
    layer.apply(tf.zeros([1, 2]));
    return Array.from(layer.getWeights()[0].dataSync());
  };
  assert.deepEqual(mk(2), mk(2));
  assert.notDeepEqual(mk(2), mk(3));
  assert.ok(mk(2, { type: 'uniform', low: -0.1, high: 0.1 }).every((v) => v >= -0.1 && v < 0.1), 'mk(2, { type: \'uniform\', low: -0.1, high: 0.1 }).every((v) => v >= -0.1 && v < 0.1)');
  assert.ok(mk(2).some((v) => v > 0.1), 'default: uniform in [0, 2π)');
});
