// Fidelity (values and gradients), finite-shot estimates, and norm preservation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs, state } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import { w, x } from '../../src/circuit/params.js';
import { angleEmbedding, stronglyEntanglingLayers } from '../../src/circuit/templates.js';
import { Fidelity } from '../../src/engine/fidelity.js';
import { QNode } from '../../src/engine/qnode.js';
import { arbCircuit } from './random-circuits.js';
import { rand, referenceState } from './reference.js';

function kernelCircuit(): Circuit {
  const c = new Circuit(3);
  angleEmbedding(c, { rotation: 'Y' });
  stronglyEntanglingLayers(c, { layers: 2 });
  return c;
}

test('fidelity equals |<ψ(a)|ψ(b)>|² from the reference simulator, and is 1 for equal inputs', () => {
  const c = kernelCircuit();
  const r = rand(3);
  const wts = Float64Array.from({ length: c.numWeights }, () => r() * 6);
  const a = Float64Array.from({ length: 2 * 3 }, () => r() * 2 - 1);
  const b = Float64Array.from({ length: 2 * 3 }, () => r() * 2 - 1);
  b.set(a.subarray(3, 6), 3); // the second pair is identical
  const F = new Fidelity(c).forward(a, b, wts);
  const sa = referenceState(c, wts, a.subarray(0, 3));
  const sb = referenceState(c, wts, b.subarray(0, 3));
  let re = 0;
  let im = 0;
  for (let i = 0; i < 8; i++) {
    re += sa.re[i] * sb.re[i] + sa.im[i] * sb.im[i];
    im += sa.re[i] * sb.im[i] - sa.im[i] * sb.re[i];
  }
  assert.ok(Math.abs(F[0] - (re * re + im * im)) < 1e-13, 'Math.abs(F[0] - (re * re + im * im)) < 1e-13');
  assert.ok(Math.abs(F[1] - 1) < 1e-13, 'Math.abs(F[1] - 1) < 1e-13');
});

test('fidelity gradients (adjoint) match central finite differences for weights and both inputs', () => {
  const c = kernelCircuit();
  const r = rand(5);
  const wts = Float64Array.from({ length: c.numWeights }, () => r() * 6);
  const a = Float64Array.from({ length: 2 * 3 }, () => r() * 2 - 1);
  const b = Float64Array.from({ length: 2 * 3 }, () => r() * 2 - 1);
  const g = [0.7, -1.3];
  const fid = new Fidelity(c);
  fid.forward(a, b, wts);
  const grads = fid.vjp(g);
  const loss = (aa: Float64Array, bb: Float64Array, ww: Float64Array): number => {
    const F = new Fidelity(c).forward(aa, bb, ww);
    return g[0] * F[0] + g[1] * F[1];
  };
  const h = 1e-6;
  const fd = (arr: Float64Array, i: number, f: () => number): number => {
    const v = arr[i];
    arr[i] = v + h;
    const p = f();
    arr[i] = v - h;
    const m = f();
    arr[i] = v;
    return (p - m) / (2 * h);
  };
  for (let j = 0; j < wts.length; j++) {
    const num = fd(wts, j, () => loss(a, b, wts));
    assert.ok(Math.abs(grads.weightsA[j] + grads.weightsB[j] - num) < 1e-7, `weight ${j}`);
  }
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(grads.inputsA[i] - fd(a, i, () => loss(a, b, wts))) < 1e-7, `inputA ${i}`);
    assert.ok(Math.abs(grads.inputsB[i] - fd(b, i, () => loss(a, b, wts))) < 1e-7, `inputB ${i}`);
  }
});

test('the norm stays 1 within 1e-12 over thousands of random gates', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
      const r = rand(seed);
      const c = new Circuit(6);
      const gates = ['RX', 'RY', 'RZ', 'Rot', 'U3', 'CNOT', 'CRX', 'CU3', 'IsingXX', 'IsingYY', 'MultiRZ', 'Hadamard', 'SX', 'SWAP', 'Toffoli', 'CRot'];
      for (let k = 0; k < 2500; k++) {
        const g = gates[Math.floor(r() * gates.length)];
        const nw = { CNOT: 2, CRX: 2, CU3: 2, IsingXX: 2, IsingYY: 2, SWAP: 2, CRot: 2, Toffoli: 3, MultiRZ: 3 }[g] ?? 1;
        const np = { RX: 1, RY: 1, RZ: 1, Rot: 3, U3: 3, CRX: 1, CU3: 3, IsingXX: 1, IsingYY: 1, MultiRZ: 1, CRot: 3 }[g] ?? 0;
        const wires: number[] = [];
        while (wires.length < nw) {
          const q = Math.floor(r() * 6);
          if (!wires.includes(q)) wires.push(q);
        }
        c.add(g, wires, Array.from({ length: np }, () => r() * 12 - 6));
      }
      const out = new QNode(c, state()).forward([], [], 2);
      for (let b = 0; b < 2; b++) {
        let n2 = 0;
        for (let i = 0; i < 128; i++) n2 += out[b * 128 + i] ** 2;
        assert.ok(Math.abs(n2 - 1) < 1e-12, `norm² = ${n2}`);
      }
    }),
    { numRuns: 5, seed: 1 },
  );
});

test('shot estimates converge to the exact values like 1/sqrt(N) and are reproducible by seed', () => {
  const c = kernelCircuit();
  const r = rand(11);
  const wts = Float64Array.from({ length: c.numWeights }, () => r() * 6);
  const inputs = Float64Array.from({ length: 3 }, () => r());
  const obs = ['Z0', 'X1 Y2', '0.5*Y0 + Z1 Z2'].map((s) => parseObservable(s));
  const exact = new QNode(c, expval(obs)).forward(inputs, wts);
  for (const shots of [1000, 100000]) {
    const est = new QNode(c, expval(obs), { shots, seed: 1 }).forward(inputs, wts);
    const again = new QNode(c, expval(obs), { shots, seed: 1 }).forward(inputs, wts);
    assert.deepEqual([...est], [...again]);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(est[k] - exact[k]) < 6 / Math.sqrt(shots), `shots ${shots}, obs ${k}: ${est[k]} vs ${exact[k]}`);
  }
  const other = new QNode(c, expval(obs), { shots: 1000, seed: 2 }).forward(inputs, wts);
  assert.notDeepEqual([...other], [...new QNode(c, expval(obs), { shots: 1000, seed: 1 }).forward(inputs, wts)]);
  const p = new QNode(c, probs([2, 0]), { shots: 50000, seed: 3 }).forward(inputs, wts);
  const pe = new QNode(c, probs([2, 0])).forward(inputs, wts);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-12, 'Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-12');
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(p[i] - pe[i]) < 0.01, 'Math.abs(p[i] - pe[i]) < 0.01');
});

test('shot-based gradients use parameter-shift on sampled estimates and approach the exact gradient', () => {
  const c = new Circuit(2).ry(0, x(0)).cnot(0, 1).rx(1, w(0));
  const obs = [parseObservable('Z1')];
  const exact = new QNode(c, expval(obs));
  exact.forward([0.4], [0.8]);
  const ge = exact.vjp([1]).weights[0];
  const q = new QNode(c, expval(obs), { shots: 200000, seed: 4 });
  assert.equal(q.diffMethod, 'parameter-shift');
  q.forward([0.4], [0.8]);
  const gs = q.vjp([1]).weights[0];
  assert.ok(Math.abs(gs - ge) < 0.01, `${gs} vs ${ge}`);
  assert.throws(() => new QNode(c, expval(obs), { shots: 10, diffMethod: 'adjoint' }), /adjoint method needs the exact state/);
});

test('random circuits: batched engine state equals the reference simulator per sample', () => {
  fc.assert(
    fc.property(arbCircuit(4, 12), (rc) => {
      const out = new QNode(rc.circuit, state()).forward(rc.inputs, rc.weights, rc.batch);
      const d = 1 << rc.circuit.numWires;
      const nIn = rc.circuit.numInputs;
      for (let b = 0; b < rc.batch; b++) {
        const ref = referenceState(rc.circuit, rc.weights, rc.inputs.subarray(b * nIn, (b + 1) * nIn));
        for (let i = 0; i < d; i++) {
          assert.ok(Math.abs(out[b * 2 * d + i] - ref.re[i]) < 1e-12, 'Math.abs(out[b * 2 * d + i] - ref.re[i]) < 1e-12');
          assert.ok(Math.abs(out[b * 2 * d + d + i] - ref.im[i]) < 1e-12, 'Math.abs(out[b * 2 * d + d + i] - ref.im[i]) < 1e-12');
        }
      }
    }),
    { numRuns: 200, seed: 12 },
  );
});
