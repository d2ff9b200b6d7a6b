// Qubit limits from memory (issue 10): the bytes a state batch needs, the largest qubit count and
// batch that fit a budget, the message when a run does not fit, and the structural hard limits.
// Large circuits are only sized here, never run: every check below happens before allocation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import fc from 'fast-check';
import { Circuit, CircuitError, MAX_WIRES } from '../../src/circuit/circuit.js';
import { expval, probs, state } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w } from '../../src/circuit/params.js';
import { angleEmbedding } from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';
import { Fidelity } from '../../src/engine/fidelity.js';
import { compile } from '../../src/engine/program.js';
import { Simulator } from '../../src/engine/simulator.js';
import { EngineInputError } from '../../src/engine/errors.js';
import { EntangleError } from '../../src/util/errors.js';
import {
  DEFAULT_MEMORY_BUDGET, MAX_ARRAY_ELEMENTS, assertFits, fits, footprintBytes, formatBytes, maxBatchWithin, maxWiresWithin,
  memoryBudget, setMemoryBudget, setPlatformMemory, type Footprint,
} from '../../src/engine/memory.js';
import { allocateAmplitudes, stateVectorFootprint } from '../../src/engine/statevector/state.js';
import { KernelMemory } from '../../src/engine/wasm/backend.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** Run `f` with the budget set to `bytes`, then go back to the default. */
function withBudget<T>(bytes: number, f: () => T): T {
  setMemoryBudget(bytes);
  try {
    return f();
  } finally {
    setMemoryBudget(undefined);
  }
}

/** RY on every wire, then a CNOT chain: the L20 shape, any size (compiling allocates nothing per amplitude). */
function chain(n: number, withInputs = false): Circuit {
  const c = new Circuit(n);
  if (withInputs) angleEmbedding(c);
  for (let q = 0; q < n; q++) c.ry(q, w(q));
  for (let q = 0; q + 1 < n; q++) c.cnot(q, q + 1);
  return c;
}

function thrown(f: () => unknown): EngineInputError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof EngineInputError, `expected an EngineInputError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('a state-vector batch needs 16 bytes per amplitude, 32 with the adjoint', () => {
  assert.equal(footprintBytes(stateVectorFootprint(), 10, 3), 16 * 1024 * 3);
  assert.equal(footprintBytes(stateVectorFootprint(true), 10, 3), 32 * 1024 * 3);
  assert.equal(footprintBytes(stateVectorFootprint(), 29, 1), 8 * GiB);
  const fp: Footprint = { perAmplitude: 3, perBasisState: 5, perSample: 7, fixed: 11 };
  assert.equal(footprintBytes(fp, 4, 2), 2 * 16 * 3 + 16 * 5 + 2 * 7 + 11);
});

test('the model matches what the simulator really allocates: 16 B per amplitude, 32 after the co-state', () => {
  const sim = new Simulator(compile(chain(10)));
  sim.setParams([], new Float64Array(10), 3);
  const bytes = (): number => sim.re.byteLength + sim.im.byteLength + sim.lre.byteLength + sim.lim.byteLength;
  assert.equal(bytes(), footprintBytes(stateVectorFootprint(), 10, 3));
  sim.ensureCostate();
  assert.equal(bytes(), footprintBytes(stateVectorFootprint(true), 10, 3));
});

test("a QNode's bytes per amplitude count its outputs and copies (as measured: RSS per amplitude at 22 qubits)", () => {
  const n = 29; // sized only
  const perAmplitude = (q: QNode, phase: 'forward' | 'adjoint'): number => q.memoryBytes(1, phase) / 2 ** n;
  const ev = new QNode(chain(n), expval([parseObservable('Z0 X1')]));
  const all = new QNode(chain(n), probs());
  const st = new QNode(chain(n), state());
  const shots = new QNode(chain(n), expval([parseObservable('X0')]), { shots: 100 });
  // state 16; λ 16; probs() returns 8 per amplitude and vjp copies the cotangent (8); state() 16;
  // shots keep a rotated copy (16) and a cdf (8 per basis state).
  assert.equal(Math.round(perAmplitude(ev, 'forward')), 16);
  assert.equal(Math.round(perAmplitude(ev, 'adjoint')), 32);
  assert.equal(Math.round(perAmplitude(all, 'forward')), 24);
  assert.equal(Math.round(perAmplitude(all, 'adjoint')), 48);
  assert.equal(Math.round(perAmplitude(st, 'forward')), 32);
  assert.equal(Math.round(perAmplitude(shots, 'forward')), 40);
  // Everything else (slot values, coefficients, outputs of an expval) is small.
  assert.ok(ev.memoryBytes(1) - 16 * 2 ** n < MiB, 'ev.memoryBytes(1) - 16 * 2 ** n < MiB');
});

test('a 29-qubit forward is allowed on a 24 GiB machine; 30 qubits with the adjoint are not', () => {
  const sim = new Simulator(compile(chain(29)));
  const budget = { bytes: 24 * GiB, source: 'test' };
  assert.doesNotThrow(() => assertFits(sim.footprint('forward'), 29, 1, 'the forward pass', budget));
  assert.doesNotThrow(() => assertFits(sim.footprint('adjoint'), 29, 1, 'the adjoint gradient', budget));
  const big = new Simulator(compile(chain(30)));
  assert.doesNotThrow(() => assertFits(big.footprint('forward'), 30, 1, 'the forward pass', budget));
  assert.throws(() => assertFits(big.footprint('adjoint'), 30, 1, 'the adjoint gradient', budget), /needs 32 GiB/);
  assert.equal(maxWiresWithin(stateVectorFootprint(), 1, 24 * GiB), 30);
  assert.equal(maxWiresWithin(stateVectorFootprint(true), 1, 24 * GiB), 29);
});

test('too large at batch 3: the error says what the state needs, what the machine has, and what fits at this batch and at batch 1', () => {
  const q = new QNode(chain(29, true), expval([parseObservable('Z0')]));
  const e = withBudget(24 * GiB, () => thrown(() => q.forward(new Float64Array(3 * 29), new Float64Array(29))));
  assert.equal(e.code, 'STATE_TOO_LARGE');
  assert.ok(e instanceof EntangleError, 'e instanceof EntangleError');
  assert.match(e.message, /the forward pass of 29 qubits at batch 3 needs 24 GiB/);
  assert.match(e.message, /memory budget of 24 GiB \(set with setMemoryBudget\)/);
  assert.match(e.message, /at batch 3 at most 28 qubits fit, at batch 1 at most 30 qubits fit/);
  assert.match(e.message, /Use a batch of at most 2 or fewer qubits/);
});

test('too large at batch 1: the error does not suggest a smaller batch', () => {
  const q = new QNode(chain(27), expval([parseObservable('Z0')]));
  const e = withBudget(GiB, () => thrown(() => q.forward([], new Float64Array(27), 1)));
  assert.equal(e.code, 'STATE_TOO_LARGE');
  assert.match(e.message, /needs 2 GiB/);
  assert.match(e.message, /budget of 1 GiB/);
  assert.match(e.message, /at batch 1 at most 25 qubits fit\. Use fewer qubits/);
  assert.doesNotMatch(e.message, /batch of at most|smaller batch/);
});

test('a forward that fits but a gradient that does not fails at vjp, before allocating λ, and works once the budget allows', () => {
  const n = 14;
  const q = new QNode(chain(n), expval([parseObservable('Z0')]));
  const weights = Float64Array.from({ length: n }, (_, i) => 0.1 * i);
  const budget = q.memoryBytes(1, 'forward') + 1000;
  const e = withBudget(budget, () => {
    q.forward([], weights, 1);
    return thrown(() => q.vjp([1]));
  });
  assert.equal(e.code, 'STATE_TOO_LARGE');
  assert.ok(e.message.startsWith(`the adjoint gradient of 14 qubits at batch 1 needs ${formatBytes(q.memoryBytes(1, 'adjoint'))} (32 B per amplitude`), e.message);
  assert.ok(q.memoryBytes(1, 'adjoint') - 32 * 2 ** n < 8192, 'q.memoryBytes(1, \'adjoint\') - 32 * 2 ** n < 8192');
  const reference = new QNode(chain(n), expval([parseObservable('Z0')]));
  reference.forward([], weights, 1);
  assert.deepEqual(q.vjp([1]), reference.vjp([1]));
});

test('Fidelity sizes both sides together', () => {
  const f = new Fidelity(chain(12, true));
  const x = new Float64Array(12);
  // One side's state is 64 KiB; both need 128 KiB.
  assert.throws(() => withBudget(100 * 1024, () => f.forward(x, x, new Float64Array(12))), (e: EngineInputError) => e.code === 'STATE_TOO_LARGE');
  assert.doesNotThrow(() => withBudget(200 * 1024, () => f.forward(x, x, new Float64Array(12))));
});

test('the structural limits are separate: wires ≤ MAX_WIRES (Circuit), amplitudes per array ≤ 2^32', () => {
  assert.equal(MAX_WIRES, 30);
  assert.throws(() => new Circuit(31), (e: Error) => e instanceof CircuitError && /1 to 30 wires/.test(e.message));
  const sim = new Simulator(compile(chain(30)));
  const e = thrown(() => assertFits(sim.footprint('forward'), 30, 5, 'the forward pass', { bytes: 2 ** 50, source: 'test' }));
  assert.equal(e.code, 'STATE_ARRAY_TOO_LONG');
  assert.match(e.message, /use a batch of at most 4$/);
  // However much memory: never more than MAX_WIRES, nor arrays longer than the platform allows.
  assert.equal(maxWiresWithin(stateVectorFootprint(), 1, 2 ** 60), MAX_WIRES);
  assert.equal(maxBatchWithin(stateVectorFootprint(), 30, 2 ** 60), MAX_ARRAY_ELEMENTS / 2 ** 30);
});

test('maxWiresWithin and maxBatchWithin are the largest counts that fit (against footprintBytes)', () => {
  const arbFootprint = fc.record({
    perAmplitude: fc.integer({ min: 1, max: 64 }),
    perBasisState: fc.integer({ min: 0, max: 16 }),
    perSample: fc.integer({ min: 0, max: 4096 }),
    fixed: fc.integer({ min: 0, max: 1 << 20 }),
  });
  fc.assert(fc.property(arbFootprint, fc.integer({ min: 1, max: 5000 }), fc.double({ min: 1, max: 2 ** 45, noNaN: true }), (fp, batch, budget) => {
    const within = (n: number, b: number): boolean => n <= 30 && b * 2 ** n <= 2 ** 32 && fp.perAmplitude * b * 2 ** n + fp.perBasisState * 2 ** n + fp.perSample * b + fp.fixed <= budget;
    const n = maxWiresWithin(fp, batch, budget);
    assert.equal(fits(fp, n + 1, batch, budget), false);
    if (n > 0) assert.ok(within(n, batch), 'within(n, batch)');
    assert.ok(n === 30 || !within(n + 1, batch), 'n === 30 || !within(n + 1, batch)');
    const wires = 1 + (batch % 30);
    const most = maxBatchWithin(fp, wires, budget);
    if (most > 0) assert.ok(within(wires, most), 'within(wires, most)');
    assert.ok(!within(wires, most + 1), '!within(wires, most + 1)');
  }));
});

test('the budget: a conservative default, the platform figure when one is handed in, an explicit setting over both', () => {
  setMemoryBudget(undefined);
  const before = memoryBudget();
  try {
    setPlatformMemory(8 * GiB, 'a test platform');
    assert.deepEqual(memoryBudget(), { bytes: 8 * GiB, source: 'a test platform' });
    setMemoryBudget(3 * GiB);
    assert.equal(memoryBudget().bytes, 3 * GiB);
    setMemoryBudget(undefined);
    assert.equal(memoryBudget().bytes, 8 * GiB);
    assert.throws(() => setMemoryBudget(-1), /positive number of bytes, got -1/);
    assert.throws(() => setMemoryBudget(Number.NaN), EngineInputError);
  } finally {
    setPlatformMemory(before.bytes, before.source);
  }
  assert.equal(DEFAULT_MEMORY_BUDGET, 2 * GiB);
});

test("Node entries hand in this machine's memory (src/node-memory.ts)", async () => {
  await import('../../src/node-memory.js');
  assert.deepEqual(memoryBudget(), { bytes: totalmem(), source: "this machine's memory (os.totalmem)" });
});

test('states from 27 qubits do not fit one WebAssembly memory (4 GiB) and go to JavaScript arrays (in chunks)', () => {
  // 26 qubits: state + co-state 2 GiB (and gaps, coefficients), in WebAssembly memory; 27: 4 GiB, over the 4 GiB cap.
  assert.equal(KernelMemory.fits(2 ** 26, 16), true);
  assert.equal(KernelMemory.fits(2 ** 25 * 3, 16 * 3), true);
  assert.equal(KernelMemory.fits(2 ** 27), false);
  assert.equal(KernelMemory.fits(2 ** 27 - 2 ** 10), false); // the arrays alone under 4 GiB, with the gaps and the first page over
});

test('an allocation the platform refuses becomes a clear engine error', () => {
  assert.equal(allocateAmplitudes(4).length, 4);
  const e = thrown(() => allocateAmplitudes(2 ** 40)); // over V8's typed-array length limit: refused at once, nothing allocated
  assert.equal(e.code, 'STATE_ALLOCATION_FAILED');
  assert.match(e.message, /could not allocate a state array of 8 TiB .*lower it with setMemoryBudget/);
});

test('formatBytes', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(24 * GiB + 5 * MiB), '24 GiB');
  assert.equal(formatBytes(3 * 2 ** 40), '3 TiB');
});
