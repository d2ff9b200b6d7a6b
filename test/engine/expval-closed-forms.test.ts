// expval of Pauli words, and their gradients, against closed forms written out by hand. On a
// product state the expectation of a Pauli word is the product of one Bloch-vector component per
// factor, so every word (X, Y, Z factors; one, two or three Y factors, where the engine's phase
// i^{nY} differs) has a known value, and so has its derivative in every angle. Only the public
// entries are used (Circuit, QNode, expval), so these tests survive refactors of the engine.
//
// The random-circuit gradient tests compare methods that share the measurement kernels, and their
// observables hold at most one Y per word; a mutation review (MUTATION.md, measure.ts) found that
// the nY = 2 and nY = 3 branches of the expval and co-state kernels could be changed without any
// other test noticing (7 mutants, applied by hand; each fails this file).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit, expval, parseObservable, w, x } from '../../src/circuit/index.js';
import { QNode, type DiffMethod } from '../../src/engine/index.js';

const TOL = 1e-12;

// RZ(φ) RY(θ) |0⟩ has the Bloch vector r = (sin θ cos φ, sin θ sin φ, cos θ):
// RY(θ)|0⟩ = cos(θ/2)|0⟩ + sin(θ/2)|1⟩ points at (sin θ, 0, cos θ), and RZ(φ) turns it by φ about z.
type Pauli = 'X' | 'Y' | 'Z';
const bloch = (p: Pauli, t: number, f: number): number =>
  p === 'X' ? Math.sin(t) * Math.cos(f) : p === 'Y' ? Math.sin(t) * Math.sin(f) : Math.cos(t);
const dBlochDTheta = (p: Pauli, t: number, f: number): number =>
  p === 'X' ? Math.cos(t) * Math.cos(f) : p === 'Y' ? Math.cos(t) * Math.sin(f) : -Math.sin(t);
const dBlochDPhi = (p: Pauli, t: number, f: number): number =>
  p === 'X' ? -Math.sin(t) * Math.sin(f) : p === 'Y' ? Math.sin(t) * Math.cos(f) : 0;

/** A weighted sum of Pauli words plus a constant, both as text (for the parser) and as data. */
interface Obs {
  text: string;
  terms: Array<{ coeff: number; word: Array<[Pauli, number]> }>;
  constant: number;
}

const OBS: Obs[] = [
  { text: 'Y0 Y1', terms: [{ coeff: 1, word: [['Y', 0], ['Y', 1]] }], constant: 0 },
  { text: 'Y0 Y1 Y2', terms: [{ coeff: 1, word: [['Y', 0], ['Y', 1], ['Y', 2]] }], constant: 0 },
  { text: '0.7*X0 Y1 Z2', terms: [{ coeff: 0.7, word: [['X', 0], ['Y', 1], ['Z', 2]] }], constant: 0 },
  { text: 'Y1', terms: [{ coeff: 1, word: [['Y', 1]] }], constant: 0 },
  { text: '-1.3*Y0 X1 Y2', terms: [{ coeff: -1.3, word: [['Y', 0], ['X', 1], ['Y', 2]] }], constant: 0 },
  { text: 'X0 X2', terms: [{ coeff: 1, word: [['X', 0], ['X', 2]] }], constant: 0 },
  { text: 'Z0 Z1', terms: [{ coeff: 1, word: [['Z', 0], ['Z', 1]] }], constant: 0 },
  {
    text: '0.5*Y0 Y2 - 2*Z1 + X1 Y2 + 0.25',
    terms: [
      { coeff: 0.5, word: [['Y', 0], ['Y', 2]] },
      { coeff: -2, word: [['Z', 1]] },
      { coeff: 1, word: [['X', 1], ['Y', 2]] },
    ],
    constant: 0.25,
  },
];

/** ⟨O⟩ on the product state with angles θ, φ per wire, and its derivatives in each θ_i and φ_i. */
function closedForm(o: Obs, th: readonly number[], ph: readonly number[]): { value: number; dTheta: number[]; dPhi: number[] } {
  let value = o.constant;
  const dTheta = th.map(() => 0);
  const dPhi = th.map(() => 0);
  for (const { coeff, word } of o.terms) {
    const factor = (skip: number) => word.reduce((acc, [p, q]) => (q === skip ? acc : acc * bloch(p, th[q], ph[q])), coeff);
    value += factor(-1);
    for (const [p, q] of word) {
      dTheta[q] += factor(q) * dBlochDTheta(p, th[q], ph[q]);
      dPhi[q] += factor(q) * dBlochDPhi(p, th[q], ph[q]);
    }
  }
  return { value, dTheta, dPhi };
}

const N = 3;
const B = 2;
// θ per sample (inputs x(i)), φ shared (weights w(i)): both the per-sample and the batch-summed
// gradient paths are exercised. Angles away from multiples of π/2 so that no component vanishes.
const INPUTS = [0.4, 1.9, -2.3, 1.1, -0.7, 2.6]; // [b * N + i] = θ_i of sample b
const WEIGHTS = [0.9, -1.4, 2.2]; // φ_i
const thetaOf = (b: number): number[] => INPUTS.slice(b * N, (b + 1) * N);

function circuit(): Circuit {
  const c = new Circuit(N);
  for (let i = 0; i < N; i++) c.ry(i, x(i)).rz(i, w(i));
  return c;
}

function qnode(method: DiffMethod = 'adjoint'): QNode {
  return new QNode(circuit(), expval(OBS.map((o) => parseObservable(o.text))), { diffMethod: method });
}

test('expval of Pauli words with 0 to 3 Y factors on a product state equals the product of Bloch components', () => {
  const out = qnode().forward(INPUTS, WEIGHTS, B);
  const K = OBS.length;
  assert.equal(out.length, B * K);
  for (let b = 0; b < B; b++)
    OBS.forEach((o, k) => {
      const want = closedForm(o, thetaOf(b), WEIGHTS).value;
      assert.ok(Math.abs(out[b * K + k] - want) < TOL, `sample ${b}, ⟨${o.text}⟩: got ${out[b * K + k]}, expected ${want}`);
    });
});

for (const method of ['adjoint', 'parameter-shift'] as const) {
  test(`${method}: the VJP of Pauli-word expvals equals the closed-form derivatives`, () => {
    const q = qnode(method);
    const out = q.forward(INPUTS, WEIGHTS, B);
    const K = OBS.length;
    // A cotangent with distinct, non-zero entries, so each output's gradient contributes visibly.
    const g = Float64Array.from(out, (_, i) => 0.3 + 0.2 * i - 0.05 * i * i);
    const v = q.vjp(g);
    const wantX = new Array<number>(B * N).fill(0);
    const wantW = new Array<number>(N).fill(0);
    for (let b = 0; b < B; b++)
      OBS.forEach((o, k) => {
        const cf = closedForm(o, thetaOf(b), WEIGHTS);
        for (let i = 0; i < N; i++) {
          wantX[b * N + i] += g[b * K + k] * cf.dTheta[i];
          wantW[i] += g[b * K + k] * cf.dPhi[i];
        }
      });
    for (let i = 0; i < B * N; i++) assert.ok(Math.abs(v.inputs[i] - wantX[i]) < TOL, `d/dθ input ${i}: got ${v.inputs[i]}, expected ${wantX[i]}`);
    for (let i = 0; i < N; i++) assert.ok(Math.abs(v.weights[i] - wantW[i]) < TOL, `d/dφ weight ${i}: got ${v.weights[i]}, expected ${wantW[i]}`);
  });
}

test('adjoint: the gradient of one Pauli word at a time (one-hot cotangents, repeated VJPs) is its closed-form derivative', () => {
  // One output at a time, so that an error in one word's co-state cannot cancel against another's;
  // one QNode for all of them, so that each VJP must start from a cleared co-state.
  const K = OBS.length;
  const q = qnode();
  q.forward(INPUTS, WEIGHTS, B);
  OBS.forEach((o, k) => {
    const g = new Float64Array(B * K);
    g[k] = 1; // sample 0 only
    g[K + k] = -0.5; // sample 1
    const v = q.vjp(g);
    const c0 = closedForm(o, thetaOf(0), WEIGHTS);
    const c1 = closedForm(o, thetaOf(1), WEIGHTS);
    for (let i = 0; i < N; i++) {
      assert.ok(Math.abs(v.inputs[i] - c0.dTheta[i]) < TOL, `⟨${o.text}⟩ d/dθ_${i} sample 0: got ${v.inputs[i]}, expected ${c0.dTheta[i]}`);
      assert.ok(Math.abs(v.inputs[N + i] + 0.5 * c1.dTheta[i]) < TOL, `⟨${o.text}⟩ d/dθ_${i} sample 1: got ${v.inputs[N + i]}, expected ${-0.5 * c1.dTheta[i]}`);
      const wantW = c0.dPhi[i] - 0.5 * c1.dPhi[i];
      assert.ok(Math.abs(v.weights[i] - wantW) < TOL, `⟨${o.text}⟩ d/dφ_${i}: got ${v.weights[i]}, expected ${wantW}`);
    }
  });
});
