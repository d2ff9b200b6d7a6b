// Small helpers for writing TensorFlow.js kernels that run on the 'cpu' or 'wasm' backend.
//
// Kernels here are plain functions of (inputs, attrs, backend) that return a TensorInfo; they
// either loop over the tensors' float32 data directly (the data lives in a JS typed array on
// 'cpu' and in the wasm heap on 'wasm') or compose the backend's own kernels (Transpose,
// Conv2D, ...) without going through the engine, so nothing is recorded on the gradient tape and
// intermediates are freed by hand.

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The arguments TensorFlow.js passes to a kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/** A kernel function typed with the backend it really receives (tf.KernelFunc says `{}`). */
export function defineKernel(fn: (args: KernelArgs) => tf.TensorInfo): tf.KernelFunc {
  return fn as unknown as tf.KernelFunc;
}

/** A named input of a kernel, which must be present. */
export function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`kernel input "${name}" is missing`);
  return t;
}

function isWasm(backend: tf.KernelBackend): backend is BackendWasm {
  return 'wasm' in backend && 'dataIdMap' in backend;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A float32 view of a tensor's data without copying. On wasm this is a view into the heap, which
 * is detached when the heap grows: allocate every output (allocFloat32) before taking views of
 * the inputs, and do not allocate while holding a view.
 */
export function float32Data(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  if (isWasm(backend)) {
    const { memoryOffset } = backend.dataIdMap.get(info.dataId) as { memoryOffset: number };
    // The Emscripten module's typings omit its heap views.
    const heap = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
    return new Float32Array(heap.buffer, memoryOffset, sizeOf(info.shape));
  }
  // The cpu backend's readSync hands back its own array (no copy) for real-valued tensors.
  return backend.readSync(info.dataId) as Float32Array;
}

/**
 * A new zero-filled float32 tensor owned by the backend. On wasm the returned `data` is a heap
 * view: fill it before allocating anything else.
 */
export function allocFloat32(
  backend: tf.KernelBackend,
  shape: number[],
): { info: tf.TensorInfo; data: Float32Array } {
  if (isWasm(backend)) {
    const info = backend.makeOutput(shape, 'float32');
    const data = backend.typedArrayFromHeap(info) as Float32Array;
    data.fill(0); // the wasm allocator hands back memory as it was left
    return { info, data };
  }
  const data = new Float32Array(sizeOf(shape));
  const info = (backend as unknown as CpuLike).makeTensorInfo(shape, 'float32', data);
  return { info, data };
}

interface CpuLike {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Run a registered kernel of `backendName` directly (not through the engine, so untaped). */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`no ${kernelName} kernel registered for backend ${backendName}`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`${kernelName} returned several outputs, expected one`);
  return out;
}

/** Free intermediates made by callKernel. */
export function release(backend: tf.KernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
