// A fast MaxPoolGrad kernel (NHWC) for TensorFlow.js in Node.
//
// Why: the gradient of max pooling was the largest single cost of a CNN training step on the
// wasm backend (its shipped MaxPoolGrad is a scalar C++ loop that, for each input pixel, scans
// every window covering it), and the cpu backend's goes through TensorBuffer.get/set per
// element. Routing each output's gradient to the argmax of its window is one pass over the
// windows. That loop runs on our WebAssembly SIMD kernel (assembly/cnn-kernels.ts, four channels
// at a time: ~1 ms for a 64 × 24 × 24 × 8 batch against ~4.5 ms as the JS loop below, which stays
// the fallback where WebAssembly SIMD is missing).
//
// Semantics match the cpu backend's kernel (and TensorFlow's): within a window the *first*
// strictly largest value (row-major scan) receives the gradient; padded positions never do;
// overlapping windows add up.

import * as tf from '@tensorflow/tfjs';
import { allocFloat32, defineKernel, float32Data, input as inputOf, type KernelArgs } from './kernel-util.js';
import { cnnKernels } from './wasm/cnn-kernels.js';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradKernel = defineKernel(({ inputs, backend, attrs }: KernelArgs) => {
  const dy = inputOf(inputs, 'dy');
  const input = inputOf(inputs, 'input');
  const a = attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad,
    a.dimRoundingMode);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: oh, outWidth: ow,
    strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const out = allocFloat32(backend, input.shape.slice());
  const dx = out.data;
  const xs = float32Data(backend, input);
  const g = float32Data(backend, dy);
  const simd = cnnKernels();
  if (simd !== null) {
    // The same loop on our WebAssembly kernel (assembly/cnn-kernels.ts), four channels at a time.
    simd.run([xs, g], dx, ([px, pg, pd]) => simd.exports.maxPoolGrad(px, pg, pd, batchSize, H, W, C, oh, ow, fh, fw, sh, sw, top, left));
    return out.info;
  }
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * H * W * C;
    for (let i = 0; i < oh; i++) {
      const r0 = Math.max(0, i * sh - top);
      const r1 = Math.min(H, i * sh - top + fh);
      for (let j = 0; j < ow; j++) {
        const c0 = Math.max(0, j * sw - left);
        const c1 = Math.min(W, j * sw - left + fw);
        const gBase = ((b * oh + i) * ow + j) * C;
        for (let ch = 0; ch < C; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = r0; r < r1; r++) {
            for (let c = c0; c < c1; c++) {
              const k = xBatch + (r * W + c) * C + ch;
              if (xs[k] > best) {
                best = xs[k];
                at = k;
              }
            }
          }
          if (at >= 0) dx[at] += g[gBase + ch];
        }
      }
    }
  }
  return out.info;
});
