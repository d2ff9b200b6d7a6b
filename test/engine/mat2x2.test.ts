// The 2×2 helpers that fused primitives and the adjoint sweep use, against matrices written out
// here from their textbook definitions (not from the engine's tables):
//   RX(a) = [[c, −is], [−is, c]], RY(a) = [[c, −s], [s, c]], RZ(a) = diag(e^{−ia/2}, e^{ia/2}),
//   P(a) = diag(1, e^{ia}), with c = cos(a/2), s = sin(a/2);
//   the tangent T = dU/da · U† is −iσ/2 for X, Y, Z and i|1⟩⟨1| for P.
// Layout: [r00, i00, r01, i01, r10, i10, r11, i11]. Outputs go into arrays with room to spare
// (filled with a sentinel) so a loop that writes past its 8 numbers is seen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dagger2, identity2, mul2, rotationMatrix, rotationTangent } from '../../src/engine/mat2x2.js';
import { Axis } from '../../src/engine/primitive.js';

type C = [number, number];
const SENTINEL = 12345;

function written(fill: (out: Float64Array) => void): number[] {
  const out = new Float64Array(12).fill(SENTINEL);
  fill(out);
  assert.deepEqual([...out.slice(8)], [SENTINEL, SENTINEL, SENTINEL, SENTINEL], 'nothing written past the 8 numbers');
  return [...out.slice(0, 8)];
}

function flat(m: [[C, C], [C, C]]): number[] {
  return [m[0][0], m[0][1], m[1][0], m[1][1]].flat();
}

function close(actual: number[], expected: number[], what: string): void {
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-15, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

function textbook(axis: Axis, a: number): number[] {
  const c = Math.cos(a / 2), s = Math.sin(a / 2);
  switch (axis) {
    case Axis.X: return flat([[[c, 0], [0, -s]], [[0, -s], [c, 0]]]);
    case Axis.Y: return flat([[[c, 0], [-s, 0]], [[s, 0], [c, 0]]]);
    case Axis.Z: return flat([[[c, -s], [0, 0]], [[0, 0], [c, s]]]);
    default: return flat([[[1, 0], [0, 0]], [[0, 0], [Math.cos(a), Math.sin(a)]]]);
  }
}

const axes = [Axis.X, Axis.Y, Axis.Z, Axis.P];

test('rotationMatrix is RX, RY, RZ and the phase shift as written out', () => {
  for (const axis of axes) for (const a of [0.37, -1.9, 2.8]) close(written((o) => rotationMatrix(axis, a, o)), textbook(axis, a), `axis ${axis}, a ${a}`);
});

test('rotationTangent is dU/da · U†: −iσ/2 for X, Y, Z and i|1⟩⟨1| for P (checked by differences)', () => {
  const expected: Record<number, number[]> = {
    [Axis.X]: flat([[[0, 0], [0, -0.5]], [[0, -0.5], [0, 0]]]),
    [Axis.Y]: flat([[[0, 0], [-0.5, 0]], [[0.5, 0], [0, 0]]]),
    [Axis.Z]: flat([[[0, -0.5], [0, 0]], [[0, 0], [0, 0.5]]]),
    [Axis.P]: flat([[[0, 0], [0, 0]], [[0, 0], [0, 1]]]),
  };
  for (const axis of axes) {
    const t = written((o) => rotationTangent(axis, o));
    close(t, expected[axis], `tangent of axis ${axis}`);
    // And the definition itself: central differences of the textbook matrix times its adjoint.
    const a = 0.7, h = 1e-6;
    const up = Float64Array.from(textbook(axis, a + h)), dn = Float64Array.from(textbook(axis, a - h));
    const d = Float64Array.from(up, (v, i) => (v - dn[i]) / (2 * h));
    const udag = new Float64Array(8);
    dagger2(Float64Array.from(textbook(axis, a)), udag);
    const prod = new Float64Array(8);
    mul2(d, udag, prod);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(prod[i] - t[i]) < 1e-8, `axis ${axis} [${i}]: ${prod[i]} vs ${t[i]}`);
  }
});

test('mul2, dagger2 and identity2 against the matrix product and conjugate transpose written out', () => {
  const num = fc.double({ min: -2, max: 2, noNaN: true });
  fc.assert(
    fc.property(fc.array(num, { minLength: 8, maxLength: 8 }), fc.array(num, { minLength: 8, maxLength: 8 }), (av, bv) => {
      const a = Float64Array.from(av), b = Float64Array.from(bv);
      const at = (m: Float64Array, i: number, j: number): C => [m[(2 * i + j) * 2], m[(2 * i + j) * 2 + 1]];
      const expected: number[] = [];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          const [p, q] = at(a, i, 0), [r, s] = at(b, 0, j), [t, u] = at(a, i, 1), [v, w] = at(b, 1, j);
          expected.push(p * r - q * s + (t * v - u * w), p * s + q * r + (t * w + u * v));
        }
      const got = written((o) => mul2(a, b, o));
      for (let i = 0; i < 8; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-12, `product [${i}]`);
      const dag = written((o) => dagger2(a, o));
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          const [re, im] = at(a, j, i);
          assert.equal(dag[(2 * i + j) * 2], re, `dagger re (${i},${j})`);
          assert.equal(dag[(2 * i + j) * 2 + 1], -im, `dagger im (${i},${j})`);
        }
    }),
    { numRuns: 50, seed: 3 },
  );
  const id = new Float64Array(8).fill(7);
  identity2(id);
  assert.deepEqual([...id], [1, 0, 0, 0, 0, 0, 1, 0], 'identity over a dirty buffer');
});
