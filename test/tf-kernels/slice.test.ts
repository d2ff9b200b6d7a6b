// The wasm Slice replacement (src/tf-kernels/slice.ts): the same values as a slice computed here
// from the nested arrays (independent of tfjs's and our kernels), for random shapes, boxes and
// dtypes; slices that force the wasm memory to grow; and the reason it exists — it does not copy
// the whole input out of the heap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { installedFastKernels, setupBackend } from '../../src/tf-kernels/backend.js';

/** The box [begin, begin + size) of a row-major array, by explicit index arithmetic. */
function referenceSlice(values: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const total = size.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    // Decompose k into an index of the box, then into a flat offset of the input.
    let rest = k;
    let offset = 0;
    let stride = 1;
    const index = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % size[d];
      rest = Math.floor(rest / size[d]);
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      offset += (begin[d] + index[d]) * stride;
      stride *= shape[d];
    }
    out.push(values[offset]);
  }
  return out;
}

const box = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.tuple(...shape.map((n) => fc.integer({ min: 0, max: n - 1 })))).chain(([s, begin]) =>
    fc.tuple(fc.constant(s), fc.constant(begin), fc.tuple(...s.map((n, d) => fc.integer({ min: 0, max: n - begin[d] })))),
  ),
);

test('wasm Slice equals the index arithmetic for random shapes, boxes (contiguous or not, empty) and dtypes', async () => {
  await setupBackend('wasm');
  assert.ok(installedFastKernels('wasm').includes('Slice'), 'installedFastKernels(\'wasm\').includes(\'Slice\')');
  fc.assert(fc.property(box, fc.constantFrom('float32', 'int32', 'bool') as fc.Arbitrary<'float32' | 'int32' | 'bool'>, ([shape, begin, size], dtype) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 ? 1 : 0 : dtype === 'int32' ? i * 7 - 11 : i * 0.5 - 3.25));
    const got = tf.tidy(() => {
      const x = tf.tensor(values, shape, dtype);
      const y = tf.slice(x, begin, size);
      assert.deepEqual(y.shape, size);
      assert.equal(y.dtype, dtype);
      return Array.from(y.dataSync());
    });
    assert.deepEqual(got, referenceSlice(values, shape, begin, size));
  }), { seed: 14, numRuns: 300 });
});

test('wasm Slice of string tensors still works (the shipped kernel handles them)', async () => {
  await setupBackend('wasm');
  const x = tf.tensor([['a', 'b', 'c'], ['d', 'e', 'f']]);
  assert.deepEqual(tf.slice(x, [0, 1], [2, 2]).arraySync(), [['b', 'c'], ['e', 'f']]);
  x.dispose();
});

test('wasm Slice stays right when allocating its output grows the wasm memory', async () => {
  await setupBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  const n = 6_000_000; // 24 MB in, almost as much out: the heap must grow for the output
  const x = tf.tidy(() => tf.range(0, n, 1, 'float32'));
  const heapBytes = (): number => (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength;
  const before = heapBytes();
  const y = tf.slice(x, [7], [n - 9]);
  const grew = heapBytes() > before;
  const v = y.dataSync();
  assert.equal(v.length, n - 9);
  for (const i of [0, 1, 12345, n - 10]) assert.equal(v[i], i + 7);
  // Not a failure if the allocator had room, but then the case was not exercised: say so.
  if (!grew) console.log('note: the wasm heap had room; the growth case was not exercised this time');
  tf.dispose([x, y]);
});

test('wasm Slice copies only the slice: slicing a row of a large tensor does not read the whole tensor back', async () => {
  await setupBackend('wasm');
  const backend = tf.backend() as BackendWasm;
  const x = tf.tidy(() => tf.range(0, 4_000_000, 1, 'float32').reshape([10_000, 400]));
  // Count the elements the backend hands back to JavaScript through readSync (the shipped
  // kernel's whole-input copy goes through it).
  const readSync = backend.readSync.bind(backend);
  let elementsRead = 0;
  backend.readSync = ((dataId: object, start?: number, end?: number) => {
    const out = readSync(dataId as never, start, end);
    elementsRead += (out as ArrayLike<number>).length;
    return out;
  }) as typeof backend.readSync;
  try {
    const row = tf.slice(x, [9_000, 0], [2, 400]);
    const values = row.dataSync();
    assert.equal(values[0], 9_000 * 400);
    assert.equal(values[799], 9_002 * 400 - 1);
    assert.equal(elementsRead, 800, 'only the slice itself is read back (by dataSync)');
    row.dispose();
  } finally {
    backend.readSync = readSync;
    x.dispose();
  }
});
