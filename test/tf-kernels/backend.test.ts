// The replacement kernels (src/tf-kernels/conv-grad.ts, pool-grad.ts) against the cpu backend's shipped
// kernels, on random inputs covering valid/same padding, strides 1 and 2, overlapping pools and
// ties; and a tiny CNN that trains on wasm.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  setupBackend, installedFastKernels, DEFAULT_FAST_KERNELS, type BackendName,
} from '../../src/tf-kernels/backend.js';
import { cnnKernels, setCnnSimdKernels } from '../../src/tf-kernels/wasm/cnn-kernels.js';

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number;
  pad: 'valid' | 'same';
}

const CONV_CASES: ConvCase[] = [
  { name: 'mnist first layer', x: [4, 28, 28, 1], w: [5, 5, 1, 8], strides: 1, pad: 'valid' },
  { name: 'valid, several channels', x: [3, 9, 9, 3], w: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { name: 'same padding', x: [2, 8, 7, 2], w: [3, 5, 2, 3], strides: 1, pad: 'same' },
  { name: 'stride 2 same', x: [2, 9, 9, 2], w: [3, 3, 2, 3], strides: 2, pad: 'same' },
  { name: 'stride 2 valid, unused last row', x: [2, 10, 10, 2], w: [3, 3, 2, 2], strides: 2, pad: 'valid' },
  // Few input channels and a multiple of 4 output channels: the SIMD filter-gradient kernel.
  { name: 'same padding, 4 out (SIMD filter gradient)', x: [2, 8, 7, 2], w: [3, 5, 2, 4], strides: 1, pad: 'same' },
  { name: 'stride 2 same, 8 out (SIMD)', x: [2, 9, 9, 1], w: [3, 3, 1, 8], strides: 2, pad: 'same' },
  { name: 'stride 2 valid, unused last row, 12 out (SIMD)', x: [2, 10, 10, 3], w: [3, 3, 3, 12], strides: 2, pad: 'valid' },
  { name: 'odd width, 16 out (SIMD)', x: [3, 11, 9, 1], w: [4, 2, 1, 16], strides: 1, pad: 'valid' },
  { name: 'same padding, RGB, 12 out (SIMD, interior pixels four at a time)', x: [2, 12, 13, 3], w: [3, 3, 3, 12], strides: 1, pad: 'same' },
  // Strided, more than 4 input channels: the input gradient runs on dy spread onto the stride grid.
  { name: 'ResNet 3x3/2 same, even side', x: [2, 8, 8, 6], w: [3, 3, 6, 8], strides: 2, pad: 'same' },
  { name: 'ResNet 1x1/2 projection', x: [2, 8, 8, 5], w: [1, 1, 5, 7], strides: 2, pad: 'same' },
  { name: '3x3/2 same, odd side', x: [2, 9, 7, 6], w: [3, 3, 6, 4], strides: 2, pad: 'same' },
  { name: '3x3/2 valid, unused last row', x: [2, 10, 10, 5], w: [3, 3, 5, 3], strides: 2, pad: 'valid' },
  // 1x1 with many input channels and a multiple of 4 outputs: the filter gradient on the SIMD kernel.
  { name: 'ResNet 1x1/2 projection, 8 out (SIMD filter gradient)', x: [2, 8, 8, 6], w: [1, 1, 6, 8], strides: 2, pad: 'same' },
  { name: '1x1/2 projection, odd side, 12 out (SIMD)', x: [2, 9, 7, 10], w: [1, 1, 10, 12], strides: 2, pad: 'same' },
  { name: '1x1/1, 4 out (SIMD)', x: [3, 5, 6, 9], w: [1, 1, 9, 4], strides: 1, pad: 'valid' },
];

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  size: number;
  strides: number;
  pad: 'valid' | 'same';
  /** Round inputs to a few levels so windows hold ties. */
  ties?: boolean;
}

const POOL_CASES: PoolCase[] = [
  { name: '2x2/2 valid after relu', x: [3, 8, 8, 4], size: 2, strides: 2, pad: 'valid' },
  { name: '3x3/2 same (overlapping, padded)', x: [2, 7, 7, 3], size: 3, strides: 2, pad: 'same' },
  { name: '2x2/1 valid (overlapping)', x: [2, 5, 6, 2], size: 2, strides: 1, pad: 'valid' },
  { name: '2x2/2 with ties', x: [2, 6, 6, 2], size: 2, strides: 2, pad: 'valid', ties: true },
  // Multiples of 4 channels take the SIMD kernel's lane-wise path: ties and overlaps there too.
  { name: '2x2/2 with ties, 8 channels', x: [2, 6, 6, 8], size: 2, strides: 2, pad: 'valid', ties: true },
  { name: '3x3/2 same with ties, 4 channels', x: [2, 7, 7, 4], size: 3, strides: 2, pad: 'same', ties: true },
];

/** Deterministic inputs: the same numbers whichever backend is active. */
function rand(shape: number[], seed: number, ties = false): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32 - 0.5;
    v[i] = ties ? Math.round(u * 3) : u;
  }
  return tf.tensor(v, shape);
}

type Grads = Record<string, Float32Array>;

function convGrads(): Grads {
  const out: Grads = {};
  CONV_CASES.forEach((c, k) => {
    tf.tidy(() => {
      const x = rand(c.x, 10 + k) as tf.Tensor4D;
      const w = rand(c.w, 20 + k) as tf.Tensor4D;
      const probe = (y: tf.Tensor) => y.mul(rand(y.shape, 30 + k)).sum();
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        probe(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad)))([x, w]);
      out[`${c.name}: dx`] = dx.dataSync() as Float32Array;
      out[`${c.name}: dw`] = dw.dataSync() as Float32Array;
      // The fused conv (what tf.layers runs for conv+bias+relu) takes the same kernels.
      const bias = rand([c.w[3]], 40 + k) as tf.Tensor1D;
      const [fx, fw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => probe(tf.fused.conv2d({
        x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: c.strides, pad: c.pad, bias, activation: 'relu',
      })))([x, w]);
      out[`${c.name}: fused dx`] = fx.dataSync() as Float32Array;
      out[`${c.name}: fused dw`] = fw.dataSync() as Float32Array;
    });
  });
  return out;
}

function poolGrads(): Grads {
  const out: Grads = {};
  POOL_CASES.forEach((c, k) => {
    tf.tidy(() => {
      const x = rand(c.x, 50 + k, c.ties);
      const g = tf.grad((a: tf.Tensor) => {
        const y = tf.maxPool(tf.relu(a) as tf.Tensor4D, c.size, c.strides, c.pad);
        return y.mul(rand(y.shape, 60 + k)).sum();
      })(x);
      out[c.name] = g.dataSync() as Float32Array;
    });
  });
  return out;
}

function assertClose(got: Grads, want: Grads, label: string): void {
  for (const key of Object.keys(want)) {
    const a = got[key];
    const b = want[key];
    assert.equal(a.length, b.length, `${label} ${key}: length`);
    let scale = 1;
    for (const v of b) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    // float32 sums of up to a few thousand terms in a different order
    assert.ok(worst <= 1e-4 * scale, `${label} ${key}: max |diff| ${worst} (scale ${scale})`);
  }
}

async function on(name: BackendName, fastKernels: boolean): Promise<{ conv: Grads; pool: Grads }> {
  await setupBackend(name, { fastKernels });
  return { conv: convGrads(), pool: poolGrads() };
}

test('replacement kernels match the cpu backend\'s shipped gradients', async () => {
  const ref = await on('cpu', false);
  const wasm = await on('wasm', true);
  assertClose(wasm.conv, ref.conv, 'wasm');
  assertClose(wasm.pool, ref.pool, 'wasm');
  const cpu = await on('cpu', true);
  assertClose(cpu.conv, ref.conv, 'cpu');
  assertClose(cpu.pool, ref.pool, 'cpu');
  // The same without the WebAssembly CNN kernels (their fallbacks: the transposed conv2d, the JS pool loop).
  setCnnSimdKernels(false);
  try {
    const off = await on('wasm', true);
    assertClose(off.conv, ref.conv, 'wasm, SIMD kernels off');
    assertClose(off.pool, ref.pool, 'wasm, SIMD kernels off');
  } finally {
    setCnnSimdKernels(true);
  }
});

test('the SIMD filter-gradient kernel is available in Node, so the cases above exercise it', () => {
  assert.notEqual(cnnKernels(), null);
});

test('on cpu, NCHW convolutions still get the shipped gradient kernels', async () => {
  const grads = () => tf.tidy(() => {
    const x = rand([2, 3, 7, 7], 1) as tf.Tensor4D;
    const w = rand([3, 3, 3, 2], 2) as tf.Tensor4D;
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', 'NCHW').square().sum())([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
  await setupBackend('cpu', { fastKernels: false });
  const ref = grads();
  await setupBackend('cpu', { fastKernels: true });
  assertClose(grads(), ref, 'cpu NCHW');
});

test('setupBackend registers and removes the replacement kernels', async () => {
  await setupBackend('wasm');
  assert.deepEqual(installedFastKernels('wasm'), [...DEFAULT_FAST_KERNELS.wasm]);
  await setupBackend('wasm', { fastKernels: ['MaxPoolGrad'] });
  assert.deepEqual(installedFastKernels('wasm'), ['MaxPoolGrad']);
  // As shipped, wasm has no filter-gradient kernel: this is why the replacements exist.
  const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
  const w = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
  assert.throws(() => tf.grad((b: tf.Tensor) => tf.conv2d(x, b as tf.Tensor4D, 1, 'valid').sum())(w),
    /Conv2DBackpropFilter/);
  await setupBackend('wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(installedFastKernels('wasm'), [...DEFAULT_FAST_KERNELS.wasm]);
});

test('a tiny CNN trains on wasm: a few SGD steps lower the loss', async () => {
  await setupBackend('wasm');
  // Label 1: a bright vertical bar in the left half; label 0: in the right half; plus noise.
  const n = 32;
  const pixels = rand([n, 12, 12, 1], 7).mul(0.4).arraySync() as number[][][][];
  const labels: number[] = [];
  for (let b = 0; b < n; b++) {
    const label = b % 2;
    const col = label === 1 ? 1 + (b % 4) : 7 + (b % 4);
    for (let r = 0; r < 12; r++) pixels[b][r][col][0] += 1;
    labels.push(label);
  }
  const xs = tf.tensor4d(pixels);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: init(3) }),
    ],
  });
  const optimizer = tf.train.sgd(0.1);
  const lossOf = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
  const before = tf.tidy(() => lossOf().dataSync()[0]);
  for (let i = 0; i < 10; i++) optimizer.minimize(lossOf);
  const after = tf.tidy(() => lossOf().dataSync()[0]);
  assert.ok(Number.isFinite(after) && after < before * 0.5, `loss ${before} -> ${after}`);
});
