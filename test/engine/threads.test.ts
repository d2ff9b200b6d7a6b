// Batch-parallel QNodes (engine/parallel/): a batch split over 1, 2 or 3 threads gives the same
// outputs and input gradients bit for bit, and weight gradients within 1e-12 (summed over shards
// in a fixed order); odd batches, batches smaller than the thread count, errors raised inside a
// worker, and a pool that is torn down and rebuilt. Ground truth: the one-thread QNode (no worker
// involved), and central differences for the threaded weight gradient.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import '../../src/node-threads.js';
import { nodeThreadRuntime } from '../../src/node-threads.js';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs } from '../../src/circuit/measurements.js';
import { pauliWord, zOnEveryWire } from '../../src/circuit/observables.js';
import { w, x } from '../../src/circuit/params.js';
import { QNode, type QNodeOptions } from '../../src/engine/qnode.js';
import type { Measurement } from '../../src/circuit/measurements.js';
import { poolSize, terminateThreadPool } from '../../src/engine/parallel/pool.js';
import { setThreadRuntime } from '../../src/engine/parallel/runtime.js';
import { shardRanges } from '../../src/engine/parallel/shards.js';
import { arbCircuit } from './random-circuits.js';

after(() => terminateThreadPool());

/** Deterministic inputs for a batch of B (the random circuits carry only 1..3 samples). */
function inputsFor(circuit: Circuit, B: number, salt: number): Float64Array {
  const nIn = circuit.numInputs;
  return Float64Array.from({ length: B * nIn }, (_, i) => 0.3 + Math.sin(1.7 * i + salt));
}

interface Run {
  out: Float64Array;
  gW: Float64Array;
  gX: Float64Array;
}

function run(circuit: Circuit, m: Measurement, inputs: Float64Array, weights: Float64Array, B: number, opts: QNodeOptions): Run {
  const q = new QNode(circuit, m, opts);
  try {
    const out = q.forward(inputs, weights, B);
    const g = Float64Array.from(out, (_, i) => Math.cos(0.9 * i + 0.2));
    const v = q.vjp(g);
    return { out, gW: v.weights, gX: v.inputs };
  } finally {
    q.dispose();
  }
}

function assertAgree(one: Run, many: Run, label: string): void {
  assert.deepEqual(many.out, one.out, `${label}: outputs`);
  assert.deepEqual(many.gX, one.gX, `${label}: input gradients`);
  assert.equal(many.gW.length, one.gW.length);
  one.gW.forEach((v, j) => assert.ok(Math.abs(v - many.gW[j]) <= 1e-12, `${label}: weight gradient ${j}: ${v} vs ${many.gW[j]}`));
}

test('shards are contiguous, cover the batch once, and hold at least two samples unless the batch has one', () => {
  const expected: Record<string, number> = { '1,3': 1, '2,3': 1, '3,3': 1, '4,3': 2, '7,3': 3, '32,2': 2, '5,8': 2 };
  for (const key of Object.keys(expected)) {
    const [B, T] = key.split(',').map(Number);
    const s = shardRanges(B, T);
    assert.equal(s.length, expected[key], key);
    assert.equal(s[0].start, 0);
    s.forEach((r, k) => {
      assert.ok(r.count >= Math.min(B, 2), 'r.count >= Math.min(B, 2)');
      if (k > 0) assert.equal(r.start, s[k - 1].start + s[k - 1].count);
    });
    assert.equal(s.at(-1)!.start + s.at(-1)!.count, B);
    assert.ok(Math.max(...s.map((r) => r.count)) - Math.min(...s.map((r) => r.count)) <= 1, 'Math.max(...s.map((r) => r.count)) - Math.min(...s.map((r) => r.count)) <= 1');
  }
});

test('random circuits: 1, 2 and 3 threads agree (outputs and input gradients bit for bit), expval and probs', () => {
  const batches = [1, 2, 3, 5, 7];
  fc.assert(
    fc.property(arbCircuit(4, 12, 3, false), fc.constantFrom(...batches), fc.boolean(), (rc, B, useProbs) => {
      const m = useProbs ? probs() : expval(zOnEveryWire(rc.circuit.numWires));
      const inputs = inputsFor(rc.circuit, B, B);
      const one = run(rc.circuit, m, inputs, rc.weights, B, {});
      for (const threads of [2, 3]) assertAgree(one, run(rc.circuit, m, inputs, rc.weights, B, { threads }), `${threads} threads, batch ${B}`);
    }),
    { numRuns: 12, seed: 14 },
  );
});

test('amplitude-embedded circuits and parameter-shift gradients agree across threads too', () => {
  fc.assert(
    fc.property(arbCircuit(3, 8, 2, true), (rc) => {
      const m = expval([pauliWord([['X', 0], ['Z', 1]], 0.5), ...zOnEveryWire(rc.circuit.numWires)]);
      const B = 5;
      const inputs = inputsFor(rc.circuit, B, 3);
      for (const diffMethod of ['adjoint', 'parameter-shift'] as const) {
        const one = run(rc.circuit, m, inputs, rc.weights, B, { diffMethod });
        assertAgree(one, run(rc.circuit, m, inputs, rc.weights, B, { diffMethod, threads: 3 }), diffMethod);
      }
    }),
    { numRuns: 4, seed: 3 },
  );
});

/** A layered circuit like the hybrids': angle embedding, then RY/RZ layers with a CNOT ring. */
function hybridCircuit(n: number, layers: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.add('RY', [q], [x(q)]);
  let k = 0;
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) c.add('RY', [q], [w(k++)]).add('RZ', [q], [w(k++)]);
    for (let q = 0; q < n; q++) c.add('CNOT', [q, (q + 1) % n]);
  }
  return c;
}

test('the threaded weight gradient matches central differences of the batch loss', () => {
  const c = hybridCircuit(4, 2);
  const m = expval(zOnEveryWire(4));
  const B = 9;
  const inputs = inputsFor(c, B, 1);
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => 0.4 * Math.cos(i));
  const q = new QNode(c, m, { threads: 2 });
  const out = q.forward(inputs, weights);
  const g = Float64Array.from(out, (_, i) => Math.sin(i + 1));
  const { weights: gW } = q.vjp(g);
  const loss = (wt: Float64Array): number => q.forward(inputs, wt).reduce((s, v, i) => s + g[i] * v, 0);
  const h = 1e-6;
  for (let j = 0; j < weights.length; j++) {
    const p = Float64Array.from(weights);
    const mi = Float64Array.from(weights);
    p[j] += h;
    mi[j] -= h;
    assert.ok(Math.abs((loss(p) - loss(mi)) / (2 * h) - gW[j]) < 1e-7, `weight ${j}`);
  }
  q.dispose();
});

test('a QNode reused across batch sizes (growing, shrinking, below the thread count) keeps agreeing', () => {
  const c = hybridCircuit(5, 2);
  const m = expval(zOnEveryWire(5));
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.sin(2 * i));
  const one = new QNode(c, m);
  const three = new QNode(c, m, { threads: 3 });
  for (const B of [1, 2, 3, 16, 4, 33, 1]) {
    const inputs = inputsFor(c, B, B);
    const a = one.forward(inputs, weights);
    const b = three.forward(inputs, weights);
    assert.deepEqual(b, a, `batch ${B}`);
    const g = Float64Array.from(a, (_, i) => 1 / (i + 1));
    const va = one.vjp(g);
    const vb = three.vjp(g);
    assert.deepEqual(vb.inputs, va.inputs, `batch ${B} input gradients`);
    va.weights.forEach((v, j) => assert.ok(Math.abs(v - vb.weights[j]) <= 1e-12, 'Math.abs(v - vb.weights[j]) <= 1e-12'));
  }
  // The Jacobian (one VJP per output) goes through the shards as well.
  const inputs = inputsFor(c, 4, 9);
  assert.deepEqual(three.jacobian(inputs, weights).inputs, one.jacobian(inputs, weights).inputs);
  three.dispose();
});

test("an error inside a worker's shard surfaces with its message and the batch's sample numbers; the pool survives it", () => {
  const c = hybridCircuit(3, 1);
  const m = expval(zOnEveryWire(3));
  const q = new QNode(c, m, { threads: 3 });
  const weights = new Float64Array(c.numWeights).fill(0.1);
  const inputs = inputsFor(c, 6, 0);
  inputs[5 * 3 + 1] = NaN; // sample 5: shard 2 (samples 4..5), in worker 1
  assert.throws(() => q.forward(inputs, weights), (e: Error & { code?: string }) => {
    assert.equal(e.name, 'EngineInputError');
    assert.equal(e.code, 'ENGINE_INPUT');
    assert.match(e.message, /value is NaN/);
    assert.match(e.message, /samples 4\.\.5 of the batch of 6/);
    return true;
  });
  inputs[5 * 3 + 1] = 0.5;
  assert.deepEqual(q.forward(inputs, weights), new QNode(c, m).forward(inputs, weights));
  // Shape errors are the whole batch's, checked before any worker runs.
  assert.throws(() => q.forward(inputs.subarray(0, 7), weights), /not a multiple/);
  assert.throws(() => new QNode(c, m, { threads: 0 }), /threads must be a positive integer, got 0/);
  q.dispose();
});

test('a pool torn down is rebuilt on the next threaded call; without a runtime the error names the fix', () => {
  const c = hybridCircuit(3, 1);
  const m = expval(zOnEveryWire(3));
  const q = new QNode(c, m, { threads: 2 });
  const weights = new Float64Array(c.numWeights).fill(0.2);
  const inputs = inputsFor(c, 4, 2);
  const first = q.forward(inputs, weights);
  assert.ok(poolSize() >= 1, 'poolSize() >= 1');
  terminateThreadPool();
  assert.equal(poolSize(), 0);
  assert.deepEqual(q.forward(inputs, weights), first);
  assert.equal(poolSize(), 1);
  setThreadRuntime(undefined);
  try {
    assert.throws(() => new QNode(c, m, { threads: 2 }), /needs a thread runtime.*import 'entangle'/);
  } finally {
    setThreadRuntime(nodeThreadRuntime);
  }
});

test('a process that never terminates its pool still exits', () => {
  const script = [
    "import './src/node-threads.ts';",
    "import { Circuit } from './src/circuit/circuit.ts';",
    "import { QNode } from './src/engine/qnode.ts';",
    "import { expval } from './src/circuit/measurements.ts';",
    "import { zOnEveryWire } from './src/circuit/observables.ts';",
    "import { x } from './src/circuit/params.ts';",
    "const c = new Circuit(2).add('RY', [0], [x(0)]).add('CNOT', [0, 1]);",
    "const out = new QNode(c, expval(zOnEveryWire(2)), { threads: 2 }).forward([0.1, 0.2, 0.3], []);",
    'console.log(out.length);',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, 'killed by the timeout: the pool kept the process alive');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '6');
});
