// Chunked passes (statevector/chunked.ts): states that live in JavaScript arrays with their
// SIMD-able gates run chunk by chunk in a small kernel memory. Forced at small sizes (8-12
// qubits, chunks of 3-7 qubits) so that every case crosses many chunks and picked bits, and
// compared with the single-memory engine: states, probabilities and expectation values bit for
// bit (Object.is), gradients to rounding (chunk sums are added in another order) and against
// the JavaScript kernels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs, state } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { ryCnotChainBlocks, stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';
import { compile, Kind, type Primitive } from '../../src/engine/program.js';
import { chunkGeometry, planSegments, remap } from '../../src/engine/statevector/chunk-plan.js';
import { setChunking, type ChunkSettings } from '../../src/engine/statevector/chunk-settings.js';
import { setWasmKernels } from '../../src/engine/wasm/backend.js';
import { arbCircuit, type RandomCircuit } from './random-circuits.js';

type Meas = ReturnType<typeof expval> | ReturnType<typeof probs> | ReturnType<typeof state>;
type Mode = 'one' | 'js' | Partial<ChunkSettings>;

function run(rc: RandomCircuit, meas: Meas, mode: Mode) {
  setWasmKernels(mode !== 'js');
  setChunking(typeof mode === 'object' ? { ...mode, force: true } : undefined);
  try {
    const q = new QNode(rc.circuit, meas);
    const out = q.forward(rc.inputs, rc.weights, rc.batch).slice();
    const sim = (q as unknown as { sim: { states: { kernels: unknown; chunks: unknown } } }).sim;
    if (typeof mode === 'object') assert.ok(sim.states.kernels === null && sim.states.chunks !== null, 'the chunked path ran');
    const none = { weights: new Float64Array(0), inputs: new Float64Array(0) };
    const g = meas.type === 'state' ? none : q.vjp(Float64Array.from(out, (_, i) => Math.sin(1.3 * i + 0.2)));
    return { out, g };
  } finally {
    setWasmKernels(true);
    setChunking(undefined);
  }
}

function bitForBit(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

function close(a: Float64Array, b: Float64Array, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= tol * (1 + Math.abs(b[i])))) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]} (differ by ${d})`);
  }
}

const arbSettings = fc.record({
  chunkBits: fc.integer({ min: 3, max: 7 }),
  highBits: fc.integer({ min: 1, max: 5 }), // 3 at least are used (chunked.ts pickedBits)
});

function compare(rc: RandomCircuit, meas: Meas, s: Partial<ChunkSettings>): void {
  const one = run(rc, meas, 'one');
  const ch = run(rc, meas, s);
  bitForBit(ch.out, one.out, 'output');
  close(ch.g.weights, one.g.weights, 1e-12, 'weight gradient');
  close(ch.g.inputs, one.g.inputs, 1e-12, 'input gradient');
  const js = run(rc, meas, 'js');
  close(ch.g.weights, js.g.weights, 1e-11, 'weight gradient vs JavaScript kernels');
}

test('chunked passes give the single-memory state bit for bit on random circuits (8-10 qubits, many chunks)', () => {
  fc.assert(fc.property(arbCircuit(10, 40, 3, false, 8), arbSettings, (rc, s) => {
    bitForBit(run(rc, state(), s).out, run(rc, state(), 'one').out, 'state');
  }), { numRuns: 40, seed: 21 });
});

test('chunked passes: probabilities and expectation values bit for bit, gradients to rounding, on random circuits', () => {
  const obs = expval([parseObservable('Z0 Z1'), parseObservable('X2'), parseObservable('Y3 Z7')]);
  fc.assert(fc.property(arbCircuit(9, 40, 3, false, 8), arbSettings, (rc, s) => compare(rc, obs, s)), { numRuns: 30, seed: 22 });
  fc.assert(fc.property(arbCircuit(8, 30, 3, true, 8), arbSettings, (rc, s) => compare(rc, probs(), s)), { numRuns: 20, seed: 23 });
});

test('a 12-qubit layered circuit with per-sample inputs (batch 3) across chunks of 6 qubits, 3 of them picked', () => {
  const c = new Circuit(12);
  c.declareInputs(12);
  for (let q = 0; q < 12; q++) c.ry(q, x(q));
  stronglyEntanglingLayers(c, { layers: 2 });
  ryCnotChainBlocks(c, { layers: 1 });
  c.crz(0, 11, w(0));
  c.toffoli(0, 11, 5);
  const B = 3;
  const rc: RandomCircuit = {
    circuit: c,
    weights: Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(0.7 * i)),
    inputs: Float64Array.from({ length: B * 12 }, (_, i) => Math.sin(0.3 * i)),
    batch: B,
  };
  compare(rc, expval([parseObservable('Z0'), parseObservable('X5 X11')]), { chunkBits: 6, highBits: 3, minSegment: 1 });
});

test('the plan: a chunked segment holds consecutive primitives whose bits fit the picked slots; others run on JavaScript', () => {
  const c = new Circuit(8);
  c.ry(7, w(0)); // bit 0
  c.ry(0, w(1)); // bit 7
  c.ry(1, w(2)); // bit 6
  c.cnot(0, 1); // bits 7, 6
  c.ry(2, w(3)); // bit 5: a third high bit, over the 2 slots
  c.swap(3, 4); // no SIMD kernel
  c.rx(7, w(4)); // bit 0
  const prog = compile(c, { fuse: false });
  const onKernel = (k: number): boolean => prog.prims[k].kind !== Kind.SWAP;
  const g = chunkGeometry(8, 4, 2); // low bits 0, 1; two picked
  const segs = planSegments(prog.prims, g, onKernel, 1);
  assert.deepEqual(segs.map((s) => [s.start, s.end, s.chunked, Array.from(s.high)]), [
    [0, 4, true, [6, 7]],
    [4, 5, true, [2, 5]], // bit 5 and the lowest free bit above the low ones
    [5, 6, false, []],
    [6, 7, true, [2, 3]],
  ]);
  // Inside the first chunk bits 6, 7 sit at positions 2, 3: CNOT(0 → 1) targets bit 6 under control 7.
  const cnot = segs[0].local[3];
  assert.equal(cnot.bitA, 2);
  assert.equal(cnot.mask, 1 << 3);
  assert.deepEqual(Array.from(cnot.fixed), [2, 3]);
  // minSegment 2: the one-primitive segments go to JavaScript and merge.
  const merged = planSegments(prog.prims, g, onKernel, 2);
  assert.deepEqual(merged.map((s) => [s.start, s.end, s.chunked]), [[0, 4, true], [4, 7, false]]);
});

test('remap moves the target, the controls and the fixed bits together (fixed stays ascending)', () => {
  const p = { kind: Kind.XPERM, bitA: 1, bitB: -1, mask: (1 << 4) | (1 << 6), fixed: Int32Array.of(1, 4, 6) } as unknown as Primitive;
  const pos = new Map([[1, 3], [4, 0], [6, 2]]);
  const r = remap(p, (b) => pos.get(b)!);
  assert.equal(r.bitA, 3);
  assert.equal(r.mask, (1 << 0) | (1 << 2));
  assert.deepEqual(Array.from(r.fixed), [0, 2, 3]);
});

test('kernelReport of a chunked state: the same primitives on the SIMD kernels as on one memory', () => {
  const c = new Circuit(9);
  stronglyEntanglingLayers(c, { layers: 2 });
  c.swap(0, 8);
  c.multiRZ([0, 3, 8], w(0));
  const meas = expval([parseObservable('Z0')]);
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.sin(i));
  const one = new QNode(c, meas);
  one.forward([], weights, 2);
  setChunking({ force: true, chunkBits: 5 });
  try {
    const ch = new QNode(c, meas);
    ch.forward([], weights, 2);
    assert.equal(ch.usesWasmKernels, false); // the state itself is in JavaScript arrays
    const report = ch.kernelReport();
    assert.deepEqual(report, one.kernelReport());
    assert.ok(report.wasm && report.onWasm > 0 && report.onWasm < report.primitives, 'report.wasm && report.onWasm > 0 && report.onWasm < report.primitives');
  } finally {
    setChunking(undefined);
  }
});
