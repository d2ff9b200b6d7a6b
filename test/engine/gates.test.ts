// Every gate's fast kernel reproduces the matrix the gate table declares: on random states, on
// every wire placement, with parameters shared (weights) and per sample (inputs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { GATES } from '../../src/circuit/gates.js';
import { cmat, unitarityError } from '../../src/circuit/matrix.js';
import { w, x, type ParamRef } from '../../src/circuit/params.js';
import { state } from '../../src/circuit/measurements.js';
import { QNode } from '../../src/engine/qnode.js';
import { rand, referenceState } from './reference.js';

const N = 4;
const B = 3;
const DIM = 1 << N;

/** A circuit whose initial state is a random (amplitude-embedded, complexified by gates) state. */
function randomStateCircuit(): Circuit {
  const c = new Circuit(N);
  c.setAmplitudeInit({ firstInput: 0, length: DIM, normalize: true, pad: 0 });
  // Give the state complex phases with constant gates before the gate under test.
  for (let q = 0; q < N; q++) c.rx(q, 0.3 + q).rz(q, 1.1 * q + 0.2);
  c.cnot(0, 2);
  return c;
}

function placements(k: number): number[][] {
  const out: number[][] = [];
  const rec = (cur: number[]): void => {
    if (cur.length === k) return void out.push(cur);
    for (let q = 0; q < N; q++) if (!cur.includes(q)) rec([...cur, q]);
  };
  rec([]);
  return out;
}

function check(gate: string, nWires: number, nParams: number, perSample: boolean, matrix?: ReturnType<typeof cmat>): void {
  const r = rand(gate.length * 7919 + (perSample ? 1 : 0));
  for (const wires of placements(nWires)) {
    const c = randomStateCircuit();
    const params: ParamRef[] = [];
    for (let p = 0; p < nParams; p++) params.push(perSample ? x(DIM + p) : w(p));
    c.add(gate, wires, params, matrix);
    const nIn = DIM + (perSample ? nParams : 0);
    const inputs = Float64Array.from({ length: B * nIn }, () => r() * 2 - 1);
    const weights = Float64Array.from({ length: c.numWeights }, () => r() * 6 - 3);
    const q = new QNode(c, state());
    const out = q.forward(inputs, weights);
    for (let b = 0; b < B; b++) {
      const ref = referenceState(c, weights, inputs.subarray(b * nIn, (b + 1) * nIn));
      for (let i = 0; i < DIM; i++) {
        const dr = Math.abs(out[b * 2 * DIM + i] - ref.re[i]);
        const di = Math.abs(out[b * 2 * DIM + DIM + i] - ref.im[i]);
        assert.ok(dr < 1e-12 && di < 1e-12, `${gate} on wires ${wires} (${perSample ? 'per-sample' : 'shared'}), sample ${b}, amplitude ${i}: off by ${Math.max(dr, di)}`);
      }
    }
  }
}

for (const [name, def] of Object.entries(GATES)) {
  test(`kernel of ${name} reproduces its declared matrix (shared parameters)`, () => check(name, def.numWires, def.numParams, false));
  if (def.numParams > 0) {
    test(`kernel of ${name} reproduces its declared matrix (per-sample parameters)`, () => check(name, def.numWires, def.numParams, true));
  }
}

test('MultiRZ on 1, 2, 3 and 4 wires matches exp(-iθ/2 Z…Z)', () => {
  for (let k = 1; k <= 4; k++) check('MultiRZ', k, 1, k % 2 === 0);
});

test('QubitUnitary on one and two wires applies the given matrix', () => {
  const s = Math.SQRT1_2;
  const u1 = cmat([
    [[s, 0], [0, s]],
    [[0, s], [s, 0]],
  ]);
  assert.ok(unitarityError(u1) < 1e-15, 'unitarityError(u1) < 1e-15');
  check('QubitUnitary', 1, 0, false, u1);
  // A random-ish 2-wire unitary: product of declared gate matrices.
  const u2 = GATES.CRot.matrix([0.3, -1.2, 2.2]);
  check('QubitUnitary', 2, 0, false, u2);
});

test('every declared gate matrix is unitary', () => {
  for (const [name, def] of Object.entries(GATES)) {
    const m = def.matrix(Array.from({ length: def.numParams }, (_, i) => 0.37 + i));
    assert.ok(unitarityError(m) < 1e-12, `${name} is not unitary`);
  }
});
