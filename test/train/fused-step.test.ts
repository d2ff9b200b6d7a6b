// The fused small-dense training step (src/train/fused-step): every float32 op against the tfjs
// op it mirrors, the whole step against tf.variableGrads, and whole training runs against the
// tfjs path — all with Object.is (the same bits), since that is the promise.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { buildModel, type LayerConfig } from '../../src/models/build.js';
import { clipByGlobalNorm, globalNorm as tfGlobalNorm } from '../../src/train/clip.js';
import * as ops from '../../src/train/fused-step/float32-ops.js';
import { FusedTrainer, planNetwork, setFusedSmallDenseStep } from '../../src/train/fused-step/index.js';
import { fusedStep, type FusedNetwork } from '../../src/train/fused-step/network.js';
import { runEpoch } from '../../src/train/epoch.js';
import { assembleLoop } from '../../src/train/loop.js';
import { classificationLoss } from '../../src/train/losses.js';
import { trainFromEpoch } from '../../src/train/phases.js';
import { classificationTask } from '../../src/train/tasks/classification.js';
import { train, type TrainerConfig } from '../../src/train/trainer.js';
import { cpu, tinyCircles } from './helpers.js';

before(cpu);

/** Values with both signs, exact zeros, tiny and large magnitudes, from a seed. */
function values(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const u = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453;
    const r = u - Math.floor(u);
    return i % 11 === 3 ? 0 : (r - 0.5) * 4 * scale * (i % 7 === 0 ? 1e-3 : 1);
  });
}

function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) assert.ok(Object.is(got[i], want[i]), `${what}[${i}]: fused ${got[i]}, tfjs ${want[i]}`);
}

test('matMul and its two transposes give tf.matMul bit for bit, shared dimensions past the 48-wide block included', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 110 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 999 }), (m, k, n, seed) => {
      const a = values(m * k, seed);
      const b = values(k * n, seed + 1);
      const d = values(m * n, seed + 2);
      tf.tidy(() => {
        const A = tf.tensor2d(a, [m, k]);
        sameBits(ops.matMul(a, b, m, k, n), tf.matMul(A, tf.tensor2d(b, [k, n])).dataSync(), 'x·w');
        sameBits(ops.matMulTransposeA(a, d, m, k, n), tf.matMul(A, tf.tensor2d(d, [m, n]), true, false).dataSync(), 'xᵀ·dy');
        // dy [m, n] · wᵀ for w [k, n]: n is the shared dimension here, so n past 48 is covered below.
        sameBits(ops.matMulTransposeB(d, b, m, n, k), tf.matMul(tf.tensor2d(d, [m, n]), tf.tensor2d(b, [k, n]), false, true).dataSync(), 'dy·wᵀ');
        const wide = values(m * k, seed + 4);
        sameBits(ops.matMulTransposeB(a, wide, m, k, m), tf.matMul(A, tf.tensor2d(wide, [m, k]), false, true).dataSync(), 'dy·wᵀ, wide');
      });
    }),
    { numRuns: 60, seed: 14 },
  );
});

test('a one-line bug in the block rounding is caught: one float64 sum over k = 100 differs from tfjs somewhere', () => {
  const m = 8, k = 100, n = 8;
  const a = values(m * k, 5), b = values(k * n, 6);
  const want = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync());
  const unblocked = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * n + j];
    unblocked[i * n + j] = s;
  }
  assert.ok(Array.from(unblocked).some((v, i) => !Object.is(v, want[i])), 'the test data must tell the two apart');
  sameBits(ops.matMul(a, b, m, k, n), want, 'blocked');
});

test('bias add, bias gradient, activations and their gradients give the tfjs ops bit for bit (NaN, ±0 included)', () => {
  const rows = 7, n = 5;
  const z = values(rows * n, 9, 3);
  z[1] = -0;
  z[2] = NaN;
  const bias = values(n, 10);
  const dy = values(rows * n, 11);
  dy[4] = -1.5; // against a z ≤ 0: relu's gradient is dy·0 = −0
  z[4] = -2;
  tf.tidy(() => {
    const Z = tf.tensor2d(z, [rows, n]);
    const biased = Float32Array.from(z);
    ops.addBiasInPlace(biased, bias, rows, n);
    sameBits(biased, tf.add(Z, tf.tensor1d(bias)).dataSync(), 'z + bias');
    sameBits(ops.sumRows(dy, rows, n), tf.sum(tf.tensor2d(dy, [rows, n]), 0).dataSync(), 'Σ rows');
    const act = { relu: tf.relu, tanh: tf.tanh, sigmoid: tf.sigmoid, linear: (t: tf.Tensor) => t.clone() };
    for (const name of ['relu', 'tanh', 'sigmoid', 'linear'] as const) {
      const y = ops.activate(name, z);
      sameBits(y, act[name](Z).dataSync(), `${name}(z)`);
      const g = tf.grad((t: tf.Tensor) => act[name](t))(Z, tf.tensor2d(dy, [rows, n]));
      sameBits(ops.activationGrad(name, dy, z, y), g.dataSync(), `d ${name}`);
    }
  });
});

test('softmax cross-entropy (label smoothing 0 and 0.1) and the one-hot MSE: loss and gradient as train/losses.ts on tfjs', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 33 }), fc.integer({ min: 2, max: 6 }), fc.constantFrom(0, 0.1), fc.integer({ min: 0, max: 999 }), (rows, k, smoothing, seed) => {
      const logits = values(rows * k, seed, 2);
      const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7 + seed) % k);
      const targets = ops.classTargets(labels, rows, k, smoothing);
      for (const kind of ['cross_entropy', 'mse'] as const) {
        const lossFn = classificationLoss(kind, smoothing);
        const fused = kind === 'cross_entropy' ? ops.softmaxCrossEntropy(logits, targets, rows, k) : ops.meanSquaredError(logits, targets);
        tf.tidy(() => {
          const y = tf.tensor1d(labels, 'int32');
          const { value, grad } = tf.valueAndGrad((l: tf.Tensor) => lossFn(y, l as tf.Tensor2D))(tf.tensor2d(logits, [rows, k]));
          assert.ok(Object.is(fused.loss, value.dataSync()[0]), `${kind} loss: fused ${fused.loss}, tfjs ${value.dataSync()[0]}`);
          sameBits(fused.dOutputs, grad.dataSync(), `${kind} d loss`);
        });
      }
    }),
    { numRuns: 40, seed: 15 },
  );
});

test('correct count, global norm and clipping as metrics.ts / clip.ts compute them', () => {
  const rows = 9, k = 3;
  const out = values(rows * k, 4);
  out[3] = out[4]; // a tie: the first index wins, as tf.argMax
  const labels = Int32Array.from({ length: rows }, (_, i) => i % k);
  tf.tidy(() => {
    const want = tf.equal(tf.tensor2d(out, [rows, k]).argMax(1), tf.tensor1d(labels, 'int32')).sum().dataSync()[0];
    assert.equal(ops.correctCount(out, labels, rows, k), want);
    const grads = [values(12, 1), values(5, 2, 30), values(1, 3)];
    const norm = tfGlobalNorm(grads.map((g) => tf.tensor1d(g))).dataSync()[0];
    assert.ok(Object.is(ops.globalNorm(grads), norm), 'Object.is(ops.globalNorm(grads), norm)');
    const clipped = clipByGlobalNorm(new Map(grads.map((g, i) => [i, tf.tensor1d(g)])), 0.5);
    const scale = ops.clipScale(ops.globalNorm(grads), 0.5);
    grads.forEach((g, i) => sameBits(ops.scaled(g, scale), clipped.grads.get(i)!.dataSync(), `clipped ${i}`));
  });
});

/** Random small networks the plan accepts: dense layers (any fused activation, with or without bias), activation layers, a 3-qubit circuit. */
const arbLayers: fc.Arbitrary<LayerConfig[]> = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.record({ units: fc.integer({ min: 1, max: 9 }), activation: fc.constantFrom('linear', 'relu', 'tanh', 'sigmoid'), useBias: fc.boolean() }).map((dense) => ({ dense }) as LayerConfig),
        fc.constantFrom<LayerConfig>({ activation: 'tanh' }, { activation: 'relu' }),
      ),
      { minLength: 0, maxLength: 3 },
    ),
    fc.boolean(),
  )
  .map(([hidden, quantum]) => [
    ...hidden,
    ...(quantum ? [{ dense: { units: 3, activation: 'tanh' } } as LayerConfig, { quantum: { wires: 3, ansatz: { type: 'strongly_entangling', layers: 1 } } } as LayerConfig] : []),
    { dense: { units: 3 } },
  ]);

test('the fused step gives tf.variableGrads bit for bit: loss, correct count and every gradient, on random networks', () => {
  fc.assert(
    fc.property(arbLayers, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 999 }), (layers, rows, seed) => {
      const features = 5;
      const model = buildModel(layers, { inputShape: [features], seed, numClasses: 3 });
      try {
        const net = planNetwork(model);
        assert.notEqual(typeof net, 'string', String(net));
        const x = values(rows * features, seed, 1.5);
        const labels = Int32Array.from({ length: rows }, (_, i) => (i + seed) % 3);
        const task = classificationTask({ labelSmoothing: seed % 2 ? 0.05 : 0 });
        const data = { x: tf.tensor2d(x, [rows, features]), y: tf.tensor1d(labels, 'int32') };
        const all = Int32Array.from({ length: rows }, (_, i) => i);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const fused = fusedStep(net as FusedNetwork, x, rows, (o) => task.fused!.loss(data, all, o, 3), variables);
        const ref = tf.variableGrads(() => task.batchLoss(model, task.makeBatch(data, all)).loss, variables);
        const correct = tf.tidy(() => task.batchLoss(model, task.makeBatch(data, all)).stats.correct.dataSync()[0]);
        assert.ok(Object.is(fused.loss, ref.value.dataSync()[0]), `loss ${fused.loss} vs ${ref.value.dataSync()[0]}`);
        assert.equal(fused.stats.correct[0], correct);
        assert.deepEqual([...fused.grads.keys()].map((v) => v.name), Object.keys(ref.grads));
        for (const v of variables) sameBits(fused.grads.get(v)!, ref.grads[v.name].dataSync(), v.name);
        // The validation pass through the fused forward, in batches of 7: evaluate()'s numbers.
        const trainer = FusedTrainer.create(model, task.fused);
        assert.ok(typeof trainer !== 'string', 'typeof trainer !== \'string\'');
        const evaluation = trainer.evaluate(data, 7);
        const want = task.evaluate(model, data, 7);
        assert.ok(evaluation && Object.is(evaluation.loss, want.loss) && Object.is(evaluation.accuracy, want.accuracy), `evaluation ${JSON.stringify(evaluation)} vs ${JSON.stringify(want)}`);
        tf.dispose([data.x, data.y, ref.value, ...Object.values(ref.grads)]);
      } finally {
        model.dispose();
      }
    }),
    { numRuns: 25, seed: 16 },
  );
});

/** Train with the fused step on and off; the weights and every logged number must be the same bits. */
async function bothWays(layers: LayerConfig[], config: TrainerConfig, prepare?: (model: tf.LayersModel) => void): Promise<{ fused: number[]; ops: number[] }> {
  const data = tinyCircles(3);
  const run = async (on: boolean) => {
    setFusedSmallDenseStep(on);
    const model = buildModel(layers, { inputShape: [3], seed: 11, numClasses: 2 });
    prepare?.(model);
    try {
      const result = await train({ model, train: data.train, val: data.val, config, seed: 5 });
      const numbers = result.history.flatMap((h) => [h.train_loss, h.train_accuracy, h.val_loss, h.val_accuracy, h.grad_norm, h.grad_norm_max] as number[]);
      return [...model.getWeights().flatMap((w) => Array.from(w.dataSync())), ...numbers];
    } finally {
      setFusedSmallDenseStep(true);
      model.dispose();
    }
  };
  try {
    return { fused: await run(true), ops: await run(false) };
  } finally {
    data.dispose();
  }
}

const HYBRID: LayerConfig[] = [
  { dense: { units: 6, activation: 'relu' } },
  { dense: { units: 3, activation: 'tanh' } },
  { quantum: { wires: 3, ansatz: { type: 'strongly_entangling', layers: 2 } } },
  { dense: { units: 5, activation: 'sigmoid' } },
  { dense: { units: 2 } },
];

test('training runs end the same, bit for bit, with and without the fused step: Adam, AdamW + decay + clipping + label smoothing, SGD momentum, MSE, a layer frozen for 2 epochs', async () => {
  const base: TrainerConfig = { epochs: 4, batchSize: 16, optimizer: { type: 'adam', lr: 0.02 } };
  const cases: Array<[string, TrainerConfig, ((m: tf.LayersModel) => void)?]> = [
    ['adam', base],
    ['adamw, clip, smoothing', { ...base, optimizer: { type: 'adamw', lr: 0.05, weightDecay: 0.01 }, clipNorm: 0.05, labelSmoothing: 0.1 }],
    ['sgd momentum, mse', { ...base, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, loss: 'mse' }],
    ['frozen first layer', base, (m) => trainFromEpoch(m.layers.find((l) => l.name.startsWith('layer0'))!, 2)],
  ];
  for (const [name, config, prepare] of cases) {
    const { fused, ops: tfjs } = await bothWays(HYBRID, config, prepare);
    sameBits(fused, tfjs, name);
  }
});

test('the loop takes the fused step for dense/quantum chains only; dropout, conv models and a switched-off step keep tfjs', () => {
  const task = classificationTask();
  const loopOf = (layers: LayerConfig[], inputShape = [3]) => {
    const model = buildModel(layers, { inputShape, seed: 1, numClasses: 2 });
    const data = { x: tf.zeros([4, ...inputShape]), y: tf.tensor1d([0, 1, 0, 1], 'int32') };
    const loop = assembleLoop({ model, train: data, task, config: { epochs: 1, batchSize: 2, optimizer: { type: 'adam', lr: 0.01 } }, seed: 1 });
    loop.parts.optimizer.dispose();
    model.dispose();
    tf.dispose([data.x, data.y]);
    return loop.runner.fused;
  };
  assert.ok(loopOf(HYBRID)?.active, 'loopOf(HYBRID)?.active');
  assert.equal(loopOf([{ dense: { units: 4, activation: 'relu' } }, { dropout: 0.3 }, { dense: { units: 2 } }]), null);
  assert.equal(loopOf([{ dense: { units: 4, activation: 'elu' } }, { dense: { units: 2 } }]), null);
  assert.equal(loopOf([{ conv2d: { filters: 2, kernelSize: 3 } }, { flatten: {} }, { dense: { units: 2 } }], [4, 4, 1]), null);
  const six = buildModel([{ dense: { units: 6 } }], { inputShape: [3], seed: 1, numClasses: 6 });
  const sixTrainer = FusedTrainer.create(six, task.fused);
  const sixData = { x: tf.ones([2, 3]), y: tf.tensor1d([0, 5], 'int32') };
  assert.ok(typeof sixTrainer !== 'string' && sixTrainer.evaluate(sixData, 8) === null, 'top-5 accuracy (6+ classes) stays on tfjs');
  tf.dispose([sixData.x, sixData.y]);
  six.dispose();
  const model = buildModel([{ dense: { units: 2 } }], { inputShape: [3], seed: 1, numClasses: 2 });
  assert.match(String(FusedTrainer.create(model, undefined)), /no fused loss/);
  const trainer = FusedTrainer.create(model, task.fused);
  assert.ok(typeof trainer !== 'string' && trainer.active, 'typeof trainer !== \'string\' && trainer.active');
  setFusedSmallDenseStep(false);
  try {
    assert.ok(typeof trainer !== 'string' && !trainer.active, 'typeof trainer !== \'string\' && !trainer.active');
  } finally {
    setFusedSmallDenseStep(true);
    model.dispose();
  }
});

test('the fused step leaks no tensors: the count after every epoch is the same', () => {
  const data = tinyCircles(2);
  const model = buildModel(HYBRID, { inputShape: [3], seed: 3, numClasses: 2 });
  const loop = assembleLoop({ model, train: data.train, config: { epochs: 3, batchSize: 16, optimizer: { type: 'adam', lr: 0.01 } }, seed: 2 });
  try {
    assert.ok(loop.runner.fused?.active, 'loop.runner.fused?.active');
    const counts = [0, 1, 2].map((epoch) => {
      runEpoch(loop.runner, epoch);
      return tf.memory().numTensors;
    });
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  } finally {
    loop.parts.optimizer.dispose();
    model.dispose();
    data.dispose();
  }
});
