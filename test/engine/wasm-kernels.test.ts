// The WebAssembly SIMD kernels (assembly/engine-kernels.ts) against the JavaScript kernels they
// mirror: the same states, outputs and gradients on random circuits over every gate (SIMD and
// scalar paths: even and odd batch sizes, target bits 0 and above), through memory growth and batch
// changes; and the committed binary is the one the AssemblyScript source compiles to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs, state } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { ryCnotChainBlocks, u3CU3RingBlocks } from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';
import { setWasmKernels, setWasmPerSampleKernels, wasmKernelsActive } from '../../src/engine/wasm/backend.js';
import { WASM_MODULES, binaryModuleText, compileKernels } from '../../scripts/build-wasm.js';
import { readFileSync } from 'node:fs';
import { arbCircuit, type RandomCircuit } from './random-circuits.js';

/** Each module compiled once for the tests below (asc takes a few seconds). */
const compiled = new Map<string, Buffer>();
function compiledOnce(spec: (typeof WASM_MODULES)[number]): Buffer {
  if (!compiled.has(spec.source)) compiled.set(spec.source, compileKernels(spec));
  return compiled.get(spec.source)!;
}

type Meas = ReturnType<typeof expval> | ReturnType<typeof probs> | ReturnType<typeof state>;

function maxDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Forward and VJP with the WebAssembly kernels on or off (decided when the QNode is built). */
function run(rc: RandomCircuit, meas: Meas, wasm: boolean, fuse = true) {
  setWasmKernels(wasm);
  try {
    const q = new QNode(rc.circuit, meas, { fuse });
    const out = q.forward(rc.inputs, rc.weights, rc.batch).slice();
    assert.equal(q.usesWasmKernels, wasm);
    // The raw state has no gradient (QNode refuses it): compare the state itself.
    const none = { weights: new Float64Array(0), inputs: new Float64Array(0) };
    const g = meas.type === 'state' ? none : q.vjp(Float64Array.from(out, (_, i) => Math.sin(1.3 * i + 0.2)));
    return { out, g };
  } finally {
    setWasmKernels(true);
  }
}

function same(rc: RandomCircuit, meas: Meas, fuse = true): void {
  const a = run(rc, meas, true, fuse);
  const j = run(rc, meas, false, fuse);
  assert.ok(maxDiff(a.out, j.out) < 1e-12, `outputs differ by ${maxDiff(a.out, j.out)}`);
  assert.ok(maxDiff(a.g.weights, j.g.weights) < 1e-11, `weight gradients differ by ${maxDiff(a.g.weights, j.g.weights)}`);
  assert.ok(maxDiff(a.g.inputs, j.g.inputs) < 1e-11, `input gradients differ by ${maxDiff(a.g.inputs, j.g.inputs)}`);
}

test('the WebAssembly kernels are active in Node (so the comparisons below compare two paths)', () => {
  assert.equal(wasmKernelsActive(), true);
});

test('WebAssembly and JavaScript kernels agree on random circuits: state, probabilities, expectation values and their gradients', () => {
  const obs = expval(['Z0', 'X0 Z1', '0.5*Y1 + X0 Y1 - 0.25'].map((s) => parseObservable(s)));
  fc.assert(fc.property(arbCircuit(4, 16), (rc) => same(rc, state())), { numRuns: 80, seed: 5 });
  fc.assert(fc.property(arbCircuit(4, 16), (rc) => same(rc, obs)), { numRuns: 80, seed: 6 });
  fc.assert(fc.property(arbCircuit(5, 16), (rc) => same(rc, probs())), { numRuns: 60, seed: 7 });
  // 7+ wires: fused single-wire runs (the shared-matrix kernels), with and without fusion.
  fc.assert(fc.property(arbCircuit(8, 24, 3, false, 7), (rc) => same(rc, obs, true)), { numRuns: 40, seed: 8 });
  fc.assert(fc.property(arbCircuit(8, 24, 3, false, 7), (rc) => same(rc, obs, false)), { numRuns: 40, seed: 9 });
  fc.assert(fc.property(arbCircuit(3, 8, 2, true), (rc) => same(rc, probs())), { numRuns: 40, seed: 10 });
});

test('the Quantum-Train ansatzes (13 qubits, probabilities) agree between the two kernel sets', () => {
  for (const build of [ryCnotChainBlocks, u3CU3RingBlocks]) {
    const c = new Circuit(13);
    build(c, { layers: 2 });
    const rc: RandomCircuit = { circuit: c, batch: 1, inputs: new Float64Array(0), weights: Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(3 * i)) };
    same(rc, probs());
  }
});

test('one simulator through batch changes and co-state growth gives the JavaScript results every time', () => {
  const c = new Circuit(6);
  for (let q = 0; q < 6; q++) c.ry(q, w(q));
  for (let q = 0; q < 5; q++) c.cnot(q, q + 1);
  c.crz(0, 5, w(6));
  c.toffoli(1, 2, 0);
  const weights = Float64Array.from({ length: 7 }, (_, i) => 0.3 * i - 1);
  const meas = expval([parseObservable('Z0 Z5'), parseObservable('X2')]);
  setWasmKernels(false);
  const js = new QNode(c, meas);
  setWasmKernels(true);
  const wa = new QNode(c, meas);
  for (const B of [1, 4, 3, 4, 1, 2]) {
    const cot = Float64Array.from({ length: 2 * B }, (_, i) => Math.cos(i));
    const a = wa.forward([], weights, B);
    const b = js.forward([], weights, B);
    assert.ok(maxDiff(a, b) < 1e-12, `batch ${B}: outputs`);
    assert.ok(maxDiff(wa.vjp(cot).weights, js.vjp(cot).weights) < 1e-11, `batch ${B}: gradients`);
    // A forward after a gradient run (the co-state stays allocated) is unchanged too.
    assert.ok(maxDiff(wa.forward([], weights, B), b) < 1e-12, `batch ${B}: forward after vjp`);
  }
});

test('every committed WebAssembly binary is what its AssemblyScript source compiles to (npm run build:wasm)', () => {
  for (const spec of WASM_MODULES) {
    const committed = readFileSync(new URL(`../../${spec.target}`, import.meta.url), 'utf8');
    assert.equal(committed, binaryModuleText(spec, compiledOnce(spec)), `run npm run build:wasm and commit ${spec.target}`);
  }
});

test('the WebAssembly modules carry no data segments (their callers own the whole memory from byte 0)', () => {
  for (const spec of WASM_MODULES) {
    const bytes = compiledOnce(spec);
    const sections: number[] = [];
    for (let at = 8; at < bytes.length;) {
      const id = bytes[at++];
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[at++];
        size |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      sections.push(id);
      at += size;
    }
    assert.ok(sections.includes(10), `${spec.source}: no code section found, the parse is wrong`);
    assert.ok(!sections.includes(11), `${spec.source} has a data section: move the memory layout past it (backend.ts / cnn-kernels.ts)`);
  }
});

test('when no WebAssembly memory can be had (V8 refuses past ~13,000 live ones), a QNode falls back to JavaScript arrays', () => {
  const c = new Circuit(5);
  for (let q = 0; q < 5; q++) c.ry(q, w(q));
  for (let q = 0; q < 4; q++) c.cnot(q, q + 1);
  const weights = Float64Array.from({ length: 5 }, (_, i) => 0.4 * i - 0.7);
  const meas = expval([parseObservable('Z0 Z4'), parseObservable('X2')]);
  const cot = Float64Array.from({ length: 4 }, (_, i) => Math.cos(i));
  const reference = new QNode(c, meas);
  const want = reference.forward([], weights, 2).slice();
  const wantGrad = reference.vjp(cot).weights;
  const Memory = WebAssembly.Memory;
  (WebAssembly as { Memory: unknown }).Memory = function refuse(): never {
    throw new RangeError('WebAssembly.Memory(): could not allocate memory');
  };
  try {
    const q = new QNode(c, meas);
    const got = q.forward([], weights, 2);
    assert.equal(q.usesWasmKernels, false);
    assert.ok(maxDiff(got, want) < 1e-12, 'maxDiff(got, want) < 1e-12');
    assert.ok(maxDiff(q.vjp(cot).weights, wantGrad) < 1e-11, 'maxDiff(q.vjp(cot).weights, wantGrad) < 1e-11');
  } finally {
    (WebAssembly as { Memory: unknown }).Memory = Memory;
  }
});

/** Circuits whose every angle is a per-sample input: the per-sample kernels alone, plus X-type permutations. */
const arbPerSampleCircuit = fc.record({
  n: fc.integer({ min: 2, max: 6 }),
  batch: fc.constantFrom(2, 3, 8, 33),
  ops: fc.array(fc.record({
    gate: fc.constantFrom('RX', 'RY', 'RZ', 'PhaseShift', 'Rot', 'CRX', 'CRY', 'CRZ', 'ControlledPhaseShift', 'CNOT', 'Toffoli'),
    wires: fc.array(fc.nat(100), { minLength: 3, maxLength: 3 }),
    inputs: fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }),
    scale: fc.double({ min: -3, max: 3, noNaN: true }),
  }), { minLength: 1, maxLength: 24 }),
}).map(({ n, batch, ops }) => {
  const c = new Circuit(n);
  c.declareInputs(4);
  for (const op of ops) {
    // Distinct wires from the seeds (Toffoli needs three: skip it on two wires).
    const free = Array.from({ length: n }, (_, i) => i);
    const wires = op.wires.map((s) => free.splice(s % free.length, 1)[0] ?? -1);
    const p = (i: number) => x(op.inputs[i], { scale: op.scale * (i + 1) });
    switch (op.gate) {
      case 'RX': c.rx(wires[0], p(0)); break;
      case 'RY': c.ry(wires[0], p(0)); break;
      case 'RZ': c.rz(wires[0], p(0)); break;
      case 'PhaseShift': c.phase(wires[0], p(0)); break;
      case 'Rot': c.rot(wires[0], p(0), p(1), p(2)); break;
      case 'CRX': c.crx(wires[0], wires[1], p(0)); break;
      case 'CRY': c.cry(wires[0], wires[1], p(0)); break;
      case 'CRZ': c.crz(wires[0], wires[1], p(0)); break;
      case 'ControlledPhaseShift': c.cphase(wires[0], wires[1], p(0)); break;
      case 'CNOT': c.cnot(wires[0], wires[1]); break;
      case 'Toffoli': if (n >= 3) c.toffoli(wires[0], wires[1], wires[2]); break;
    }
  }
  const inputs = Float64Array.from({ length: batch * 4 }, (_, i) => Math.sin(0.7 * i + 0.3));
  return { circuit: c, batch, inputs, weights: new Float64Array(0) } satisfies RandomCircuit;
});

/** Every element the same float64 (Object.is: the same bits, up to NaN payloads). */
function assertSameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: WebAssembly ${a[i]}, JavaScript ${b[i]}`);
}

test('per-sample angles (inputs) on the WebAssembly kernels give the JavaScript kernels\' results bit for bit, forward and adjoint', () => {
  const obs = expval(['Z0', 'X0 Z1', 'Y1'].map((s) => parseObservable(s)));
  for (const [meas, fuse, seed] of [[obs, true, 21], [obs, false, 22], [state(), true, 23], [probs(), true, 24]] as const) {
    fc.assert(fc.property(arbPerSampleCircuit, (rc) => {
      const a = run(rc, meas, true, fuse);
      const j = run(rc, meas, false, fuse);
      assertSameBits(a.out, j.out, 'outputs');
      assertSameBits(a.g.inputs, j.g.inputs, 'input gradients');
    }), { numRuns: 40, seed });
  }
});

test('kernelReport says which primitives run on WebAssembly: per-sample rotations do, two-wire matrices and parities do not', () => {
  const c = new Circuit(3);
  c.declareInputs(3);
  for (let q = 0; q < 3; q++) c.rx(q, x(q)); // per-sample rotations
  c.cnot(0, 1); // X-type permutation
  c.isingZZ(1, 2, w(0)); // a parity phase
  c.swap(0, 2); // SWAP
  const q = new QNode(c, expval([parseObservable('Z0')]), { fuse: false });
  q.forward(Float64Array.from({ length: 6 }, (_, i) => 0.1 * i), new Float64Array([0.4]), 2);
  const report = q.kernelReport();
  assert.equal(report.wasm, true);
  assert.equal(report.primitives, q.program.prims.length);
  assert.equal(report.onWasm, 4, JSON.stringify(report)); // 3 RX + CNOT
  assert.deepEqual(report.javascript, { PARITY: 1, SWAP: 1 });
  // With the per-sample kernels turned off (what benchmarks compare), the input rotations move to JavaScript.
  setWasmPerSampleKernels(false);
  try {
    assert.deepEqual(q.kernelReport().javascript, { ROT: 3, PARITY: 1, SWAP: 1 });
  } finally {
    setWasmPerSampleKernels(true);
  }
  setWasmKernels(false);
  try {
    const js = new QNode(c, expval([parseObservable('Z0')]), { fuse: false });
    js.forward(Float64Array.from({ length: 6 }, (_, i) => 0.1 * i), new Float64Array([0.4]), 2);
    assert.deepEqual(js.kernelReport(), { wasm: false, primitives: report.primitives, onWasm: 0, javascript: { ROT: 3, XPERM: 1, PARITY: 1, SWAP: 1 } });
  } finally {
    setWasmKernels(true);
  }
});
