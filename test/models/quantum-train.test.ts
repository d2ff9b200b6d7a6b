// Quantum-Train: parameter counts of the paper's setting, the probability scaling against hand
// values, the order generated values fill the target in, gradients into the circuit angles
// (finite differences on a tiny target), and the export loading with plain tfjs alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { countParams } from '../../src/models/build.js';
import { basisFeatures, scaleProbabilities } from '../../src/models/quantum-train/layers.js';
import { mappingForward, type MappingShape } from '../../src/models/quantum-train/mapping.js';
import { buildQuantumTrainModel, exportGeneratedModel, generatedModel, generatedWeights, quantumTrainCounts, quantumTrainParts, type QuantumTrainParts } from '../../src/models/quantum-train/model.js';
import { circuitParamCount, mappingParamCount, resolveQuantumTrain, type QuantumTrainSpec } from '../../src/models/quantum-train/spec.js';
import { buildTargetModel, stepShapes, stepsFromModel, targetParamCount, targetPreset, type TargetStep } from '../../src/models/quantum-train/target.js';
import { tempDir } from '../data/fixtures.js';

await tf.setBackend('cpu');

/** A tiny target: Dense(3→4, tanh) → Dense(4→2): 16 + 10 = 26 parameters → 5 qubits. */
const TINY_STEPS: TargetStep[] = [
  { kind: 'dense', units: 4, activation: 'tanh', useBias: true },
  { kind: 'dense', units: 2, activation: 'linear', useBias: true },
];
const tinySpec = (extra: Partial<QuantumTrainSpec> = {}): QuantumTrainSpec => ({ target: { steps: TINY_STEPS, inputShape: [3] }, blocks: 2, ...extra });

function partsOf(model: tf.LayersModel): QuantumTrainParts {
  const parts = quantumTrainParts(model);
  assert.ok(parts, 'the model has Quantum-Train layers');
  return parts;
}

test('the paper setting: 6,690 target weights, flatten 192, 13 qubits, 6N angles per block, 1,497 trainable for L = 16', () => {
  const net = targetPreset('qt_mnist_cnn');
  assert.equal(targetParamCount(net), 6690);
  const shapes = stepShapes(net);
  assert.deepEqual(shapes.map((s) => s.join('x')), ['24x24x8', '12x12x8', '8x8x12', '4x4x12', '192', '20', '10']);
  // The tfjs-layers build of the same network agrees on the count.
  const seq = buildTargetModel(net);
  assert.equal(seq.countParams(), 6690);
  seq.dispose();
  const qt = resolveQuantumTrain({ blocks: 16 }, { inputShape: [28, 28, 1], classes: 10 });
  assert.equal(qt.qubits, 13);
  assert.equal(circuitParamCount({ ...qt, blocks: 1 }), 6 * 13);
  assert.equal(circuitParamCount({ ...qt, blocks: 1, ansatz: 'ry_cnot_chain' }), 13);
  assert.equal(mappingParamCount(qt), 14 * 4 + 4 + 4 * 20 + 20 + 20 * 4 + 4 + 4 + 1);
  const model = buildQuantumTrainModel({ blocks: 16 }, { inputShape: [28, 28, 1], classes: 10, seed: 1 });
  assert.deepEqual(countParams(model), { quantum: 1248, classical: 249, total: 1497 });
  const counts = quantumTrainCounts(partsOf(model).qt);
  assert.equal(counts.trainable, 1497);
  assert.ok(Math.abs(counts.compression - 6690 / 1497) < 1e-12, 'Math.abs(counts.compression - 6690 / 1497) < 1e-12');
  assert.equal(partsOf(model).circuit.numAngles, 16 * 6 * 13, 'the engine circuit has exactly the counted angles');
  model.dispose();
});

test('probability scaling matches (beta tanh(gamma 2^(N-1) x))^alpha − mean, computed by hand', () => {
  const p = [0, 1 / 8, 0.01, 0.5, 0.3];
  const [beta, gamma, alpha, n] = [0.8, 0.1, 0.3, 3];
  const raw = p.map((x) => (beta * Math.tanh(gamma * 2 ** (n - 1) * Math.max(x, 1e-20))) ** alpha);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const got = tf.tidy(() => scaleProbabilities(tf.tensor1d(p), n, beta, gamma, alpha).dataSync());
  raw.forEach((r, i) => assert.ok(Math.abs(got[i] - (r - mean)) < 1e-6, `x = ${p[i]}: ${got[i]} vs ${r - mean}`));
  // A hand value: x = 1/8 with N = 3 → (0.8·tanh(0.05))^0.3.
  assert.ok(Math.abs(raw[1] - (0.8 * 0.04995837495787998) ** 0.3) < 1e-12, 'Math.abs(raw[1] - (0.8 * 0.04995837495787998) ** 0.3) < 1e-12');
});

test('the mapping network computes [±1 index, centred scaled probability] → layers → centred output', () => {
  const N = 3;
  const M = 6;
  const shape: MappingShape = { count: M, qubits: N, sizes: [N + 1, 2, 1], activation: 'tanh', beta: 0.8, gamma: 0.1, alpha: 0.3 };
  const p = [0.1, 0.02, 0.3, 0, 0.25, 0.05];
  const W0 = [0.5, -0.2, 0.1, 0.3, -0.4, 0.2, 0.7, -0.6];
  const b0 = [0.05, -0.1];
  const W1 = [0.9, -1.1];
  const b1 = [0.3];
  // By hand, in float64.
  const s = p.map((x) => (0.8 * Math.tanh(0.1 * 4 * Math.max(x, 1e-20))) ** 0.3);
  const sMean = s.reduce((a, b) => a + b, 0) / M;
  const h = p.map((_, i) => {
    const input = [...[0, 1, 2].map((j) => ((i >> (N - 1 - j)) & 1 ? 1 : -1)), s[i] - sMean];
    const hidden = [0, 1].map((k) => Math.tanh(b0[k] + input.reduce((acc, v, j) => acc + v * W0[j * 2 + k], 0)));
    return b1[0] + hidden[0] * W1[0] + hidden[1] * W1[1];
  });
  const hMean = h.reduce((a, b) => a + b, 0) / M;
  const bits = tf.tensor2d(basisFeatures(M, N), [M, N]);
  const params = [tf.tensor2d(W0, [4, 2]), tf.tensor1d(b0), tf.tensor2d(W1, [2, 1]), tf.tensor1d(b1)];
  const got = Array.from(mappingForward(shape, bits, tf.tensor2d(p, [1, M]), params).dataSync());
  got.forEach((v, i) => assert.ok(Math.abs(v - (h[i] - hMean)) < 1e-5, `row ${i}: ${v} vs ${h[i] - hMean}`));
  tf.dispose([bits, ...params]);
});

test('the basis index features are ±1 with wire 0 as the most significant bit', () => {
  const f = basisFeatures(8, 3);
  assert.deepEqual(Array.from(f.subarray(0, 3)), [-1, -1, -1]);
  assert.deepEqual(Array.from(f.subarray(5 * 3, 6 * 3)), [1, -1, 1]);
  assert.deepEqual(Array.from(f.subarray(7 * 3, 8 * 3)), [1, 1, 1]);
});

test('generated values fill the target tensors in order: kernel then bias, layer by layer', () => {
  const model = buildQuantumTrainModel(tinySpec(), { inputShape: [3], classes: 2, seed: 3 });
  const parts = partsOf(model);
  assert.equal(parts.qt.count, 26);
  assert.equal(parts.qt.qubits, 5);
  const flat = tf.tidy(() => (parts.mapping.apply(parts.circuit.probabilities()) as tf.Tensor).dataSync());
  assert.equal(flat.length, 26);
  assert.ok(Math.abs(Array.from(flat).reduce((a, b) => a + b, 0)) < 1e-5, 'the mapping outputs are centred');
  const tensors = generatedWeights(parts);
  assert.deepEqual(tensors.map((t) => t.shape), [[3, 4], [4], [4, 2], [2]]);
  const concat = tensors.flatMap((t) => Array.from(t.dataSync()));
  // The claim of this test: the tensors, read in order, are the mapping's outputs in order.
  assert.deepEqual(concat, Array.from(flat));
  assert.deepEqual(concat, Array.from(flat));
  const seq = generatedModel(model);
  const seqWeights = seq.getWeights();
  assert.deepEqual(seqWeights.map((w) => w.shape), [[3, 4], [4], [4, 2], [2]]);
  seqWeights.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(tensors[i].dataSync())));
  tf.dispose(tensors);
  seq.dispose();
  model.dispose();
});

test('gradients reach the circuit angles and the mapping network (finite differences)', () => {
  const model = buildQuantumTrainModel(tinySpec({ mapping: { hidden: [3], activation: 'tanh' } }), { inputShape: [3], classes: 2, seed: 5 });
  const x = tf.tensor2d([[0.5, -1, 0.3], [1.2, 0.4, -0.7], [-0.3, 0.9, 0.1], [0.8, -0.2, -1.1]]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
  const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(loss, vars);
  const lossValue = (): number => tf.tidy(() => loss().dataSync()[0]);
  const angles = vars[0];
  assert.ok(angles.name.includes('qt_circuit'), angles.name);
  let checked = 0;
  for (const v of [angles, vars[1]]) {
    const g = grads[v.name].dataSync();
    for (const i of [0, 7, v.size - 1]) {
      const data = v.dataSync().slice();
      const h = 1e-2;
      const at = (value: number) => {
        data[i] = value;
        v.assign(tf.tensor(data, v.shape));
        return lossValue();
      };
      const orig = data[i];
      const num = (at(orig + h) - at(orig - h)) / (2 * h);
      at(orig);
      // float32 and h = 1e-2: agreement to a few 1e-3 of the scale.
      assert.ok(Math.abs(g[i] - num) < 5e-3 * Math.max(0.05, Math.abs(num)) + 2e-4, `${v.name}[${i}]: autodiff ${g[i]} vs finite differences ${num}`);
      checked++;
    }
  }
  assert.equal(checked, 6);
  assert.ok(Array.from(grads[angles.name].dataSync()).reduce((s, v) => s + Math.abs(v), 0) > 1e-4, 'the angles get a non-zero gradient');
  tf.dispose([x, y, ...Object.values(grads)]);
  model.dispose();
});

test('the exported network loads and predicts with plain @tensorflow/tfjs, identically to the hybrid', async () => {
  const model = buildQuantumTrainModel({ target: { preset: 'qt_mnist_cnn', inputShape: [16, 16, 1] }, blocks: 1 }, { inputShape: [16, 16, 1], classes: 10, seed: 7 });
  const dir = tempDir('qt-export');
  const exported = await exportGeneratedModel(model, join(dir, 'generated'));
  const x = tf.tidy(() => tf.sin(tf.range(0, 3 * 256).reshape([3, 16, 16, 1])));
  const hybrid = Array.from((model.predict(x) as tf.Tensor).dataSync());
  const inputPath = join(dir, 'x.json');
  writeFileSync(inputPath, JSON.stringify(Array.from(x.dataSync())));
  // A separate Node process that knows nothing of Entangle: tfjs from the project's node_modules only.
  const script = join(dir, 'predict.cjs');
  writeFileSync(
    script,
    `const fs = require('fs'); const path = require('path'); const { createRequire } = require('module');
const tf = createRequire(path.join(process.argv[2], 'package.json'))('@tensorflow/tfjs');
(async () => {
  await tf.setBackend('cpu');
  const dir = process.argv[3];
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
  const x = tf.tensor(JSON.parse(fs.readFileSync(process.argv[4], 'utf8')), [3, 16, 16, 1]);
  process.stdout.write(JSON.stringify({ params: model.countParams(), out: Array.from(model.predict(x).dataSync()) }));
})();
`,
  );
  const result = JSON.parse(execFileSync(process.execPath, [script, resolve('.'), join(dir, 'generated'), inputPath], { encoding: 'utf8' })) as { params: number; out: number[] };
  assert.equal(result.params, targetParamCount(partsOf(model).qt.net));
  assert.equal(result.out.length, hybrid.length);
  result.out.forEach((v, i) => assert.ok(Math.abs(v - hybrid[i]) <= 1e-5 * Math.max(1, Math.abs(hybrid[i])), `output ${i}: ${v} vs ${hybrid[i]}`));
  tf.dispose(x);
  exported.dispose();
  model.dispose();
});

test('any tf.Sequential of supported layers can be the target; unsupported layers are refused by name', () => {
  const seq = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 3 }),
    ],
  });
  const net = stepsFromModel(seq);
  assert.equal(targetParamCount(net), seq.countParams());
  assert.deepEqual(net.steps.map((s) => s.kind), ['conv2d', 'avgpool', 'flatten', 'dense']);
  const bad = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.batchNormalization(), tf.layers.dense({ units: 2 })] });
  assert.throws(() => stepsFromModel(bad), /BatchNormalization.*cannot be generated/);
  seq.dispose();
  bad.dispose();
});

test('settings errors name the field and the fix', () => {
  assert.throws(() => resolveQuantumTrain({ qubits: 12 }, { inputShape: [28, 28, 1], classes: 10 }), /model\.quantumTrain\.qubits: 12 qubits .* 6690 parameters: use an integer from 13/);
  assert.throws(() => resolveQuantumTrain({ blocks: 0 }), /model\.quantumTrain\.blocks: must be a positive integer/);
  assert.throws(() => resolveQuantumTrain(tinySpec(), { inputShape: [3], classes: 4 }), /model\.quantumTrain\.target: the target outputs \[2\] per sample but the data has 4 classes/);
  assert.throws(() => resolveQuantumTrain({}, { inputShape: [5] }), /model\.quantumTrain\.target\.inputShape: the data has samples of shape \[5\]/);
  assert.throws(() => resolveQuantumTrain({ mapping: { hidden: [4, 0] } }), /mapping\.hidden\[1\]: must be a positive integer/);
  assert.throws(() => resolveQuantumTrain({ scaling: { alpha: -1 } }), /scaling\.alpha: must be a positive number/);
});

test('linear mapping layers run as one product of the small matrices: same values and gradients as layer by layer', () => {
  const N = 4;
  const M = 11;
  const shape: MappingShape = { count: M, qubits: N, sizes: [N + 1, 4, 20, 4, 1], activation: 'linear', beta: 0.8, gamma: 0.1, alpha: 0.3 };
  const bits = tf.tensor2d(basisFeatures(M, N), [M, N]);
  const p = tf.tensor2d(Array.from({ length: M }, (_, i) => (1 + Math.cos(i)) / 12), [1, M]);
  const sizes = shape.sizes;
  const params = sizes.slice(0, -1).flatMap((a, l) => [
    tf.tidy(() => tf.sin(tf.range(0, a * sizes[l + 1]).mul(0.9 + l)).reshape([a, sizes[l + 1]])),
    tf.tidy(() => tf.cos(tf.range(0, sizes[l + 1]).mul(1.3 + l))),
  ]);
  const w = tf.tidy(() => tf.linspace(-1, 2, M).reshape([1, M]));
  const loss = (layered: boolean) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(mappingForward(shape, bits, xs[0], xs.slice(1), { layered }), w)) as tf.Scalar;
  const fast = tf.grads(loss(false))([p, ...params]);
  const slow = tf.grads(loss(true))([p, ...params]);
  const vf = mappingForward(shape, bits, p, params).dataSync();
  const vs = mappingForward(shape, bits, p, params, { layered: true }).dataSync();
  vf.forEach((v, i) => assert.ok(Math.abs(v - vs[i]) < 1e-4 * Math.max(1, Math.abs(vs[i])), `value ${i}: ${v} vs ${vs[i]}`));
  fast.forEach((g, k) => {
    const a = g.dataSync();
    const b = slow[k].dataSync();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-3 * Math.max(1, Math.abs(b[i])), `gradient of input ${k}[${i}]: ${v} vs ${b[i]}`));
  });
  // The biases' gradient is zero (the centring removes any common shift).
  assert.ok(Array.from(fast[2].dataSync()).every((v) => Math.abs(v) < 1e-4), 'Array.from(fast[2].dataSync()).every((v) => Math.abs(v) < 1e-4)');
  tf.dispose([bits, p, w, ...params, ...fast, ...slow]);
});
