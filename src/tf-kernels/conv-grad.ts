// Fast Conv2D gradient kernels for TensorFlow.js in Node (NHWC only).
//
// Why kernels and not a gradient override: tf.layers' conv2d with a ReLU runs the *fused* conv
// op, whose gradient calls the Conv2DBackpropFilter / Conv2DBackpropInput ops directly, so an
// override of Conv2D's gradient (tf.registerGradient) would miss it. Registering the kernels
// per backend fixes every path that needs them (plain conv2d, fused conv2d, tf.grad, model.fit)
// and leaves other backends alone.
//
// - The wasm backend ships no Conv2DBackpropFilter at all, so CNNs cannot train on it as
//   shipped; the cpu backend's is a scalar loop (seconds per batch on a small MNIST CNN).
//   Both are replaced by one conv2d: the filter gradient is a correlation of x with dy over
//   the batch and output positions, i.e. a conv2d whose "batch" is x's input channels, whose
//   "input channels" are the batch, and whose filter is dy (dilated by the forward stride).
//   On wasm that conv2d runs in XNNPACK (SIMD).
// - wasm's Conv2DBackpropInput is a scalar C++ loop; for stride 1 the input gradient is a
//   "full" conv2d of dy with the filter rotated by 180 degrees (in/out channels swapped), which
//   XNNPACK again runs fast. Other strides keep the shipped kernel.
//   For convolutions with few input channels (ci <= 4: the first layer on images) both
//   gradients instead run on our own WebAssembly SIMD kernels (assembly/cnn-kernels.ts), which
//   sum in registers (per filter tap, per input pixel): 1.5-2x those conv2ds there, where XNNPACK
//   gets a "batch" or an output of ci channels (bench/cnn-kernels.ts).
// See bench/cnn-step.ts for the measurements behind this.

import * as tf from '@tensorflow/tfjs';
import {
  allocFloat32, callKernel, defineKernel, float32Data, input, release, type KernelArgs,
} from './kernel-util.js';
import { cnnKernels, type CnnKernels } from './wasm/cnn-kernels.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Gradients of convolutions with at most this many input channels use the SIMD kernels. */
const SIMD_MAX_CI = 4;

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

interface InputGradAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

function requireNHWC(dataFormat: string, kernel: string): void {
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernel}: only dataFormat NHWC (channelsLast) is supported, got ${dataFormat}`);
  }
}

/** Which filter gradients run on the SIMD kernel (it needs a multiple of 4 output channels); the rest take the transposed conv2d. */
export type FilterGradRoute = (info: tf.backend_util.Conv2DInfo) => boolean;

/**
 * The SIMD kernel takes few input channels (the first layer on images: the transposed conv2d
 * gets a "batch" of ci images there), and every 1x1 convolution (ResNet's projection shortcuts):
 * there the transposed conv2d is a convolution with a kernel of the output's size (14x14, dilated
 * by the stride), which XNNPACK runs at 0.5-1.2 GMAC/s against its 4-10 on 3x3 layers; the SIMD
 * kernel does the same sum 1.7-4x faster (BENCHMARKS.md, "ResNet filter gradients", 2026-12-02). For 3x3 layers
 * with 8 or more input channels, strided or not, the transposed conv2d stays faster.
 */
export const filterGradOnSimd: FilterGradRoute = (info) =>
  info.outChannels % 4 === 0 && (info.inChannels <= SIMD_MAX_CI || (info.filterHeight === 1 && info.filterWidth === 1));

/** The routing before 2026-12-02 (few input channels only), kept for the benchmark's comparison. */
export const filterGradOnSimdFewChannels: FilterGradRoute = (info) => info.outChannels % 4 === 0 && info.inChannels <= SIMD_MAX_CI;

/**
 * Conv2DBackpropFilter for `backendName` built from that backend's Transpose, Conv2D and Slice
 * kernels: dW[kh,kw,ci,co] = sum_{b,oh,ow} xpad[b, oh*sh+kh, ow*sw+kw, ci] * dy[b,oh,ow,co]
 * is conv2d(x^T [ci,H,W,B], dy^T [oh,ow,B,co], stride 1, dilation = forward stride, forward
 * padding) -> [ci,KH',KW',co], transposed to [KH',KW',ci,co] and cut to KH x KW (KH' > KH when
 * a strided forward did not use the last rows). Shapes where this does not apply fall back to
 * a direct loop; NCHW goes to `fallback` (the shipped kernel, if the backend has one).
 */
export function makeConv2DBackpropFilter(backendName: string, fallback?: tf.KernelFunc, route: FilterGradRoute = filterGradOnSimd): tf.KernelFunc {
  return defineKernel((args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = input(inputs, 'x');
    const dy = input(inputs, 'dy');
    const a = attrs as unknown as FilterGradAttrs;
    // NCHW: leave it to the shipped kernel where there is one (cpu); wasm has none.
    if (a.dataFormat !== 'NHWC' && fallback) return fallback(args) as tf.TensorInfo;
    requireNHWC(a.dataFormat, 'Conv2DBackpropFilter');
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad,
      a.dimRoundingMode, false, 'channelsLast');
    const [kh, kw] = a.filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const fullH = info.inHeight + top + bottom - (info.outHeight - 1) * info.strideHeight;
    const fullW = info.inWidth + left + right - (info.outWidth - 1) * info.strideWidth;
    if (x.dtype !== 'float32') return conv2dBackpropFilterLoop(backend, x, dy, info);
    // Few input channels (the first layer on grey or RGB images): the transposed conv2d below has
    // a "batch" of ci images and runs poorly; our SIMD kernel is ~2x faster there and on par from
    // ci = 8 on (bench/cnn-step.ts, 2026-12-01), so it takes the first layers only.
    const simd = route(info) ? cnnKernels() : null;
    if (simd !== null) return conv2dBackpropFilterSimd(simd, backend, x, dy, info);
    if (fullH < kh || fullW < kw) return conv2dBackpropFilterLoop(backend, x, dy, info);
    const call = (name: string, ins: tf.NamedTensorInfoMap, at: tf.NamedAttrMap) =>
      callKernel(name, backendName, backend, ins, at);
    const xT = call('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyT = call('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const corr = call('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    });
    release(backend, xT, dyT);
    const dW = call('Transpose', { x: corr }, { perm: [1, 2, 0, 3] });
    release(backend, corr);
    if (fullH === kh && fullW === kw) return dW;
    const cut = call('Slice', { x: dW }, { begin: [0, 0, 0, 0], size: a.filterShape });
    release(backend, dW);
    return cut;
  });
}

/**
 * The direct filter gradient on our WebAssembly SIMD kernel (assembly/cnn-kernels.ts), for any
 * stride and padding with a multiple of 4 output channels: the same sum as the loop below, in one
 * pass over the output positions. Faster than the transposed conv2d on XNNPACK for the small
 * MNIST-sized convolutions (bench/cnn-step.ts), and it needs no transposes.
 */
function conv2dBackpropFilterSimd(
  simd: CnnKernels,
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow,
    outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const out = allocFloat32(backend, [kh, kw, ci, co]);
  simd.run([float32Data(backend, x), float32Data(backend, dy)], out.data, ([px, pg, pw]) =>
    simd.exports.conv2dFilterGrad(px, pg, pw, batchSize, H, W, ci, oh, ow, co, kh, kw, sh, sw, info.padInfo.top, info.padInfo.left));
  return out.info;
}

/** Direct-loop filter gradient for any padding/stride (slow path; also a readable reference). */
function conv2dBackpropFilterLoop(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow,
    outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const out = allocFloat32(backend, [kh, kw, ci, co]);
  const dW = out.data;
  const xs = float32Data(backend, x);
  const g = float32Data(backend, dy);
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const gBase = ((b * oh + i) * ow + j) * co;
        for (let r = 0; r < kh; r++) {
          const xr = i * sh - top + r;
          if (xr < 0 || xr >= H) continue;
          for (let c = 0; c < kw; c++) {
            const xc = j * sw - left + c;
            if (xc < 0 || xc >= W) continue;
            const xBase = ((b * H + xr) * W + xc) * ci;
            const wBase = (r * kw + c) * ci * co;
            for (let p = 0; p < ci; p++) {
              const xv = xs[xBase + p];
              if (xv === 0) continue;
              const w0 = wBase + p * co;
              for (let q = 0; q < co; q++) dW[w0 + q] += xv * g[gBase + q];
            }
          }
        }
      }
    }
  }
  return out.info;
}

/**
 * Conv2DBackpropInput as one conv2d: dx = conv2d(dy, rot180(W) with in/out swapped) with padding
 * (KH-1-top, KH-1-bottom', ...) chosen so the output is H x W; for strides > 1, dy is first spread
 * onto the stride's grid (spreadOnStrideGrid). `fallback` (the backend's shipped kernel) handles
 * NCHW, strided convolutions with few input channels, and paddings that would need negative pads.
 */
export function makeConv2DBackpropInput(backendName: string, fallback: tf.KernelFunc): tf.KernelFunc {
  return defineKernel((args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const dy = input(inputs, 'dy');
    const filter = input(inputs, 'filter');
    const a = attrs as unknown as InputGradAttrs;
    if (a.dataFormat !== 'NHWC') return fallback(args) as tf.TensorInfo;
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad,
      a.dimRoundingMode, false, 'channelsLast');
    const { filterHeight: kh, filterWidth: kw, inHeight: H, inWidth: W, outHeight: oh,
      outWidth: ow, inChannels: ci, outChannels: co } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const strided = sh !== 1 || sw !== 1;
    // A strided forward: dy spread onto the stride's grid (zeros between), then as stride 1.
    const dh = (oh - 1) * sh + 1;
    const dw = (ow - 1) * sw + 1;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = H - dh + kh - 1 - top;
    const right = W - dw + kw - 1 - left;
    if (filter.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args) as tf.TensorInfo;
    // Few input channels (the first layer on images): the conv2d below would have ci ≤ 4 output
    // channels, which XNNPACK runs poorly (13 ms for MNIST's 28×28×1 at batch 64); our SIMD kernel
    // does it in a fraction (bench/cnn-step.ts). It knows stride 1 only.
    const simd = ci <= SIMD_MAX_CI && !strided ? cnnKernels() : null;
    if (simd !== null && co % 4 === 0) return conv2dBackpropInputSimd(simd, backend, dy, filter, info);
    if (top < 0 || left < 0 || bottom < 0 || right < 0 || (strided && ci <= SIMD_MAX_CI)) return fallback(args) as tf.TensorInfo;
    // rot[r,c,q,p] = W[kh-1-r, kw-1-c, p, q]: tiny (KH*KW*ci*co), so a JS loop is cheapest.
    const rotated = allocFloat32(backend, [kh, kw, co, ci]);
    const rot = rotated.data;
    const w = float32Data(backend, filter);
    for (let r = 0; r < kh; r++) {
      for (let c = 0; c < kw; c++) {
        const src = ((kh - 1 - r) * kw + (kw - 1 - c)) * ci * co;
        const dst = (r * kw + c) * co * ci;
        for (let p = 0; p < ci; p++) {
          for (let q = 0; q < co; q++) rot[dst + q * ci + p] = w[src + p * co + q];
        }
      }
    }
    const spread = strided ? spreadOnStrideGrid(backend, dy, info, dh, dw) : null;
    const dx = callKernel('Conv2D', backendName, backend, { x: spread?.info ?? dy, filter: rotated.info }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    });
    release(backend, rotated.info);
    if (spread) release(backend, spread.info);
    return dx;
  });
}

/**
 * dy of a strided convolution placed on the stride's grid, [B, (oh−1)·sh+1, (ow−1)·sw+1, co] with
 * zeros between: the input gradient of a stride-s convolution is the stride-1 "full" convolution
 * of that with the rotated filter. For ResNets' 3x3/2 and 1x1/2 convolutions this conv2d on
 * XNNPACK is several times faster than the wasm backend's scalar Conv2DBackpropInput
 * (bench/resnet.ts), although three quarters of what it multiplies are those zeros.
 */
function spreadOnStrideGrid(backend: tf.KernelBackend, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, dh: number, dw: number): ReturnType<typeof allocFloat32> {
  const { batchSize, outHeight: oh, outWidth: ow, outChannels: co, strideHeight: sh, strideWidth: sw } = info;
  const out = allocFloat32(backend, [batchSize, dh, dw, co]);
  const g = float32Data(backend, dy);
  const d = out.data;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const src = ((b * oh + i) * ow + j) * co;
        d.set(g.subarray(src, src + co), ((b * dh + i * sh) * dw + j * sw) * co);
      }
    }
  }
  return out;
}

/** Stride-1 input gradient on our WebAssembly SIMD kernel (assembly/cnn-kernels.ts conv2dInputGrad). */
function conv2dBackpropInputSimd(
  simd: CnnKernels,
  backend: tf.KernelBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow,
    outChannels: co, filterHeight: kh, filterWidth: kw } = info;
  const out = allocFloat32(backend, [batchSize, H, W, ci]);
  simd.run([float32Data(backend, dy), float32Data(backend, filter)], out.data, ([pg, pw, px]) =>
    simd.exports.conv2dInputGrad(pg, pw, px, batchSize, H, W, ci, oh, ow, co, kh, kw, info.padInfo.top, info.padInfo.left));
  return out.info;
}
