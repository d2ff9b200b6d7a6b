// probs(wires) against closed forms written out by hand: the wire order of the marginal table
// (first listed wire = most significant bit, wire 0 = most significant bit of the full table, as in
// PennyLane) is checked on states whose every probability is known in advance. Only the public
// entries are used (Circuit, QNode, probs), so these tests survive refactors of the engine.
//
// A mutation review found that reading the marginal in the wrong bit order passed the whole suite
// before: the gradient tests compare methods that share the measurement, so they agree with each
// other on a wrong table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit, probs, w, x } from '../../src/circuit/index.js';
import { QNode } from '../../src/engine/index.js';

const TOL = 1e-14;

function assertClose(actual: Float64Array, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < TOL, `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (whole table ${Array.from(actual).map((v) => v.toFixed(4)).join(' ')})`);
  }
}

// RY(θ) on |0⟩ gives cos(θ/2)|0⟩ + sin(θ/2)|1⟩: P(1) = sin²(θ/2), P(0) = cos²(θ/2).
const c2 = (t: number): number => Math.cos(t / 2) ** 2;
const s2 = (t: number): number => Math.sin(t / 2) ** 2;

/** RY(θ_i) on each wire i, angles from weights (distinct so that swapped wires show). */
function productCircuit(n: number): Circuit {
  const c = new Circuit(n);
  for (let i = 0; i < n; i++) c.ry(i, w(i));
  return c;
}

const th = [0.3, 1.1, 2.3];
const [a0, a1, a2] = th.map(c2);
const [b0, b1, b2] = th.map(s2);

test('probs of a product of RY rotations: the full table, wire 0 the most significant bit', () => {
  const q = new QNode(productCircuit(3), probs());
  // Index = 4·bit(wire 0) + 2·bit(wire 1) + bit(wire 2).
  assertClose(q.forward([], th, 1), [
    a0 * a1 * a2, a0 * a1 * b2, a0 * b1 * a2, a0 * b1 * b2,
    b0 * a1 * a2, b0 * a1 * b2, b0 * b1 * a2, b0 * b1 * b2,
  ], 'probs()');
  // All wires listed in order is the same table; listed backwards, bit-reversed indices.
  assertClose(new QNode(productCircuit(3), probs([0, 1, 2])).forward([], th, 1), [
    a0 * a1 * a2, a0 * a1 * b2, a0 * b1 * a2, a0 * b1 * b2,
    b0 * a1 * a2, b0 * a1 * b2, b0 * b1 * a2, b0 * b1 * b2,
  ], 'probs([0, 1, 2])');
  assertClose(new QNode(productCircuit(3), probs([2, 1, 0])).forward([], th, 1), [
    a2 * a1 * a0, a2 * a1 * b0, a2 * b1 * a0, a2 * b1 * b0,
    b2 * a1 * a0, b2 * a1 * b0, b2 * b1 * a0, b2 * b1 * b0,
  ], 'probs([2, 1, 0])');
});

test('probs of one wire and of two wires in either order (marginals of a product state)', () => {
  const run = (wires: number[]) => new QNode(productCircuit(3), probs(wires)).forward([], th, 1);
  assertClose(run([0]), [a0, b0], 'probs([0])');
  assertClose(run([1]), [a1, b1], 'probs([1])');
  assertClose(run([2]), [a2, b2], 'probs([2])');
  // [0, 2]: index = 2·bit(wire 0) + bit(wire 2); [2, 0] is the transposed 2×2 table.
  assertClose(run([0, 2]), [a0 * a2, a0 * b2, b0 * a2, b0 * b2], 'probs([0, 2])');
  assertClose(run([2, 0]), [a2 * a0, a2 * b0, b2 * a0, b2 * b0], 'probs([2, 0])');
  assertClose(run([1, 2]), [a1 * a2, a1 * b2, b1 * a2, b1 * b2], 'probs([1, 2])');
  assertClose(run([2, 1]), [a2 * a1, a2 * b1, b2 * a1, b2 * b1], 'probs([2, 1])');
});

test('probs of an entangled state cos(θ/2)|001⟩ + sin(θ/2)|110⟩, marginals in every order', () => {
  // RY(θ) on wire 0, CNOT(0,1): cos|000⟩ + sin|110⟩; X on wire 2: cos|001⟩ + sin|111⟩;
  // CNOT(0,2): cos|001⟩ + sin|110⟩. Wires 0 and 1 agree, wire 2 is their negation.
  const theta = 0.8;
  const c = new Circuit(3).ry(0, w(0)).cnot(0, 1).x(2).cnot(0, 2);
  const p = c2(theta);
  const q = s2(theta);
  const run = (wires?: number[]) => new QNode(c, probs(wires)).forward([], [theta], 1);
  assertClose(run(), [0, p, 0, 0, 0, 0, q, 0], 'probs()');
  // |001⟩ → (wire 0, wire 2) = (0, 1) → index 1; |110⟩ → (1, 0) → index 2.
  assertClose(run([0, 2]), [0, p, q, 0], 'probs([0, 2])');
  // Reordered: |001⟩ → (wire 2, wire 0) = (1, 0) → index 2; |110⟩ → (0, 1) → index 1.
  assertClose(run([2, 0]), [0, q, p, 0], 'probs([2, 0])');
  assertClose(run([0, 1]), [p, 0, 0, q], 'probs([0, 1])');
  assertClose(run([1, 2]), [0, p, q, 0], 'probs([1, 2])');
  assertClose(run([2]), [q, p], 'probs([2])');
  assertClose(run([0]), [p, q], 'probs([0])');
  // A GHZ-type table over three wires in a scrambled order: |001⟩ → (w2, w0, w1) = (1, 0, 0) → 4;
  // |110⟩ → (0, 1, 1) → 3.
  assertClose(run([2, 0, 1]), [0, 0, 0, q, p, 0, 0, 0], 'probs([2, 0, 1])');
});

test('probs per sample of a batch: rotation angles from inputs', () => {
  const c = new Circuit(2).ry(0, x(0)).ry(1, x(1));
  const inputs = [0.4, 2.0, 1.7, -0.6];
  const out = new QNode(c, probs([1, 0])).forward(inputs, [], 2);
  const row = (t0: number, t1: number): number[] => [c2(t1) * c2(t0), c2(t1) * s2(t0), s2(t1) * c2(t0), s2(t1) * s2(t0)];
  assertClose(out, [...row(0.4, 2.0), ...row(1.7, -0.6)], 'probs([1, 0]) batch');
});

test('property: probs(any ordered subset) of a random RY product state on 4 wires is the product of its factors', () => {
  const n = 4;
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: n, maxLength: n }),
      // An ordered subset: some of the wires, in a random order.
      fc.shuffledSubarray([0, 1, 2, 3], { minLength: 1, maxLength: n }),
      (angles, wires) => {
        const out = new QNode(productCircuit(n), probs(wires)).forward([], angles, 1);
        const expected: number[] = [];
        for (let k = 0; k < 1 << wires.length; k++) {
          let p = 1;
          wires.forEach((wire, j) => {
            // Bit j of k counted from the most significant end belongs to wires[j].
            const bit = (k >> (wires.length - 1 - j)) & 1;
            p *= bit ? s2(angles[wire]) : c2(angles[wire]);
          });
          expected.push(p);
        }
        assertClose(out, expected, `probs([${wires.join(', ')}])`);
      },
    ),
    { numRuns: 200, seed: 11 },
  );
});
