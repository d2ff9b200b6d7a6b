// The WebAssembly SIMD CNN gradient kernels (assembly/cnn-kernels.ts) against the paths they
// replace, on the MNIST-sized layers, interleaved in one process (SIMD on, off, on, off) so that
// the machine's drift hits both alike. Run: npm run bench -- cnn-kernels
//
//   filter gradient, 28×28×1 → 8 (5×5): SIMD kernel vs the transposed conv2d on XNNPACK
//   input gradient, same layer: SIMD kernel vs the "full" conv2d (what tf.fused.conv2d computes)
//   MaxPoolGrad 2×2/2 on 24×24×8 and 8×8×12: SIMD kernel vs the JS loop
// Each timing is forward + gradient through tf.grad (the forward is the same on both sides).

import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../src/tf-kernels/backend.js';
import { setCnnSimdKernels } from '../src/tf-kernels/wasm/cnn-kernels.js';
import { table, time } from './timing.js';

export async function runCnnKernelsBench(batch = 64): Promise<string> {
  await setupBackend('wasm');
  const x1 = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w1 = tf.randomNormal([5, 5, 1, 8], 0, 1, 'float32', 2) as tf.Tensor4D;
  const dy1 = tf.randomNormal([batch, 24, 24, 8], 0, 1, 'float32', 3);
  const p1 = tf.randomNormal([batch, 24, 24, 8], 0, 1, 'float32', 4) as tf.Tensor4D;
  const p2 = tf.randomNormal([batch, 8, 8, 12], 0, 1, 'float32', 5) as tf.Tensor4D;
  const cases: Array<[string, () => tf.Tensor]> = [
    ['conv 28×28×1 → 8, filter gradient', () => tf.grad((w: tf.Tensor) => tf.conv2d(x1, w as tf.Tensor4D, 1, 'valid').mul(dy1).sum())(w1)],
    ['conv 28×28×1 → 8, input gradient', () => tf.grad((x: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w1, 1, 'valid').mul(dy1).sum())(x1)],
    ['maxpool 2×2 on 24×24×8', () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(p1)],
    ['maxpool 2×2 on 8×8×12', () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(p2)],
  ];
  const run = (f: () => tf.Tensor) => () => {
    const out = f();
    out.dataSync();
    out.dispose();
  };
  const ms: Record<string, { on: number[]; off: number[] }> = {};
  for (let round = 0; round < 2; round++) {
    for (const on of [true, false]) {
      setCnnSimdKernels(on);
      for (const [label, f] of cases) {
        ms[label] ??= { on: [], off: [] };
        ms[label][on ? 'on' : 'off'].push(time(run(f), { reps: 9, inner: 3 }).ms);
      }
    }
  }
  setCnnSimdKernels(true);
  tf.dispose([x1, w1, dy1, p1, p2]);
  const best = (xs: number[]) => Math.min(...xs);
  const rows = cases.map(([label]) => {
    const { on, off } = ms[label];
    return [label, best(on), best(off), `${(best(off) / best(on)).toFixed(2)}x`];
  });
  return [
    `## CNN gradient kernels (batch ${batch}, wasm backend; forward + gradient, wall ms: the better of 2 interleaved rounds' medians)`,
    '',
    table(['layer, gradient', 'SIMD kernel ms', 'replaced path ms', 'speed-up'], rows),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runCnnKernelsBench());
