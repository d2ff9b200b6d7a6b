// The kernel memory may now be 4 GiB (65,536 pages; wasm/backend.ts MAX_BYTES): arrays then sit
// at byte addresses of 2^31 and above, which JavaScript hands to the kernels' i32 parameters as
// negative numbers and the kernels read as unsigned (usize). Checked without a 4 GiB state: a
// small state placed high in a grown memory (untouched pages cost no RAM) must give exactly what
// the same kernels give it low in the memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_KERNELS_WASM_BASE64 } from '../../src/engine/wasm/kernels-binary.js';
import { compileBase64Module } from '../../src/engine/wasm/load.js';
import { MAX_BYTES, type WasmKernels } from '../../src/engine/wasm/backend.js';

const PAGE = 65536;

function kernelsOn(memory: WebAssembly.Memory): WasmKernels {
  const module = compileBase64Module(ENGINE_KERNELS_WASM_BASE64);
  assert.ok(module !== null, 'WebAssembly SIMD is available in Node');
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
}

/** A few kernels over a state of `dim` amplitudes at byte `at` (re, im, λre, λim back to back); returns the arrays and an overlap. */
function runAt(memory: WebAssembly.Memory, k: WasmKernels, at: number, dim: number): { arrays: Float64Array; overlap: number } {
  const n = 4 * dim;
  const a = new Float64Array(memory.buffer, at, n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(0.37 * i + 1);
  const re = at, im = at + 8 * dim, lre = at + 16 * dim, lim = at + 24 * dim;
  k.rotShared(re, im, 1, dim, 1, 4, 0, 1, 4, 0, 0, Math.cos(0.4), Math.sin(0.4));
  k.rotShared(re, im, 1, dim, 0, 0, 1 << 5, 2, 0, 5, 0, Math.cos(1.1), Math.sin(1.1));
  k.xpermPair(re, im, lre, lim, 1, dim, 2, (1 << 3) | (1 << 6), 3, 2, 3, 6);
  k.mat1Shared(re, im, 1, dim, 6, 0, 1, 6, 0, 0, 0.6, 0, 0, 0.8, 0, -0.8, 0.6, 0);
  const overlap = k.adjRotShared(re, im, lre, lim, 1, dim, 2, 3, 0, 1, 3, 0, 0, Math.cos(0.9), Math.sin(0.9));
  return { arrays: a.slice(), overlap };
}

test('the kernels give the same results at byte addresses above 2^31 and just under 4 GiB as at the bottom of the memory', () => {
  assert.equal(MAX_BYTES, 2 ** 32);
  const memory = new WebAssembly.Memory({ initial: 2 });
  memory.grow(MAX_BYTES / PAGE - 2); // all 65,536 pages: Node 20 (V8 11.3) grants them
  assert.equal(memory.buffer.byteLength, 2 ** 32);
  const k = kernelsOn(memory);
  const dim = 2 ** 7;
  const low = runAt(memory, k, PAGE, dim);
  for (const at of [2 ** 31, 2 ** 31 + 8 * 12345, 2 ** 32 - 32 * dim - 64]) {
    const high = runAt(memory, k, at, dim);
    assert.ok(Object.is(high.overlap, low.overlap), `overlap at ${at}`);
    for (let i = 0; i < low.arrays.length; i++) assert.ok(Object.is(high.arrays[i], low.arrays[i]), `element ${i} at byte ${at}`);
  }
  // The test would be vacuous if the kernels did nothing: they changed the state.
  assert.notEqual(low.arrays[3], Math.sin(0.37 * 3 + 1));
});
