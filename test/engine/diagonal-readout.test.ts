// The diagonal read-out on the WebAssembly kernels (assembly/engine-kernels.ts zTermExpval,
// zTermCostate; statevector/measure.ts): Z-word expectation values and their co-states give the
// JavaScript loops' results bit for bit — directly on random states, and through QNode forward +
// VJP on random circuits with per-sample inputs and odd and even batches — and match closed forms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { zOnEveryWire, type Observable } from '../../src/circuit/observables.js';
import { x } from '../../src/circuit/params.js';
import { stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';
import { compileObservable, type CompiledObservable } from '../../src/engine/observables.js';
import { expvalCostate, expvals, setWasmReadout } from '../../src/engine/statevector/measure.js';
import { KernelMemory, wasmKernelsActive } from '../../src/engine/wasm/backend.js';
import { Rng } from '../../src/util/random.js';
import { arbCircuit } from './random-circuits.js';

/** Every element the same float64 (Object.is: the same bits, up to NaN payloads). */
function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: WebAssembly ${a[i]}, JavaScript ${b[i]}`);
}

/** A Z-word observable: terms of [coefficient, wires] (no wires: a multiple of the identity). */
function zObservable(terms: ReadonlyArray<readonly [number, readonly number[]]>): Observable {
  return { terms: terms.map(([coeff, wires]) => ({ coeff, factors: wires.map((wire) => ({ pauli: 'Z' as const, wire })) })) };
}

/** A random Z-word observable on n wires: up to 3 terms, each a random wire subset (possibly none) and coefficient. */
function arbZObservable(n: number): fc.Arbitrary<Observable> {
  const term = fc.tuple(fc.constantFrom(1, -1, 0.5, -2.25, 0.3, 1e-3), fc.subarray(Array.from({ length: n }, (_, i) => i)));
  return fc.array(term, { minLength: 1, maxLength: 3 }).map(zObservable);
}

test('the WebAssembly kernels are active (so the comparisons below compare two paths)', () => {
  assert.equal(wasmKernelsActive(), true);
});

test('zTermExpval / zTermCostate on random states give the JavaScript loops\' bits, and say they ran', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.nat(1 << 20),
      (n, B, K, seed) => {
        const dim = 1 << n;
        const rng = new Rng(seed);
        const km = KernelMemory.create()!;
        km.size(dim * B, true, 16 * B);
        for (let i = 0; i < dim * B; i++) {
          km.re[i] = rng.next() - 0.5;
          km.im[i] = rng.next() - 0.5;
        }
        const obs: CompiledObservable[] = Array.from({ length: K }, (_, k) => compileObservable(zObservable(
          Array.from({ length: 1 + (k % 3) }, (_, t) => [rng.next() - 0.5, t === 1 ? [...new Set([(k + t) % n, (k + 2) % n])] : [(k + t) % n]] as const),
        ), n));
        // Exact zeros in the cotangent exercise the JavaScript loop's skip of w = 0.
        const g = Float64Array.from({ length: B * K }, () => (rng.next() < 0.3 ? 0 : rng.next() - 0.5));
        const outW = new Float64Array(B * K), outJ = new Float64Array(B * K);
        assert.equal(expvals(km.re, km.im, B, dim, obs, outW, km), true);
        assert.equal(expvals(km.re, km.im, B, dim, obs, outJ, null), false);
        sameBits(outW, outJ, 'expvals');
        assert.equal(expvalCostate(km.re, km.im, B, dim, obs, g, km.lre, km.lim, km), true);
        const lreW = km.lre.slice(), limW = km.lim.slice();
        const lreJ = new Float64Array(dim * B), limJ = new Float64Array(dim * B);
        assert.equal(expvalCostate(km.re, km.im, B, dim, obs, g, lreJ, limJ, null), false);
        sameBits(lreW, lreJ, 'λ re');
        sameBits(limW, limJ, 'λ im');
      },
    ),
    { numRuns: 120, seed: 14 },
  );
});

test('non-diagonal observables and more outputs than the coefficient room stay on JavaScript', () => {
  const km = KernelMemory.create()!;
  const B = 2, n = 2, dim = 4;
  km.size(dim * B, true, 16 * B);
  km.re.fill(0.5);
  const out = new Float64Array(B * 17);
  assert.equal(expvals(km.re, km.im, B, dim, [compileObservable(parseObservable('X0 Z1'), n)], new Float64Array(B), km), false);
  const many = Array.from({ length: 17 }, () => compileObservable(zObservable([[1, [0]]]), n));
  assert.equal(expvalCostate(km.re, km.im, B, dim, many, new Float64Array(B * 17).fill(1), km.lre, km.lim, km), false);
  assert.equal(expvals(km.re, km.im, B, dim, many, out, km), true, 'expvals needs only B of room');
});

/** Forward + VJP with the WebAssembly read-out on or off. */
function forwardVjp(q: QNode, inputs: Float64Array, weights: Float64Array, B: number, g: Float64Array, wasm: boolean) {
  setWasmReadout(wasm);
  try {
    const out = q.forward(inputs, weights, B);
    return { out, ...q.vjp(g) };
  } finally {
    setWasmReadout(true);
  }
}

test('QNode forward + VJP with Z-word read-outs: the same bits with the read-out kernels as without, on random circuits', () => {
  fc.assert(
    fc.property(
      arbCircuit(5, 16).chain((rc) => fc.record({
        rc: fc.constant(rc),
        obs: fc.array(arbZObservable(rc.circuit.numWires), { minLength: 1, maxLength: 5 }),
        B: fc.constantFrom(1, 2, 3, 5, 8, 32),
        vals: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 16, maxLength: 16 }),
      })),
      ({ rc, obs, B, vals }) => {
        const q = new QNode(rc.circuit, expval(obs));
        const nIn = q.numInputs;
        const inputs = Float64Array.from({ length: B * nIn }, (_, i) => vals[i % 16] + 0.01 * i);
        const K = q.outputSize;
        const g = Float64Array.from({ length: B * K }, (_, i) => (i % 4 === 3 ? 0 : Math.sin(1.3 * i + vals[0])));
        const a = forwardVjp(q, inputs, rc.weights, B, g, true);
        const j = forwardVjp(q, inputs, rc.weights, B, g, false);
        sameBits(a.out, j.out, 'outputs');
        sameBits(a.weights, j.weights, 'weight gradients');
        sameBits(a.inputs, j.inputs, 'input gradients');
      },
    ),
    { numRuns: 150, seed: 41 },
  );
});

test('<Z_w> after RX(x_w) is cos x_w with d/dx_w = −sin x_w, on both paths (W4 read-out, batch 33)', () => {
  const n = 4, B = 33;
  const c = new Circuit(n);
  c.declareInputs(n);
  for (let q = 0; q < n; q++) c.rx(q, x(q));
  const q = new QNode(c, expval(zOnEveryWire(n)));
  const inputs = Float64Array.from({ length: B * n }, (_, i) => Math.sin(0.7 * i) * 3);
  const g = Float64Array.from({ length: B * n }, (_, i) => Math.cos(0.3 * i));
  for (const wasm of [true, false]) {
    const r = forwardVjp(q, inputs, new Float64Array(0), B, g, wasm);
    for (let i = 0; i < B * n; i++) {
      assert.ok(Math.abs(r.out[i] - Math.cos(inputs[i])) < 1e-14, `<Z> at ${i}: ${r.out[i]} vs ${Math.cos(inputs[i])}`);
      assert.ok(Math.abs(r.inputs[i] + g[i] * Math.sin(inputs[i])) < 1e-14, `d<Z>/dx at ${i}`);
    }
  }
});

test('W4 (AngleEmbedding + 2 strongly entangling layers, <Z> per wire, batch 32): read-out kernels keep every bit', () => {
  const n = 4, B = 32;
  const c = new Circuit(n);
  c.declareInputs(n);
  for (let q = 0; q < n; q++) c.rx(q, x(q));
  stronglyEntanglingLayers(c, { layers: 2 });
  const q = new QNode(c, expval(zOnEveryWire(n)));
  const inputs = Float64Array.from({ length: B * n }, (_, i) => Math.sin(i));
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  const g = Float64Array.from({ length: B * n }, (_, i) => Math.cos(0.5 * i));
  const a = forwardVjp(q, inputs, weights, B, g, true);
  const j = forwardVjp(q, inputs, weights, B, g, false);
  sameBits(a.out, j.out, 'outputs');
  sameBits(a.weights, j.weights, 'weight gradients');
  sameBits(a.inputs, j.inputs, 'input gradients');
});
