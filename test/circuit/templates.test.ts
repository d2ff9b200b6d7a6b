// Templates reproduce hand-computed values (closed forms derived in the comments) and PennyLane's /
// Qiskit's wiring and weight layouts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { expval, probs } from '../../src/circuit/measurements.js';
import { parseObservable } from '../../src/circuit/observable-parse.js';
import {
  amplitudeEmbedding, angleEmbedding, basicEntanglerLayers, iqpEmbedding, realAmplitudes, ryCnotChainBlocks,
  stronglyEntanglingLayers, u3CU3RingBlocks, zzFeatureMap,
} from '../../src/circuit/templates.js';
import { QNode } from '../../src/engine/qnode.js';

const close = (a: number, b: number, msg = ''): void => assert.ok(Math.abs(a - b) < 1e-12, `${msg} ${a} vs ${b}`);
const ev = (c: Circuit, obs: string[], inputs: number[], weights: number[]): Float64Array =>
  new QNode(c, expval(obs.map((o) => parseObservable(o)))).forward(inputs, weights, 1);

test('AngleEmbedding: <Z_i> = cos x_i for X and Y rotations; Z rotations leave |0⟩ unchanged', () => {
  for (const rotation of ['X', 'Y'] as const) {
    const c = new Circuit(3);
    angleEmbedding(c, { rotation });
    const out = ev(c, ['Z0', 'Z1', 'Z2'], [0.3, -1.2, 2.5], []);
    [0.3, -1.2, 2.5].forEach((v, i) => close(out[i], Math.cos(v), rotation));
  }
  const cz = new Circuit(2);
  angleEmbedding(cz, { rotation: 'Z' });
  close(ev(cz, ['Z0'], [0.7, 0.1], [])[0], 1);
  const scaled = new Circuit(1);
  angleEmbedding(scaled, { scale: Math.PI });
  close(ev(scaled, ['Z0'], [0.25], [])[0], Math.cos(Math.PI / 4));
});

test('BasicEntanglerLayers (2 wires): RX(a)⊗RX(b), CNOT ⇒ <Z0> = cos a, <Z1> = cos a cos b', () => {
  const c = new Circuit(2);
  const tw = basicEntanglerLayers(c, { layers: 1 });
  assert.deepEqual(tw.shape, [1, 2]);
  assert.equal(c.ops.filter((o) => o.gate === 'CNOT').length, 1, 'two wires: one CNOT, not a ring');
  const out = ev(c, ['Z0', 'Z1'], [], [0.4, 1.1]);
  close(out[0], Math.cos(0.4));
  close(out[1], Math.cos(0.4) * Math.cos(1.1));
  const c3 = new Circuit(3);
  basicEntanglerLayers(c3, { layers: 1 });
  assert.deepEqual(c3.ops.filter((o) => o.gate === 'CNOT').map((o) => o.wires), [[0, 1], [1, 2], [2, 0]]);
});

test('StronglyEntanglingLayers: Rot per wire, CNOT(i, i+r) with r = (l mod (n−1)) + 1, weights [L, n, 3]', () => {
  // 2 wires, 1 layer: Rot(φ,θ,ω)|0⟩ has P(1) = sin²(θ/2); CNOT(0,1) CNOT(1,0) maps |a b⟩ → |b, a⊕b⟩,
  // so <Z0> = cos θ1 and <Z1> = cos θ0 cos θ1.
  const c = new Circuit(2);
  const tw = stronglyEntanglingLayers(c, { layers: 1 });
  assert.deepEqual(tw.shape, [1, 2, 3]);
  const wts = [0.3, 0.8, -0.4, 1.7, -1.1, 0.2];
  const out = ev(c, ['Z0', 'Z1'], [], wts);
  close(out[0], Math.cos(-1.1));
  close(out[1], Math.cos(0.8) * Math.cos(-1.1));
  const c3 = new Circuit(3);
  stronglyEntanglingLayers(c3, { layers: 3 });
  const cnots = c3.ops.filter((o) => o.gate === 'CNOT').map((o) => o.wires);
  assert.deepEqual(cnots.slice(0, 3), [[0, 1], [1, 2], [2, 0]], 'layer 0: r = 1');
  assert.deepEqual(cnots.slice(3, 6), [[0, 2], [1, 0], [2, 1]], 'layer 1: r = 2');
  assert.deepEqual(cnots.slice(6, 9), [[0, 1], [1, 2], [2, 0]], 'layer 2: r = 1');
  const rot = c3.ops.filter((o) => o.gate === 'Rot')[4]; // layer 1, wire 1
  assert.deepEqual(rot.params.map((p) => (p.kind === 'weight' ? p.index : -1)), [12, 13, 14]);
});

test('IQPEmbedding (2 wires): <X0> = cos a · cos(ab)', () => {
  // ψ(s0, s1) ∝ exp(−i/2 [a s0 + b s1 + ab s0 s1]) with s = ±1, so ψ(1,·)/ψ(0,·) = e^{i(a + ab s1)}.
  const c = new Circuit(2);
  iqpEmbedding(c);
  const [a, b] = [0.7, -1.3];
  close(ev(c, ['X0'], [a, b], [])[0], Math.cos(a) * Math.cos(a * b));
  const p = new QNode(c, probs()).forward([a, b], [], 1);
  p.forEach((v) => close(v, 0.25));
});

test("Qiskit's ZZFeatureMap (2 qubits, 1 rep): <X0> = cos 2a · cos 2φ with φ = (π − a)(π − b)", () => {
  const c = new Circuit(2);
  zzFeatureMap(c, { reps: 1 });
  const [a, b] = [0.4, 1.9];
  const phi = (Math.PI - a) * (Math.PI - b);
  close(ev(c, ['X0'], [a, b], [])[0], Math.cos(2 * a) * Math.cos(2 * phi));
  const c2 = new Circuit(3);
  zzFeatureMap(c2);
  assert.equal(c2.ops.filter((o) => o.gate === 'Hadamard').length, 6, 'default reps = 2');
});

test("Qiskit's RealAmplitudes (2 qubits, reps 1): <Z0> = cos t0 cos t2 − sin t0 sin t1 sin t2", () => {
  // After RY(t0)⊗RY(t1) and CX(0,1), qubit 0's coherence is scaled by ⟨φ|X|φ⟩ = sin t1.
  const c = new Circuit(2);
  const tw = realAmplitudes(c, { reps: 1 });
  assert.deepEqual(tw.shape, [2, 2]);
  const t = [0.5, 0.9, -1.4, 0.3];
  close(ev(c, ['Z0'], [], t)[0], Math.cos(t[0]) * Math.cos(t[2]) - Math.sin(t[0]) * Math.sin(t[1]) * Math.sin(t[2]));
  const c4 = new Circuit(4);
  realAmplitudes(c4, { reps: 1 });
  assert.deepEqual(c4.ops.filter((o) => o.gate === 'CNOT').map((o) => o.wires), [[2, 3], [1, 2], [0, 1]], 'reverse_linear');
});

test('Quantum-Train RY + CNOT chain: <Z2> = cos t0 cos t1 cos t2 (basis map a,b,c → a, a⊕b, a⊕b⊕c)', () => {
  const c = new Circuit(3);
  const tw = ryCnotChainBlocks(c, { layers: 1 });
  assert.deepEqual(tw.shape, [1, 3]);
  const t = [0.3, 1.2, -0.7];
  close(ev(c, ['Z2'], [], t)[0], Math.cos(t[0]) * Math.cos(t[1]) * Math.cos(t[2]));
});

test('Quantum-Train U3 + CU3 ring: 6n weights per block, CU3(i → i+1 mod n)', () => {
  const c = new Circuit(4);
  const tw = u3CU3RingBlocks(c, { layers: 2 });
  assert.equal(c.numWeights, 2 * 6 * 4);
  assert.deepEqual(tw.shape, [2, 24]);
  assert.deepEqual(c.ops.filter((o) => o.gate === 'CU3').slice(0, 4).map((o) => o.wires), [[0, 1], [1, 2], [2, 3], [3, 0]]);
  // With every CU3 angle zero the ring is the identity: <Z_i> = cos θ_i of the U3s.
  const w = new Array(48).fill(0);
  w[0] = 0.4; w[3] = -0.9; w[6] = 1.3; w[9] = 2.0;
  const out = ev(c, ['Z0', 'Z1', 'Z2', 'Z3'], [], w);
  [0.4, -0.9, 1.3, 2.0].forEach((v, i) => close(out[i], Math.cos(v)));
});

test('AmplitudeEmbedding: probabilities are the normalized squared (padded) features', () => {
  const c = new Circuit(2);
  amplitudeEmbedding(c, { numFeatures: 3, normalize: true, pad: 0.5 });
  const x = [1, -2, 3];
  const v = [...x, 0.5];
  const n2 = v.reduce((s, a) => s + a * a, 0);
  const p = new QNode(c, probs()).forward(x, [], 1);
  v.forEach((a, i) => close(p[i], (a * a) / n2));
  const strict = new Circuit(1);
  amplitudeEmbedding(strict);
  assert.throws(() => new QNode(strict, probs()).forward([1, 1], [], 1), /norm 1\.41421.*normalize: true/);
});
