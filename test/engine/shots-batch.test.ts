// Shot estimates for a batch of samples: each sample is drawn from its own state, with its own
// slice of the seeded uniform stream. The existing shot tests use batches of one, so an index
// mix-up between samples (amplitude i of sample b sits at i·B + b) or an extra draw went unseen
// (mutation testing found both kinds surviving in statevector/sample.ts).
//
// Ground truth, written here from definitions and not from the engine:
// - product states RZ(φ)RY(θ)|0⟩ per wire have Bloch vectors (sin θ cos φ, sin θ sin φ, cos θ), so
//   ⟨X⟩, ⟨Y⟩, ⟨Z⟩ and the basis probabilities have closed forms;
// - inverse-CDF sampling: shot s of sample b takes the next uniform u of the seeded stream and
//   returns the first basis index whose cumulative probability exceeds u. The contract is that
//   samples draw in batch order, `shots` uniforms each, so a seed reproduces a run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { QNode } from '../../src/engine/qnode.js';
import { Rng } from '../../src/util/random.js';

/** RY(θ_q) then RZ(φ_q) on every wire q; inputs per sample: θ_0, φ_0, θ_1, φ_1, ... */
function productCircuit(n: number): Circuit {
  const c = new Circuit(n);
  for (let q = 0; q < n; q++) c.ry(q, x(2 * q)).rz(q, x(2 * q + 1));
  return c;
}

/** P(bit q = 1) = sin²(θ_q / 2); wire 0 is the most significant bit of the basis index. */
function exactProbs(n: number, angles: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < 2 ** n; i++) {
    let p = 1;
    for (let q = 0; q < n; q++) {
      const one = (i >> (n - 1 - q)) & 1;
      const p1 = Math.sin(angles[2 * q] / 2) ** 2;
      p *= one ? p1 : 1 - p1;
    }
    out.push(p);
  }
  return out;
}

// Sample 1 is deterministic (θ = π on wire 0, θ = 0 on wire 1: always |10⟩), so any estimate that
// reads another sample's amplitudes for it, or counts into another sample's slot, is off by a lot.
const batch = [
  [0.7, 0.2, 2.1, -0.4],
  [Math.PI, 0, 0, 0],
  [1.6, 1.1, 0.5, 2.5],
];
const inputs = Float64Array.from(batch.flat());

test('shot probabilities of a batch: each sample from its own state, exact counts / shots, summing to 1', () => {
  const shots = 4000;
  const q = new QNode(productCircuit(2), probs(), { shots, seed: 11 });
  const est = q.forward(inputs, [], 3);
  assert.equal(est.length, 3 * 4, 'one row of 4 probabilities per sample');
  for (let b = 0; b < 3; b++) {
    const row = [...est.slice(4 * b, 4 * b + 4)];
    const exact = exactProbs(2, batch[b]);
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      const counts = row[i] * shots;
      assert.ok(Math.abs(counts - Math.round(counts)) < 1e-9, `sample ${b}, index ${i}: ${row[i]} is not a count over ${shots}`);
      sum += Math.round(counts);
      const sd = Math.sqrt(exact[i] * (1 - exact[i]) / shots);
      assert.ok(Math.abs(row[i] - exact[i]) <= 5 * sd + 1e-12, `sample ${b}, index ${i}: ${row[i]} vs exact ${exact[i]}`);
    }
    assert.equal(sum, shots, `sample ${b}: counts add up to the shots`);
  }
  assert.deepEqual([...est.slice(4, 8)], [0, 0, 1, 0], 'the deterministic sample is always |10⟩');
});

test('shot probabilities follow inverse-CDF sampling of the seeded stream, sample after sample', () => {
  // One wire: P(0) = cos²(θ/2). Shot s of sample b is 1 exactly when the (b·shots + s)-th uniform
  // u of Rng(seed) has u ≥ P(0) (the first index whose cumulative probability exceeds u). With one
  // shot per sample and P(0) = 1/2, each of 48 samples reads one uniform: a draw too many or a
  // sample reading another's uniform misaligns most of them.
  for (const [shots, B] of [[1, 48], [37, 3]]) {
    const seed = 5;
    const thetas = Array.from({ length: B }, (_, b) => (b % 3 === 2 ? 2.4 : Math.PI / 2));
    const q = new QNode(new Circuit(1).ry(0, x(0)), probs(), { shots, seed });
    const rng = new Rng(seed);
    for (let round = 0; round < 2; round++) {
      // The second forward reuses the QNode's buffers and continues the stream.
      const est = q.forward(Float64Array.from(thetas), [], B);
      thetas.forEach((theta, b) => {
        const p0 = Math.cos(theta / 2) ** 2;
        let ones = 0;
        for (let s = 0; s < shots; s++) if (rng.next() >= p0) ones++;
        assert.equal(Math.round(est[2 * b + 1] * shots), ones, `shots ${shots}, round ${round}, sample ${b}: ones drawn`);
        assert.equal(Math.round(est[2 * b] * shots), shots - ones, `shots ${shots}, round ${round}, sample ${b}: zeros drawn`);
      });
    }
  }
});

test('shot expectation values of a batch: X, Y and Z bases per sample, constants added once per sample', () => {
  const shots = 20000;
  const words = ['Z0', 'X1', 'Y0', '0.25 + 2*Z0 Z1', 'X0 Y1'];
  const q = new QNode(productCircuit(2), expval(words.map((s) => parseObservable(s))), { shots, seed: 3 });
  const est = q.forward(inputs, [], 3);
  assert.equal(est.length, 3 * words.length, 'one row per sample');
  for (let b = 0; b < 3; b++) {
    const [t0, f0, t1, f1] = batch[b];
    const bloch = [
      { x: Math.sin(t0) * Math.cos(f0), y: Math.sin(t0) * Math.sin(f0), z: Math.cos(t0) },
      { x: Math.sin(t1) * Math.cos(f1), y: Math.sin(t1) * Math.sin(f1), z: Math.cos(t1) },
    ];
    const exact = [bloch[0].z, bloch[1].x, bloch[0].y, 0.25 + 2 * bloch[0].z * bloch[1].z, bloch[0].x * bloch[1].y];
    // A ±1 estimate's standard deviation is at most 1/sqrt(shots); the Z0 Z1 term carries weight 2.
    const width = [1, 1, 1, 2, 1].map((wgt) => (5 * wgt) / Math.sqrt(shots));
    for (let k = 0; k < words.length; k++) {
      const v = est[b * words.length + k];
      assert.ok(Math.abs(v - exact[k]) <= width[k], `sample ${b}, ${words[k]}: ${v} vs exact ${exact[k]}`);
    }
  }
  // The deterministic sample |10⟩: ⟨Z0⟩ = −1 and ⟨0.25 + 2 Z0 Z1⟩ = 0.25 − 2 exactly, every shot.
  assert.equal(est[words.length + 0], -1, 'deterministic ⟨Z0⟩');
  assert.equal(est[words.length + 3], 0.25 - 2, 'deterministic ⟨0.25 + 2 Z0 Z1⟩');
});

test('a constant observable estimated from shots is the constant for every sample, with no draws', () => {
  const q = new QNode(productCircuit(1), expval([parseObservable('0.5'), parseObservable('Z0')]), { shots: 64, seed: 9 });
  const est = q.forward(Float64Array.from([Math.PI / 2, 0, 1.2, 0]), [], 2);
  assert.equal(est[0], 0.5, 'sample 0 constant');
  assert.equal(est[2], 0.5, 'sample 1 constant');
  // The constant draws nothing, so ⟨Z0⟩ of sample 0 uses the stream from its start.
  const rng = new Rng(9);
  let sum = 0;
  const signs: number[] = [];
  for (let s = 0; s < 64; s++) signs.push(rng.next() >= 0.5 ? -1 : 1);
  for (const v of signs) sum += v;
  assert.equal(est[1], sum / 64, 'sample 0 ⟨Z0⟩ from the first 64 uniforms');
  // Had the constant drawn shots, ⟨Z0⟩ would come from uniforms 64..127 (or later): not these.
  let later = 0;
  for (let s = 0; s < 64; s++) later += rng.next() >= 0.5 ? -1 : 1;
  assert.notEqual(sum, later, 'the check above can tell the two streams apart (seed 9)');
});

test('shot parameter-shift: each shifted evaluation starts from zero counts (deterministic shifts give the exact gradient)', () => {
  // P(0) = cos²(w/2) at w = π/2: the shifts w ± π/2 give the basis states |1⟩ and |0⟩, whose
  // shot estimates are exact, so dP(0)/dw = (0 − 1)/2 and dP(1)/dw = (1 − 0)/2 whatever the seed.
  const q = new QNode(new Circuit(1).ry(0, w(0)), probs(), { shots: 16, seed: 1 });
  for (let round = 0; round < 2; round++) {
    q.forward([], [Math.PI / 2], 1);
    assert.equal(q.vjp([1, 0]).weights[0], -0.5, `round ${round}: dP(0)/dw`);
    assert.equal(q.vjp([0, 1]).weights[0], 0.5, `round ${round}: dP(1)/dw`);
  }
  // The same for ⟨Z⟩ = cos w and ⟨−Z⟩: shifts give ±1 exactly, so the derivatives are −1 and +1.
  const z = new QNode(new Circuit(1).ry(0, w(0)), expval([parseObservable('Z0'), parseObservable('-1*Z0')]), { shots: 16, seed: 1 });
  for (let round = 0; round < 2; round++) {
    z.forward([], [Math.PI / 2], 1);
    assert.equal(z.vjp([1, 0]).weights[0], -1, `round ${round}: d<Z>/dw`);
    assert.equal(z.vjp([0, 1]).weights[0], 1, `round ${round}: d<-Z>/dw`);
  }
});
