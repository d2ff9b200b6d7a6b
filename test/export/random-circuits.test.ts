// Random circuits over the whole gate table (fast-check): for every target basis the lowered
// circuit equals the original — its full unitary up to one global phase (matrices multiplied out
// here), and its probabilities on the engine to 1e-10 — with weights bound and inputs either bound
// or left symbolic; and only that basis's gates remain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { w, x } from '../../src/circuit/params.js';
import { BASES, lowerCircuit, type BasisName } from '../../src/circuit/lower/pipeline.js';
import { toTableCircuit } from '../../src/circuit/lower/ops.js';
import { withoutFinalRz } from '../../src/circuit/lower/stats.js';
import { engineProbs, maxDifference } from '../../src/export/check.js';
import { TEXTBOOK } from './textbook.js';
import { ALLOWED, circuitUnitary, loweredUnitary, phaseDistance, substituted } from './unitary.js';

const NUM_WIRES = 3;
const names = Object.keys(TEXTBOOK);

/** One random op: gate, wires (a permutation prefix), and for each parameter weight k or input k. */
const opArb = fc.record({
  gate: fc.constantFrom(...names),
  perm: fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
  sources: fc.array(fc.record({ input: fc.boolean(), index: fc.integer({ min: 0, max: 2 }), scale: fc.double({ min: -2, max: 2, noNaN: true }) }), { minLength: 3, maxLength: 3 }),
});

interface RandomOp { gate: string; perm: readonly number[]; sources: Array<{ input: boolean; index: number; scale: number }> }

function build(ops: RandomOp[]): Circuit {
  const c = new Circuit(NUM_WIRES);
  for (const op of ops) {
    const tb = TEXTBOOK[op.gate];
    const params = op.sources.slice(0, tb.params).map((s) => (s.input ? x(s.index, { scale: s.scale }) : w(s.index, { scale: s.scale })));
    c.add(op.gate, op.perm.slice(0, tb.wires), params);
  }
  c.declareInputs(3).declareWeights(3);
  return c;
}

const values = fc.array(fc.double({ min: -3.5, max: 3.5, noNaN: true }), { minLength: 3, maxLength: 3 });

for (const basis of Object.keys(BASES) as BasisName[]) {
  test(`random circuits lowered to ${basis}: same unitary up to phase and same probabilities on the engine`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 7 }), values, values, (ops, weights, inputs) => {
        const c = build(ops);
        const want = circuitUnitary(c, weights, inputs);
        const bound = lowerCircuit(c, basis, { weights, inputs });
        for (const op of bound.ops) assert.ok(ALLOWED[basis].includes(op.gate), op.gate);
        assert.ok(phaseDistance(loweredUnitary(bound), want) < 1e-9, 'unitary, inputs bound');
        const written = basis === 'ionq-native' ? withoutFinalRz(bound) : bound;
        const d = maxDifference(engineProbs(c, weights, [Float64Array.from(inputs)]), engineProbs(toTableCircuit(written, 0), [], [new Float64Array(0)]));
        assert.ok(d <= 1e-10, `probabilities differ by ${d}`);
        if (basis === 'ionq-native') return;
        const symbolic = lowerCircuit(c, basis, { weights });
        assert.ok(phaseDistance(loweredUnitary(substituted(symbolic, inputs)), want) < 1e-9, 'unitary, inputs symbolic');
        const ds = maxDifference(engineProbs(c, weights, [Float64Array.from(inputs)]), engineProbs(toTableCircuit(symbolic, 3), [], [Float64Array.from(inputs)]));
        assert.ok(ds <= 1e-10, `probabilities (symbolic) differ by ${ds}`);
      }),
      { numRuns: 25, seed: 2026 },
    );
  });
}
