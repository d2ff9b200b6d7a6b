// One state split across threads (engine/parallel/split-*.ts): a batch of one on 2, 3 or 4 threads
// gives the one-thread outputs bit for bit (Object.is) and gradients within 1e-12, on random
// circuits of every gate (split primitives interleaved with main-thread-only ones), with
// amplitude embeddings, expval and probs; the same thread count gives the same bits twice; the
// ranges of each gate cover it once. Ground truth: the one-thread QNode (no worker involved) and,
// as a second method, parameter-shift gradients. Failures: a worker that throws, the main thread
// that throws, and a worker that stops answering all surface as errors (none hangs), and the
// pool works afterwards.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import '../../src/node-threads.js';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs, type Measurement } from '../../src/circuit/measurements.js';
import { pauliWord, zOnEveryWire } from '../../src/circuit/observables.js';
import { w, x } from '../../src/circuit/params.js';
import { ryCnotChainBlocks, stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { QNode, type QNodeOptions } from '../../src/engine/qnode.js';
import { compile } from '../../src/engine/program.js';
import { Kind, type Primitive } from '../../src/engine/primitive.js';
import { expvals, expvalCostate } from '../../src/engine/statevector/measure.js';
import { compileObservable } from '../../src/engine/observables.js';
import { poolSize, terminateThreadPool } from '../../src/engine/parallel/pool.js';
import { lowestPartitionBit, splitCall, splitRange, splitSteps, splitsPrimitive } from '../../src/engine/parallel/split-plan.js';
import { SplitQNode, setSplitStallTimeout, setSplitThreshold, splitJobCount } from '../../src/engine/parallel/split-qnode.js';
import { runSimulate } from '../../src/cli/simulate.js';
import { arbCircuit } from './random-circuits.js';

// Force even 2-qubit random circuits through the split path (the default threshold is for speed).
const before = setSplitThreshold({ minQubits: 1, minShare: 0 });
after(() => {
  setSplitThreshold(before);
  terminateThreadPool();
});

interface Run {
  out: Float64Array;
  gW: Float64Array;
  gX: Float64Array;
}

function run(circuit: Circuit, m: Measurement, inputs: Float64Array, weights: Float64Array, opts: QNodeOptions): Run {
  const q = new QNode(circuit, m, opts);
  try {
    const out = q.forward(inputs, weights, 1);
    const g = Float64Array.from(out, (_, i) => Math.cos(0.9 * i + 0.2));
    const v = q.vjp(g);
    return { out, gW: v.weights, gX: v.inputs };
  } finally {
    q.dispose();
  }
}

function assertClose(a: Float64Array, b: Float64Array, tol: number, label: string): void {
  assert.equal(a.length, b.length, `${label}: length`);
  a.forEach((v, j) => assert.ok(Math.abs(v - b[j]) <= tol, `${label} ${j}: ${v} vs ${b[j]}`));
}

function assertBitEqual(a: Float64Array, b: Float64Array, label: string): void {
  assert.equal(a.length, b.length, `${label}: length`);
  a.forEach((v, j) => assert.ok(Object.is(v, b[j]), `${label} ${j}: ${v} vs ${b[j]}`));
}

test('each rank\'s ranges cover every gate\'s enumeration once, in order, cut at multiples of min(run, 8)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (n, T, seeds) => {
      // 1..3 distinct fixed bits below n
      const bits = [...new Set(seeds.slice(0, 1 + (seeds[0] % Math.min(3, n))).map((s) => s % n))].sort((a, b) => a - b);
      const p = { fixed: Int32Array.from(bits) } as unknown as Primitive;
      const dim = 2 ** n;
      const total = dim / 2 ** bits.length;
      const unit = Math.min(2 ** bits[0], 8);
      let next = 0;
      const sizes: number[] = [];
      for (let r = 0; r < T; r++) {
        const [q0, q1] = splitRange(p, dim, r, T);
        assert.equal(q0, next);
        assert.ok(q1 >= q0, 'q1 >= q0');
        assert.equal(q0 % unit, 0);
        assert.equal(q1 % unit, 0);
        sizes.push(q1 - q0);
        next = q1;
      }
      assert.equal(next, total);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= unit, `balanced: ${sizes}`);
    }),
    { numRuns: 300, seed: 14 },
  );
});

test('steps by ranges (3 threads): split primitives alone, main-only runs grouped, program order and reverse', () => {
  const c = new Circuit(3);
  c.ry(0, w(0)).swap(0, 1).isingXX(1, 2, w(1)).cnot(0, 2).rz(2, w(2));
  const program = compile(c);
  const fwd = splitSteps(program, false, 3);
  const flat = fwd.flatMap((s) => s.prims);
  assert.deepEqual(flat, program.prims.map((_, k) => k));
  for (const s of fwd) {
    if (s.split) assert.deepEqual([s.prims.length, s.bits.length], [1, 0]);
    s.prims.forEach((k) => assert.equal(splitsPrimitive(program.prims[k]), s.split));
  }
  // SWAP and IsingXX are neighbours that both run on the main thread: one step.
  assert.ok(fwd.some((s) => !s.split && s.prims.length >= 2), 'fwd.some((s) => !s.split && s.prims.length >= 2)');
  assert.deepEqual(splitSteps(program, true, 3).flatMap((s) => s.prims), [...flat].reverse());
  assert.ok(program.prims.some((p) => p.kind === Kind.XPERM && splitsPrimitive(p)), 'program.prims.some((p) => p.kind === Kind.XPERM && splitsPrimitive(p))');
});

/** Base indices (target bit 0, controls 1) a call visits: i with (i & fixed) == mask. */
function visited(fixedBits: number[], mask: number, dim: number): number[] {
  const fm = fixedBits.reduce((m, b) => m | (1 << b), 0);
  const out: number[] = [];
  for (let i = 0; i < dim; i++) if ((i & fm) === mask) out.push(i);
  return out;
}

test('steps by partition bits (2 and 4 threads): no member touches a step\'s bits, low bits (and bit 0) are never one, and the ranks\' calls cover each gate once', () => {
  fc.assert(
    fc.property(arbCircuit(9, 30, 2, false, 2), fc.constantFrom(2, 4), (rc, T) => {
      const program = compile(rc.circuit);
      const { dim } = program;
      const steps = splitSteps(program, false, T);
      assert.deepEqual(steps.flatMap((s) => s.prims), program.prims.map((_, k) => k));
      for (const st of steps) {
        if (!st.split || st.bits.length === 0) continue;
        assert.equal(st.bits.length, Math.log2(T));
        assert.ok(st.bits.every((b) => b >= lowestPartitionBit(program.numWires) && b >= 1), `bits ${st.bits}`);
        for (const k of st.prims) {
          const p = program.prims[k];
          st.bits.forEach((b) => assert.ok(!p.fixed.includes(b), `bit ${b} is fixed in primitive ${k}`));
          const all = visited(Array.from(p.fixed), p.mask, dim);
          const seen: number[] = [];
          for (let r = 0; r < T; r++) {
            const c = splitCall(p, dim, st.bits, r, T);
            const fx = [c.f0, c.f1, c.f2].slice(0, c.f);
            assert.equal(c.q1 - c.q0, dim >> c.f);
            seen.push(...visited(fx, c.mask, dim));
          }
          assert.deepEqual(seen.sort((a, b) => a - b), all);
        }
      }
    }),
    { numRuns: 100, seed: 5 },
  );
  // A chain of RYs on wires 1..n-1 needs no barrier at 2 threads: one step, partitioned on wire 0's bit.
  const c = new Circuit(6);
  for (let q = 1; q < 6; q++) c.ry(q, w(q - 1));
  const steps = splitSteps(compile(c), false, 2);
  assert.equal(steps.length, 1);
  assert.deepEqual(steps[0].bits, [5]);
});

test('random circuits, batch of one: 2, 3 and 4 threads give the one-thread outputs bit for bit and gradients within 1e-12', () => {
  const jobs0 = splitJobCount();
  fc.assert(
    fc.property(arbCircuit(8, 24, 3, false, 2), fc.boolean(), (rc, useProbs) => {
      const n = rc.circuit.numWires;
      const m = useProbs ? probs() : expval([...zOnEveryWire(n), pauliWord([['X', 0], ['Y', n - 1]])]);
      const inputs = rc.inputs.subarray(0, rc.circuit.numInputs);
      const one = run(rc.circuit, m, inputs, rc.weights, {});
      for (const threads of [2, 3, 4]) {
        const many = run(rc.circuit, m, inputs, rc.weights, { threads });
        assertBitEqual(many.out, one.out, `${threads} threads: outputs`);
        assertClose(many.gW, one.gW, 1e-12, `${threads} threads: weight gradient`);
        assertClose(many.gX, one.gX, 1e-12, `${threads} threads: input gradient`);
      }
    }),
    { numRuns: 40, seed: 2026 },
  );
  assert.ok(splitJobCount() - jobs0 >= 40 * 3 * 2, 'the split path ran (forward and adjoint per case and thread count)');
});

test('random circuits with an amplitude embedding: the input gradient through the initial state agrees', () => {
  fc.assert(
    fc.property(arbCircuit(6, 16, 2, true, 2), (rc) => {
      const m = expval(zOnEveryWire(rc.circuit.numWires));
      const inputs = rc.inputs.subarray(0, rc.circuit.numInputs);
      const one = run(rc.circuit, m, inputs, rc.weights, {});
      const two = run(rc.circuit, m, inputs, rc.weights, { threads: 2 });
      assertBitEqual(two.out, one.out, 'outputs');
      assertClose(two.gX, one.gX, 1e-12, 'input gradient');
      assertClose(two.gW, one.gW, 1e-12, 'weight gradient');
    }),
    { numRuns: 20, seed: 7 },
  );
});

test('14 qubits (a state that spans many cache lines per thread): exact forward, gradient against parameter-shift', () => {
  const n = 14;
  const c = new Circuit(n);
  c.declareInputs(1);
  for (let q = 0; q < n; q++) c.ry(q, x(0, { scale: 0.3 + 0.1 * q, offset: 0.05 * q }));
  stronglyEntanglingLayers(c, { layers: 1 });
  const m = expval([pauliWord([['Z', 0], ['Z', 13]]), pauliWord([['X', 5]])]);
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.sin(1 + i));
  const inputs = Float64Array.of(0.7);
  const one = run(c, m, inputs, weights, {});
  const two = run(c, m, inputs, weights, { threads: 2 });
  const twoAgain = run(c, m, inputs, weights, { threads: 2 });
  assertBitEqual(two.out, one.out, 'outputs');
  assertClose(two.gW, one.gW, 1e-12, 'weight gradient');
  assertBitEqual(twoAgain.gW, two.gW, 'same thread count, same bits');
  assertBitEqual(twoAgain.gX, two.gX, 'same thread count, same bits (inputs)');
  const ps = run(c, m, inputs, weights, { diffMethod: 'parameter-shift' });
  assertClose(two.gW, ps.gW, 1e-10, 'weight gradient vs parameter-shift');
  assertClose(two.gX, ps.gX, 1e-10, 'input gradient vs parameter-shift');
});

test('a QT13-like circuit (RY + CNOT chain, probs): the jacobian loop reuses the split state and re-runs the forward', () => {
  const c = new Circuit(12);
  ryCnotChainBlocks(c, { layers: 2 });
  const weights = Float64Array.from({ length: c.numWeights }, (_, i) => Math.cos(i));
  const m = probs([0, 11]);
  const q1 = new QNode(c, m);
  const q2 = new QNode(c, m, { threads: 2 });
  const j1 = q1.jacobian([], weights, 1);
  const j2 = q2.jacobian([], weights, 1);
  assertClose(j2.weights, j1.weights, 1e-12, 'jacobian');
  q2.dispose();
});

test('batches larger than one keep the batch shards; threads: 1 never splits', () => {
  const c = new Circuit(3);
  c.declareInputs(1);
  c.rx(0, x(0)).cnot(0, 1).ry(2, w(0));
  c.declareWeights(1);
  const jobs0 = splitJobCount();
  const q = new QNode(c, expval(zOnEveryWire(3)), { threads: 2 });
  q.forward(Float64Array.of(0.1, 0.2, 0.3, 0.4), Float64Array.of(0.5));
  assert.equal(splitJobCount(), jobs0);
  q.forward(Float64Array.of(0.1), Float64Array.of(0.5));
  assert.equal(splitJobCount(), jobs0 + 1);
  new QNode(c, expval(zOnEveryWire(3))).forward(Float64Array.of(0.1), Float64Array.of(0.5));
  assert.equal(splitJobCount(), jobs0 + 1);
  q.dispose();
});

/** A SplitQNode over <Z0> with an injected fault (the QNode does not expose the test hook). */
function faulty(threads: number, fault?: { rank: number; step: number; kind: 'throw' | 'hang' | 'exit' }): { s: SplitQNode; weights: Float64Array } {
  const c = new Circuit(6);
  ryCnotChainBlocks(c, { layers: 2 });
  const program = compile(c);
  const obs = [compileObservable(pauliWord([['Z', 0]]), 6, 'Z0')];
  const s = new SplitQNode(program, threads, { circuit: c.toJSON(), fault }, {
    measure: (re, im, out) => expvals(re, im, 1, program.dim, obs, out),
    costate: (re, im, g, lre, lim) => expvalCostate(re, im, 1, program.dim, obs, g, lre, lim),
  }, 1);
  return { s, weights: Float64Array.from({ length: c.numWeights }, (_, i) => 0.1 * i) };
}

test('a worker that throws mid-forward: its error surfaces, nobody hangs, and the pool serves the next call', () => {
  const ok = faulty(3);
  const expected = ok.s.forward(new Float64Array(0), ok.weights);
  for (const rank of [1, 2]) {
    const bad = faulty(3, { rank, step: 3, kind: 'throw' });
    assert.throws(() => bad.s.forward(new Float64Array(0), bad.weights), (e: Error) => {
      assert.match(e.message, new RegExp(`injected fault in split rank ${rank} at step 3`));
      assert.match(e.message, new RegExp(`split rank ${rank}\\)`));
      return true;
    });
    bad.s.dispose();
  }
  assertBitEqual(ok.s.forward(new Float64Array(0), ok.weights), expected, 'after the failures');
  ok.s.dispose();
});

test('a worker whose thread exits mid-forward: the job fails at once with that reason, and a new worker takes its place', () => {
  // In a child process of its own, so that a thread that really exits cannot disturb the pool of
  // the other tests. (Run inside the test runner's process the exit was only seen at the stall
  // timeout; not investigated further: plain processes see it at once, as this checks.)
  const src = (f: string): string => JSON.stringify(new URL(`../../src/${f}`, import.meta.url).href);
  const script = `
    await import(${src('node-threads.ts')});
    const { Circuit } = await import(${src('circuit/circuit.ts')});
    const { ryCnotChainBlocks } = await import(${src('circuit/templates.ts')});
    const { compile } = await import(${src('engine/program.ts')});
    const { SplitQNode, setSplitStallTimeout } = await import(${src('engine/parallel/split-qnode.ts')});
    const { terminateThreadPool } = await import(${src('engine/parallel/pool.ts')});
    setSplitStallTimeout(600000);
    const c = new Circuit(6);
    ryCnotChainBlocks(c, { layers: 2 });
    const program = compile(c);
    const io = { measure: (re, im, out) => { out[0] = re[0]; }, costate: () => {} };
    const mk = (fault) => new SplitQNode(program, 2, { circuit: c.toJSON(), fault }, io, 1);
    const w = new Float64Array(c.numWeights).map((_, i) => 0.1 * i);
    const ok = mk();
    const before = ok.forward(new Float64Array(0), w)[0];
    const t0 = Date.now();
    let message = 'no error';
    try { mk({ rank: 1, step: 2, kind: 'exit' }).forward(new Float64Array(0), w); } catch (e) { message = e.message; }
    const ms = Date.now() - t0;
    const again = ok.forward(new Float64Array(0), w)[0];
    terminateThreadPool();
    console.log(JSON.stringify({ message, ms, same: Object.is(before, again) }));`;
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { message: string; ms: number; same: boolean };
  assert.match(got.message, /engine worker exited \(code 7\) in the middle of a job \(engine worker 0, split rank 1\)/);
  assert.ok(got.ms < 30_000, `failed after ${got.ms} ms, not at the stall timeout (600 s)`);
  assert.ok(got.same, 'the next job on a fresh worker gives the same output');
});

test('the main thread that throws mid-forward: its own error, and the workers are released', () => {
  const bad = faulty(2, { rank: 0, step: 2, kind: 'throw' });
  assert.throws(() => bad.s.forward(new Float64Array(0), bad.weights), /injected fault in split rank 0 at step 2/);
  bad.s.dispose();
  const ok = faulty(2);
  const out = ok.s.forward(new Float64Array(0), ok.weights);
  assert.ok(Number.isFinite(out[0]), 'Number.isFinite(out[0])');
  ok.s.dispose();
});

test('a worker that stops answering: the stall timeout aborts the job with an error naming it, and the pool restarts', () => {
  const ok = faulty(2);
  const expected = ok.s.forward(new Float64Array(0), ok.weights); // the worker has started
  const stall = setSplitStallTimeout;
  stall(400);
  try {
    const bad = faulty(2, { rank: 1, step: 2, kind: 'hang' });
    const t0 = Date.now();
    assert.throws(() => bad.s.forward(new Float64Array(0), bad.weights), /engine worker 0 \(split rank 1\) did not (reach barrier|finish)/);
    assert.ok(Date.now() - t0 < 10_000, 'gave up in time');
    assert.equal(poolSize(), 0, 'the pool was restarted');
  } finally {
    stall(60_000);
  }
  // A new pool (the old workers are gone): the same QNode-side object re-sends its state.
  assertBitEqual(ok.s.forward(new Float64Array(0), ok.weights), expected, 'after the restart');
  ok.s.dispose();
});

test('simulate --threads 2 (the CLI, in process) splits its one sample: same expvals bit for bit, Jacobian within 1e-12', () => {
  const n = 12;
  const lines = ['OPENQASM 3.0;', 'include "stdgates.inc";', 'input float a;', `qubit[${n}] q;`];
  for (let k = 0; k < n; k++) lines.push(`ry(a*${k + 1}) q[${k}];`);
  for (let k = 0; k + 1 < n; k++) lines.push(`cx q[${k}], q[${k + 1}];`);
  const dir = mkdtempSync(join(tmpdir(), 'entangle-split-'));
  try {
    const file = join(dir, 'q.qasm');
    writeFileSync(file, lines.join('\n') + '\n');
    const opts = { set: ['a=0.3'], observable: ['Z0', 'X5 Y11'], grad: true };
    const one = runSimulate(file, opts);
    const jobs0 = splitJobCount();
    const two = runSimulate(file, { ...opts, threads: '2' });
    assert.equal(splitJobCount() - jobs0, 4, 'forward, adjoint, forward again (the first sweep consumed the state), adjoint: all split');
    assertBitEqual(Float64Array.from(two.expvals), Float64Array.from(one.expvals), 'expvals');
    assertClose(Float64Array.from(two.jacobian!.expvals.flat()), Float64Array.from(one.jacobian!.expvals.flat()), 1e-12, 'jacobian');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
