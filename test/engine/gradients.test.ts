// The three gradient methods agree: adjoint vs parameter-shift vs central finite differences, on
// random circuits over every gate, for expectation values (Pauli words and sums) and probabilities,
// with respect to weights and inputs (including amplitude-embedded inputs). The random circuits
// include QubitUnitary on one and two wires: it has no parameter, so only the adjoint sweep has to
// undo it (with U†), and these comparisons are what catch an adjoint that undoes it wrongly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { QNode, type DiffMethod } from '../../src/engine/qnode.js';
import { arbCircuit, type RandomCircuit } from './random-circuits.js';
import { randomUnitary } from './random-unitary.js';

function maxDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function vjpBy(method: DiffMethod, rc: RandomCircuit, meas: ReturnType<typeof expval> | ReturnType<typeof probs>, cot: (i: number) => number) {
  const q = new QNode(rc.circuit, meas, { diffMethod: method });
  const out = q.forward(rc.inputs, rc.weights, rc.batch);
  return q.vjp(Float64Array.from(out, (_, i) => cot(i)));
}

function agree(rc: RandomCircuit, meas: ReturnType<typeof expval> | ReturnType<typeof probs>): void {
  const cot = (i: number): number => Math.sin(1.7 * i + 0.3);
  const a = vjpBy('adjoint', rc, meas, cot);
  const p = vjpBy('parameter-shift', rc, meas, cot);
  const f = vjpBy('finite-diff', rc, meas, cot);
  assert.ok(maxDiff(a.weights, p.weights) < 1e-9, `weights: adjoint vs parameter-shift ${maxDiff(a.weights, p.weights)}`);
  assert.ok(maxDiff(a.inputs, p.inputs) < 1e-6, `inputs: adjoint vs parameter-shift ${maxDiff(a.inputs, p.inputs)}`);
  assert.ok(maxDiff(a.weights, f.weights) < 1e-6, `weights: adjoint vs finite-diff ${maxDiff(a.weights, f.weights)}`);
  assert.ok(maxDiff(a.inputs, f.inputs) < 1e-6, `inputs: adjoint vs finite-diff ${maxDiff(a.inputs, f.inputs)}`);
}

const observables = ['Z0', 'X0 Z1', '0.5*Y1 + X0 Y1 - 0.25', 'Z0 Z1'].map((s) => parseObservable(s));

test('adjoint, parameter-shift and finite differences agree on random circuits (expvals)', () => {
  fc.assert(fc.property(arbCircuit(4, 14), (rc) => agree(rc, expval(observables))), { numRuns: 150, seed: 42 });
});

test('adjoint, parameter-shift and finite differences agree on random circuits (probabilities)', () => {
  fc.assert(fc.property(arbCircuit(3, 10), (rc) => agree(rc, probs())), { numRuns: 100, seed: 7 });
  fc.assert(fc.property(arbCircuit(4, 10), (rc) => agree(rc, probs([1, 0]))), { numRuns: 60, seed: 8 });
});

test('gradients flow through AmplitudeEmbedding inputs (adjoint vs differences)', () => {
  fc.assert(fc.property(arbCircuit(3, 8, 2, true), (rc) => agree(rc, expval(observables.slice(0, 2)))), { numRuns: 60, seed: 9 });
});

test('QubitUnitary on one and two wires between trainable layers: the three methods agree', () => {
  // Rotations on both sides of each unitary, so the adjoint sweep must carry the co-state back
  // through U† (one wire, then two wires in either order) to reach the earlier parameters.
  for (const seed of [1, 2, 3]) {
    const c = new Circuit(3);
    for (let q = 0; q < 3; q++) c.ry(q, w(q)).rz(q, x(q));
    c.unitary([1], randomUnitary(2, 10 * seed));
    c.unitary([0, 2], randomUnitary(4, 10 * seed + 1));
    c.cnot(0, 1);
    c.unitary([2, 1], randomUnitary(4, 10 * seed + 2));
    for (let q = 0; q < 3; q++) c.rx(q, w(3 + q));
    const rc: RandomCircuit = { circuit: c, batch: 2, weights: Float64Array.from([0.3, -1.2, 0.8, 2.1, -0.4, 1.5]), inputs: Float64Array.from([0.2, -0.9, 1.3, 0.7, 0.1, -2.2]) };
    agree(rc, expval(observables.concat(parseObservable('Y2 X1'))));
    agree(rc, probs([2, 0]));
  }
});

test('known derivative: <Z> after RX(θ) is cos θ, d/dθ = −sin θ, for every method', () => {
  const c = new Circuit(1).rx(0, w(0));
  for (const m of ['adjoint', 'parameter-shift', 'finite-diff'] as const) {
    for (const theta of [-2.1, 0, 0.4, 1.3]) {
      const q = new QNode(c, expval([parseObservable('Z0')]), { diffMethod: m });
      const out = q.forward([], [theta], 1);
      assert.ok(Math.abs(out[0] - Math.cos(theta)) < 1e-14, 'Math.abs(out[0] - Math.cos(theta)) < 1e-14');
      const g = q.vjp([1]);
      assert.ok(Math.abs(g.weights[0] + Math.sin(theta)) < 1e-8, `${m} at ${theta}: ${g.weights[0]}`);
    }
  }
});

test('finite-diff is central differences with its fdStep: d/dθ cos θ comes out as −sin θ · sin h / h', () => {
  // A large step makes the truncation error visible, so a finite-diff that quietly used an exact
  // shift rule (or ignored fdStep) fails here, though it would agree with the adjoint elsewhere.
  const c = new Circuit(1).rx(0, w(0));
  for (const h of [0.5, 1e-3]) {
    const q = new QNode(c, expval([parseObservable('Z0')]), { diffMethod: 'finite-diff', fdStep: h });
    for (const theta of [-1.1, 0.7]) {
      q.forward([], [theta], 1);
      const expected = (-Math.sin(theta) * Math.sin(h)) / h;
      const got = q.vjp([1]).weights[0];
      assert.ok(Math.abs(got - expected) < 1e-9, `h ${h}, θ ${theta}: ${got} vs ${expected}`);
    }
  }
});

test('four-term rule is needed for controlled rotations: two-term gives a wrong CRX derivative', () => {
  // After H(0), CRX(θ) on (0,1): <X0> = Re⟨0|RX(θ)|0⟩ = cos(θ/2), derivative −sin(θ/2)/2. The
  // frequency-1/2 term is what the two-term rule gets wrong.
  const c = new Circuit(2).h(0).crx(0, 1, w(0));
  const theta = 0.9;
  const q = new QNode(c, expval([parseObservable('X0')]), { diffMethod: 'parameter-shift' });
  const out = q.forward([], [theta], 1);
  assert.ok(Math.abs(out[0] - Math.cos(theta / 2)) < 1e-14, 'Math.abs(out[0] - Math.cos(theta / 2)) < 1e-14');
  assert.ok(Math.abs(q.vjp([1]).weights[0] + Math.sin(theta / 2) / 2) < 1e-12, 'Math.abs(q.vjp([1]).weights[0] + Math.sin(theta / 2) / 2) < 1e-12');
  // The two-term rule applied to the engine's own outputs (not to a formula of the test's) misses
  // the true derivative, so a parameter-shift that fell back to it would fail the line above.
  const at = (t: number): number => new QNode(c, expval([parseObservable('X0')])).forward([], [t], 1)[0];
  const naive = (at(theta + Math.PI / 2) - at(theta - Math.PI / 2)) / 2;
  assert.ok(Math.abs(naive + Math.sin(theta / 2) / 2) > 1e-2, `two-term rule gives ${naive}`);
});

test('vjp of a batch: weight gradients sum over samples, input gradients stay per sample', () => {
  const c = new Circuit(2).ry(0, x(0)).ry(1, x(1)).cnot(0, 1).rx(1, w(0));
  const q = new QNode(c, expval([parseObservable('Z1')]));
  const inputs = [0.1, 0.2, -0.7, 1.1];
  q.forward(inputs, [0.3]);
  const both = q.vjp([1, 1]);
  const q1 = new QNode(c, expval([parseObservable('Z1')]));
  q1.forward(inputs.slice(0, 2), [0.3]);
  const g0 = q1.vjp([1]);
  q1.forward(inputs.slice(2), [0.3]);
  const g1 = q1.vjp([1]);
  assert.ok(Math.abs(both.weights[0] - (g0.weights[0] + g1.weights[0])) < 1e-14, 'Math.abs(both.weights[0] - (g0.weights[0] + g1.weights[0])) < 1e-14');
  assert.deepEqual([...both.inputs], [...g0.inputs, ...g1.inputs]);
});

test('fused and unfused programs give the same outputs and gradients on random circuits', () => {
  const obs = expval(observables);
  fc.assert(
    fc.property(arbCircuit(8, 24, 3, false, 7), (rc) => {
      const run = (fuse: boolean) => {
        const q = new QNode(rc.circuit, obs, { fuse });
        const out = q.forward(rc.inputs, rc.weights, rc.batch);
        return { q, out, g: q.vjp(Float64Array.from(out, (_, i) => Math.cos(i))) };
      };
      const f = run(true);
      const u = run(false);
      assert.ok(maxDiff(f.out, u.out) < 1e-12, 'maxDiff(f.out, u.out) < 1e-12');
      assert.ok(maxDiff(f.g.weights, u.g.weights) < 1e-11, 'maxDiff(f.g.weights, u.g.weights) < 1e-11');
      assert.ok(maxDiff(f.g.inputs, u.g.inputs) < 1e-11, 'maxDiff(f.g.inputs, u.g.inputs) < 1e-11');
      return f.q.program.prims.length <= u.q.program.prims.length;
    }),
    { numRuns: 120, seed: 21 },
  );
  // On 7+ wires a per-sample embedding RX and the Rot after it become one pass; small states keep
  // the specialized single-rotation kernels.
  for (const [n, fused] of [[4, 16], [7, 7]]) {
    const c = new Circuit(n);
    for (let i = 0; i < n; i++) c.rx(i, x(i));
    for (let i = 0; i < n; i++) c.rot(i, w(3 * i), w(3 * i + 1), w(3 * i + 2));
    assert.equal(new QNode(c, obs, { fuse: true }).program.prims.length, fused);
    assert.equal(new QNode(c, obs, { fuse: false }).program.prims.length, 4 * n);
  }
});
