// Choosing and starting the TensorFlow.js backend. Node cannot use tfjs-node here (its install
// downloads libtensorflow), so the choice is between the pure-JS 'cpu' backend and 'wasm'
// (XNNPACK, SIMD, single-threaded under Node).
//
// As shipped, wasm cannot train a CNN (no Conv2DBackpropFilter kernel) and both backends are
// slow in the CNN backward pass, so setupBackend registers replacement kernels (conv-grad.ts,
// pool-grad.ts) for the backend it starts. Measured on the 2-core dev machine
// (bench/cnn-step.ts, batch 64, Adam), the wasm backend with these kernels is the fastest for
// CNN training, hence CNN_BACKEND.

import * as tf from '@tensorflow/tfjs';
import { makeConv2DBackpropFilter, makeConv2DBackpropInput } from './conv-grad.js';
import { maxPoolGradKernel } from './pool-grad.js';
import { makeWasmSlice } from './slice.js';

export type BackendName = 'wasm' | 'cpu';

/** The backend to use for CNN training (fastest training step by measurement). */
export const CNN_BACKEND: BackendName = 'wasm';

/** Kernels this module can replace. */
export type FastKernelName = 'Conv2DBackpropFilter' | 'Conv2DBackpropInput' | 'MaxPoolGrad' | 'Slice';

/**
 * Which replacements pay off on each backend (by measurement, bench/cnn-step.ts). On cpu the
 * input gradient is left alone: the conv2d it would become is no faster there than the
 * shipped Conv2DBackpropInput (cpu's Conv2D is itself im2col + matmul in JS). Slice is replaced
 * on wasm only, where the shipped kernel copies its whole input (slice.ts); cpu's reads in place.
 */
export const DEFAULT_FAST_KERNELS: Record<BackendName, readonly FastKernelName[]> = {
  wasm: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Slice'],
  cpu: ['Conv2DBackpropFilter', 'MaxPoolGrad'],
};

export interface SetupOptions {
  /** Replacement kernels to register: true (default) = DEFAULT_FAST_KERNELS, false = none. */
  fastKernels?: boolean | readonly FastKernelName[];
}

/** Start a backend once per process; later calls with the same name are free. */
export async function setupBackend(
  name: BackendName = 'cpu',
  opts: SetupOptions = {},
): Promise<BackendName> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  // Production mode silences tfjs's "install tfjs-node" banner on every run (tfjs-node does not
  // install here); it only turns off tfjs's own debug warnings.
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TensorFlow.js backend "${name}" failed to start`);
  }
  await tf.ready();
  const fast = opts.fastKernels ?? true;
  const wanted = fast === true ? DEFAULT_FAST_KERNELS[name] : fast === false ? [] : fast;
  removeFastKernels(name, ALL.filter((k) => !wanted.includes(k)));
  installFastKernels(name, wanted);
  return name;
}

const ALL: readonly FastKernelName[] = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Slice'];

/** The kernels a backend shipped with, kept so removeFastKernels can put them back. */
const shipped = new Map<string, tf.KernelConfig | null>();
const installed = new Set<string>();
const key = (backend: string, kernel: string) => `${backend}/${kernel}`;

function replaceKernel(backendName: string, kernelName: string, config: tf.KernelConfig | null): void {
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  if (config) tf.registerKernel(config);
}

/**
 * Register replacement kernels for `name` (idempotent). The backend must have been started
 * (setupBackend does that): shipped kernels used as fallbacks need their setup to have run.
 */
export function installFastKernels(name: BackendName, which: readonly FastKernelName[] = ALL): void {
  if (!tf.findBackend(name)) throw new Error(`start backend "${name}" (setupBackend) before installing kernels`);
  for (const kernelName of which) {
    const k = key(name, kernelName);
    if (installed.has(k)) continue;
    const original = tf.getKernel(kernelName, name) ?? null;
    shipped.set(k, original);
    let kernelFunc: tf.KernelFunc;
    switch (kernelName) {
      case 'Conv2DBackpropFilter':
        kernelFunc = makeConv2DBackpropFilter(name, original?.kernelFunc);
        break;
      case 'Conv2DBackpropInput':
        if (!original) throw new Error(`backend "${name}" has no Conv2DBackpropInput to fall back on`);
        kernelFunc = makeConv2DBackpropInput(name, original.kernelFunc);
        break;
      case 'MaxPoolGrad':
        kernelFunc = maxPoolGradKernel;
        break;
      case 'Slice':
        if (name !== 'wasm') throw new Error(`the Slice replacement is for the wasm backend, not "${name}"`);
        kernelFunc = makeWasmSlice(original?.kernelFunc);
        break;
    }
    replaceKernel(name, kernelName, { kernelName, backendName: name, kernelFunc });
    installed.add(k);
  }
}

/** Put back the shipped kernels (or none, where the backend had none). */
export function removeFastKernels(name: BackendName, which: readonly FastKernelName[] = ALL): void {
  for (const kernelName of which) {
    const k = key(name, kernelName);
    if (!installed.has(k)) continue;
    replaceKernel(name, kernelName, shipped.get(k) ?? null);
    installed.delete(k);
  }
}

/** Replacement kernels currently registered for `name`. */
export function installedFastKernels(name: BackendName): FastKernelName[] {
  return ALL.filter((k) => installed.has(key(name, k)));
}
