// The reranker's similarity: the all-pairs fidelity matrix against the per-pair Fidelity class
// (a second method) and the reference simulator; its adjoint gradients, and the whole model's
// gradients (MLP → angles → circuit → fidelity), against central finite differences; the shot
// estimators' statistics; the swap-test circuit's ancilla probability (1 + F)/2.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Fidelity } from '../../src/engine/fidelity.js';
import { FidelityMatrix, fidelityOfStates, shotFidelities } from '../../src/engine/fidelity-matrix.js';
import { QNode } from '../../src/engine/qnode.js';
import { probs } from '../../src/circuit/measurements.js';
import { rerankerCircuit, swapTestCircuit } from '../../src/models/reranker/circuit.js';
import { numAngles, resolveRerankerConfig } from '../../src/models/reranker/config.js';
import { buildRerankerModel } from '../../src/models/reranker/model.js';
import { Rng } from '../../src/util/random.js';
import { cpu } from '../train/helpers.js';

before(cpu);

const shape = { qubits: 3, encodingLayers: 2, depth: 1, ansatz: 'strongly_entangling' as const };

function randomArray(n: number, rng: Rng, scale = 3): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
}

test('the fidelity matrix equals the per-pair Fidelity of every (query, document) pair, and states give the same overlaps', () => {
  const c = rerankerCircuit(shape);
  const rng = new Rng(3);
  const A = numAngles(shape);
  const wts = randomArray(c.numWeights, rng);
  const a = randomArray(2 * A, rng);
  const b = randomArray(3 * A, rng);
  b.set(a.subarray(0, A), 2 * A); // document 2 equals query 0: fidelity 1
  const S = new FidelityMatrix(c).forward(a, b, wts);
  const fid = new Fidelity(c);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 3; j++) {
      const F = fid.forward(a.subarray(i * A, (i + 1) * A), b.subarray(j * A, (j + 1) * A), wts)[0];
      assert.ok(Math.abs(S[i * 3 + j] - F) < 1e-12, `S[${i},${j}] = ${S[i * 3 + j]} vs ${F}`);
    }
  assert.ok(Math.abs(S[2] - 1) < 1e-12, 'Math.abs(S[2] - 1) < 1e-12');
  const m = new FidelityMatrix(c);
  const sa = m.states(a, wts);
  const sb = m.states(b, wts);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(fidelityOfStates(sa, i, sb, j) - S[i * 3 + j]) < 1e-12, 'Math.abs(fidelityOfStates(sa, i, sb, j) - S[i * 3 + j]) < 1e-12');
});

test('fidelity-matrix gradients (adjoint) match central finite differences for both sides and the shared weights', () => {
  const c = rerankerCircuit({ ...shape, ansatz: 'basic_entangler', depth: 2 });
  const rng = new Rng(5);
  const A = c.numInputs;
  const wts = randomArray(c.numWeights, rng);
  const a = randomArray(2 * A, rng);
  const b = randomArray(3 * A, rng);
  const G = randomArray(6, rng, 1);
  const m = new FidelityMatrix(c);
  m.forward(a, b, wts);
  const grads = m.vjp(G);
  const probe = new FidelityMatrix(c);
  const loss = (): number => probe.forward(a, b, wts).reduce((s, v, k) => s + G[k] * v, 0);
  const h = 1e-6;
  for (const [arr, g, what] of [[a, grads.inputsA, 'query angles'], [b, grads.inputsB, 'document angles'], [wts, grads.weights, 'weights']] as const) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      arr[i] = v + h;
      const up = loss();
      arr[i] = v - h;
      const down = loss();
      arr[i] = v;
      const fd = (up - down) / (2 * h);
      assert.ok(Math.abs(fd - g[i]) < 1e-6, `${what}[${i}]: adjoint ${g[i]} vs finite difference ${fd}`);
    }
  }
});

test('the model: gradients of a loss of the fidelities w.r.t. the MLP weights and the circuit weights match finite differences (float64 check on float32 tensors)', () => {
  const config = resolveRerankerConfig({ hidden: [5], dropout: 0, qubits: 2, encodingLayers: 1, depth: 1 });
  const rm = buildRerankerModel(config, 4, 11);
  const rng = new Rng(2);
  const q = tf.tensor2d(Float32Array.from({ length: 2 * 4 }, () => rng.normal()), [2, 4]);
  const d = tf.tensor2d(Float32Array.from({ length: 3 * 4 }, () => rng.normal()), [3, 4]);
  const G = tf.tensor2d([0.3, -0.8, 0.5, 1.1, -0.4, 0.9], [2, 3]);
  const lossFn = () => rm.scores(q, d, false).mul(G).sum() as tf.Scalar;
  const { grads } = tf.variableGrads(lossFn);
  // Finite differences on a few entries of every trainable variable (float32 forward: h = 1e-3
  // keeps the rounding error of the difference near 1e-4 and the truncation error below it).
  const h = 1e-3;
  for (const v of rm.model.trainableWeights) {
    const variable = v.read() as tf.Variable;
    const base = variable.dataSync().slice();
    const g = grads[variable.name].dataSync();
    for (const i of [0, Math.floor(base.length / 2), base.length - 1]) {
      const at = (delta: number): number => {
        const x = base.slice();
        x[i] += delta;
        variable.assign(tf.tensor(x, variable.shape));
        return lossFn().dataSync()[0];
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      variable.assign(tf.tensor(base, variable.shape));
      assert.ok(Math.abs(fd - g[i]) < 2e-3 * Math.max(1, Math.abs(fd)), `${v.originalName}[${i}]: gradient ${g[i]} vs finite difference ${fd}`);
    }
  }
  const S = rm.scores(q, d, false).dataSync();
  for (const s of S) assert.ok(s >= 0 && s <= 1 + 1e-6, `fidelity ${s} outside [0, 1]`);
  tf.dispose([q, d, G, ...Object.values(grads)]);
  rm.model.dispose();
});

test('shot estimates: unbiased with binomial spread for the inversion test, 2p̂ − 1 for the swap test, and fixed by the seed', () => {
  const exact = new Float64Array(400).fill(0.3);
  for (const [estimator, variance] of [['inversion', 0.3 * 0.7], ['swap', 1 - 0.09]] as const) {
    const shots = 200;
    const est = shotFidelities(exact, shots, 9, estimator);
    const mean = est.reduce((s, v) => s + v, 0) / est.length;
    const sd = Math.sqrt(est.reduce((s, v) => s + (v - mean) ** 2, 0) / (est.length - 1));
    // Mean within 5 standard errors; spread within 20% of the closed form sqrt(variance / shots).
    assert.ok(Math.abs(mean - 0.3) < 5 * Math.sqrt(variance / shots / est.length), `${estimator}: mean ${mean}`);
    assert.ok(Math.abs(sd / Math.sqrt(variance / shots) - 1) < 0.2, `${estimator}: sd ${sd} vs ${Math.sqrt(variance / shots)}`);
    assert.deepEqual([...shotFidelities(exact.subarray(0, 5), shots, 9, estimator)], [...est.subarray(0, 5)]);
  }
});

test('the swap-test circuit: P(ancilla = 0) = (1 + F)/2 for the reranker circuit\'s fidelity', () => {
  const s = { qubits: 2, encodingLayers: 2, depth: 1, ansatz: 'strongly_entangling' as const };
  const c = rerankerCircuit(s);
  const sw = swapTestCircuit(s);
  assert.equal(sw.numWires, 5);
  assert.equal(sw.numWeights, c.numWeights);
  const rng = new Rng(8);
  const A = c.numInputs;
  const wts = randomArray(c.numWeights, rng);
  const a = randomArray(A, rng);
  const b = randomArray(A, rng);
  const F = new FidelityMatrix(c).forward(a, b, wts)[0];
  const p = new QNode(sw, probs([0])).forward(Float64Array.from([...a, ...b]), wts);
  assert.ok(Math.abs(p[0] - (1 + F) / 2) < 1e-12, `P(0) = ${p[0]}, (1 + F)/2 = ${(1 + F) / 2}`);
  assert.ok(F > 0.01 && F < 0.99, 'a generic pair, not a trivial one');
});
