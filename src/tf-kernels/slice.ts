// Slice for the wasm backend without copying the whole input.
//
// tfjs-backend-wasm 4.22's Slice starts with `backend.readSync(x.dataId)`, which copies the
// entire input out of the wasm heap (HEAPU8.slice) before taking the few rows it needs. Every
// evaluation batch is a slice of the whole data set's tensor, so evaluating MNIST's 55,000
// training images in batches of 256 copied the 172 MB tensor 215 times: in a profile of `entangle
// train` on the MNIST hybrid, 2.4 of 6.6 s after training went to that copy, and the post-training
// evaluations took longer than the training epoch (issue 14, part 4). This kernel reads the
// input through a view of the heap instead (no copy) and copies only the slice: the result is
// the same bytes.
//
// The view is taken after the output is allocated: allocating can grow the wasm memory, which
// detaches every earlier view of the heap.

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { defineKernel, input, type KernelArgs } from './kernel-util.js';

type NumericArray = Float32Array | Int32Array | Uint8Array;

/** The wasm Slice kernel; string tensors go to the shipped kernel, which handles them. */
export function makeWasmSlice(shipped: tf.KernelFunc | undefined): tf.KernelFunc {
  return defineKernel((args: KernelArgs) => {
    const x = input(args.inputs, 'x');
    if (x.dtype === 'string') {
      if (!shipped) throw new Error('the wasm backend has no Slice kernel for string tensors');
      return shipped(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const backend = args.backend as BackendWasm;
    const attrs = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    const out = backend.makeOutput(size, x.dtype);
    if (size.some((d) => d === 0)) return out;
    const xVals = backend.typedArrayFromHeap(x) as NumericArray;
    const outVals = backend.typedArrayFromHeap(out) as NumericArray;
    copySlice(xVals, x.shape, begin, size, outVals);
    return out;
  });
}

/**
 * Copy the box [begin, begin + size) of a row-major array of `shape` into `out`, one run of the
 * last dimension at a time (the whole box at once when it is contiguous in the input).
 */
export function copySlice(x: NumericArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: NumericArray): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // The box is one contiguous run when, after its first dimension of size > 1, every dimension
  // is taken whole (tfjs's isSliceContinous says the same).
  if (tf.slice_util.isSliceContinous(shape as number[], begin as number[], size as number[])) {
    const start = begin.reduce((s, b, d) => s + b * strides[d], 0);
    out.set(x.subarray(start, start + out.length));
    return;
  }
  const inner = size[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  for (let o = 0; o < out.length; o += inner) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    out.set(x.subarray(offset, offset + inner), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}
