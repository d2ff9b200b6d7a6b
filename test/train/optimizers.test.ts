// Optimizer steps on f(x) = x² (gradient 2x) against values computed by hand with the PyTorch
// update rules in float64 (the tfjs side is float32, hence the tolerances).

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { Adam, AdamW, createOptimizer, setFusedCpuOptimizer, SGD, type Optimizer, type ParamGroup } from '../../src/train/optimizers.js';
import { cpu } from './helpers.js';

before(cpu);

function quadraticSteps(make: (groups: ParamGroup[]) => Optimizer, steps: number, x0 = 1): number[] {
  const x = tf.variable(tf.scalar(x0));
  const opt = make([{ name: 'classical', params: [{ key: 'x', variable: x }], lr: 0.1, weightDecay: 0 }]);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => x.square() as tf.Scalar, [x]);
      opt.applyGradients(new Map([['x', grads[x.name]]]));
    });
    out.push(x.dataSync()[0]);
  }
  opt.dispose();
  x.dispose();
  return out;
}

const close = (actual: number, expected: number, tol = 2e-6) => assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

test('Adam on x²: 0.9, 0.80041223, 0.70158627 (PyTorch rule, lr 0.1)', () => {
  const xs = quadraticSteps((g) => new Adam(g), 3);
  close(xs[0], 0.9000000005);
  close(xs[1], 0.8004122286917927);
  close(xs[2], 0.7015862729460302);
});

test('AdamW decays the weight before the Adam step: 0.89, 0.78157186 (lr 0.1, wd 0.1)', () => {
  const xs = quadraticSteps((g) => new AdamW(g.map((x) => ({ ...x, weightDecay: 0.1 }))), 2);
  close(xs[0], 0.89);
  close(xs[1], 0.7815718559365048);
});

test('Adam with weight decay adds λ·x to the gradient (not decoupled)', () => {
  // g = 2 + 0.5 = 2.5 on step 1; the first Adam step is lr·sign(g) whatever |g| is: x = 0.9 again,
  // while AdamW with the same decay gives 1·(1 − 0.05) − 0.1 = 0.85.
  const adam = quadraticSteps((g) => new Adam(g.map((x) => ({ ...x, weightDecay: 0.5 }))), 1);
  const adamw = quadraticSteps((g) => new AdamW(g.map((x) => ({ ...x, weightDecay: 0.5 }))), 1);
  close(adam[0], 0.9);
  close(adamw[0], 0.85);
});

test('SGD with momentum 0.9 on x²: 0.8, 0.46, 0.062', () => {
  const xs = quadraticSteps((g) => new SGD(g, { momentum: 0.9 }), 3);
  close(xs[0], 0.8);
  close(xs[1], 0.46);
  close(xs[2], 0.062);
});

test('SGD with Nesterov momentum: 0.62, 0.2224; plain SGD with weight decay 0.5: 0.75', () => {
  const nesterov = quadraticSteps((g) => new SGD(g, { momentum: 0.9, nesterov: true }), 2);
  close(nesterov[0], 0.62);
  close(nesterov[1], 0.2224);
  const decayed = quadraticSteps((g) => new SGD(g.map((x) => ({ ...x, weightDecay: 0.5 }))), 1);
  close(decayed[0], 0.75);
});

test('param groups step with their own learning rates, scaled by the schedule factor', () => {
  const a = tf.variable(tf.scalar(1));
  const b = tf.variable(tf.scalar(1));
  const opt = new SGD([
    { name: 'quantum', params: [{ key: 'a', variable: a }], lr: 0.01, weightDecay: 0 },
    { name: 'classical', params: [{ key: 'b', variable: b }], lr: 0.001, weightDecay: 0 },
  ]);
  tf.tidy(() => opt.applyGradients(new Map([['a', tf.scalar(1)], ['b', tf.scalar(1)]]), 0.5));
  close(a.dataSync()[0], 1 - 0.005, 1e-7);
  close(b.dataSync()[0], 1 - 0.0005, 1e-7);
  assert.deepEqual(opt.learningRates(0.5), { quantum: 0.005, classical: 0.0005 });
  opt.dispose();
  tf.dispose([a, b]);
});

test('getState/setState continue bit-identically; a mismatched state is refused', () => {
  const run = (split: boolean): Float32Array => {
    const w = tf.variable(tf.tensor1d([0.3, -1.2, 2]));
    const groups = () => [{ name: 'classical', params: [{ key: 'w', variable: w }], lr: 0.05, weightDecay: 0.01 }];
    let opt = createOptimizer('adamw', groups());
    const step = () => tf.tidy(() => opt.applyGradients(new Map([['w', tf.variableGrads(() => w.square().sum().sin() as tf.Scalar, [w]).grads[w.name]]])));
    for (let i = 0; i < 3; i++) step();
    if (split) {
      const state = opt.getState();
      opt.dispose();
      opt = createOptimizer('adamw', groups());
      opt.setState(state);
      assert.equal(opt.step, 3);
    }
    for (let i = 0; i < 3; i++) step();
    const out = Float32Array.from(w.dataSync());
    opt.dispose();
    w.dispose();
    return out;
  };
  assert.deepEqual(run(true), run(false));

  const v = tf.variable(tf.zeros([2]));
  const adam = new Adam([{ name: 'classical', params: [{ key: 'v', variable: v }], lr: 0.1, weightDecay: 0 }]);
  assert.throws(() => adam.setState({ kind: 'sgd', step: 1, slots: {} }), /for "sgd"/);
  assert.throws(() => adam.setState({ kind: 'adam', step: 1, slots: { v: { m: new Float32Array(3), v: new Float32Array(2) } } }), /3 values, expected 2/);
  assert.throws(() => adam.setState({ kind: 'adam', step: 1, slots: {} }), /lacks slot/);
  adam.dispose();
  v.dispose();
});

test('optimizers allocate no tensors per step', () => {
  const w = tf.variable(tf.ones([4]));
  const opt = new Adam([{ name: 'classical', params: [{ key: 'w', variable: w }], lr: 0.1, weightDecay: 0.1 }]);
  const g = tf.ones([4]);
  opt.applyGradients(new Map([['w', g]]));
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) opt.applyGradients(new Map([['w', g]]));
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  tf.dispose([w, g]);
});

test('the fused cpu Adam/AdamW loop gives the op-by-op update bit for bit (random shapes, hyper-parameters, weight decay, 6 steps)', () => {
  assert.equal(tf.getBackend(), 'cpu');
  fc.assert(fc.property(
    fc.constantFrom<'adam' | 'adamw'>('adam', 'adamw'),
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
    fc.constantFrom(0, 1e-5, 0.01, 0.3),
    fc.double({ min: 0.5, max: 0.99, noNaN: true }),
    fc.integer({ min: 0, max: 1000 }),
    (kind, shape, lr, weightDecay, beta1, seed) => {
      const run = (fused: boolean) => {
        setFusedCpuOptimizer(fused);
        try {
          const size = shape.reduce((a, b) => a * b, 1);
          const x = tf.variable(tf.tensor(Array.from({ length: size }, (_, i) => 2 * Math.sin(seed + 1.7 * i)), shape, 'float32'));
          const opt = createOptimizer(kind, [{ name: 'g', params: [{ key: 'x', variable: x }], lr, weightDecay }], { beta1, beta2: 0.995, epsilon: 1e-7 });
          for (let s = 0; s < 6; s++) {
            tf.tidy(() => {
              // A gradient that changes sign and size between steps (sin of the weights, scaled).
              const grad = x.sin().mul(3 - s);
              opt.applyGradients(new Map([['x', grad]]), 1 - s / 10);
            });
          }
          const state = opt.getState();
          const out = { x: Array.from(x.dataSync()), m: Array.from(state.slots.x.m), v: Array.from(state.slots.x.v) };
          opt.dispose();
          x.dispose();
          return out;
        } finally {
          setFusedCpuOptimizer(true);
        }
      };
      const fused = run(true);
      const ops = run(false);
      for (const key of ['x', 'm', 'v'] as const) {
        fused[key].forEach((value, i) => assert.ok(Object.is(value, ops[key][i]), `${kind} ${key}[${i}]: fused ${value}, ops ${ops[key][i]}`));
      }
    },
  ), { numRuns: 60, seed: 3 });
});
