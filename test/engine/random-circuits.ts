// Random circuits for property-based tests: every gate of the table, parameters that are weights,
// affine inputs, input products, expressions and constants, and QubitUnitary on one or two wires
// with random unitaries (a gate with no parameters whose adjoint must undo it with U†).

import fc from 'fast-check';
import { Circuit } from '../../src/circuit/circuit.js';
import { GATES } from '../../src/circuit/gates.js';
import { c as konst, expr, w, x, xx, type ParamRef } from '../../src/circuit/params.js';
import { randomUnitary } from './random-unitary.js';

export interface RandomCircuit {
  circuit: Circuit;
  weights: Float64Array;
  inputs: Float64Array;
  batch: number;
}

const gateNames = [...Object.keys(GATES), 'MultiRZ', 'QubitUnitary'];

/** Arbitrary circuit on 1..maxWires wires with up to maxOps gates; `withAmplitude` adds an AmplitudeEmbedding start. */
export function arbCircuit(maxWires = 4, maxOps = 14, numInputs = 3, withAmplitude = false, minWires = 2): fc.Arbitrary<RandomCircuit> {
  return fc
    .record({
      n: fc.integer({ min: minWires, max: maxWires }),
      batch: fc.integer({ min: 1, max: 3 }),
      ops: fc.array(
        fc.record({
          gate: fc.constantFrom(...gateNames),
          wireSeed: fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 }),
          paramKinds: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 }),
          idx: fc.array(fc.nat(100), { minLength: 3, maxLength: 3 }),
          val: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: maxOps },
      ),
      seedVals: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 64, maxLength: 64 }),
    })
    .map(({ n, batch, ops, seedVals }) => {
      const c = new Circuit(n);
      const amp = withAmplitude ? Math.min(1 << n, 4) : 0;
      if (withAmplitude) c.setAmplitudeInit({ firstInput: numInputs, length: amp, normalize: true, pad: 0.5 });
      const nW = 5;
      c.declareWeights(nW);
      c.declareInputs(numInputs + amp);
      for (const op of ops) {
        const def = GATES[op.gate];
        const unitary = op.gate === 'QubitUnitary';
        const nWires = def ? def.numWires : unitary ? 1 + (op.wireSeed[3] % 2) : 1 + (op.wireSeed[3] % n);
        if (nWires > n) continue;
        const wires: number[] = [];
        for (let i = 0; wires.length < nWires; i++) {
          const cand = (op.wireSeed[i % 4] + i * 7) % n;
          if (!wires.includes(cand)) wires.push(cand);
          else wires.push(...Array.from({ length: n }, (_, q) => q).filter((q) => !wires.includes(q)).slice(0, 1));
        }
        if (unitary) {
          // The matrix is drawn from the op's own numbers, so a failing case replays from its seed.
          c.unitary(wires.slice(0, nWires), randomUnitary(1 << nWires, op.wireSeed[0] * 1009 + op.idx[0]));
          continue;
        }
        const nParams = def ? def.numParams : 1;
        const params: ParamRef[] = [];
        for (let p = 0; p < nParams; p++) {
          const k = op.paramKinds[p];
          const i = op.idx[p];
          const v = op.val[p];
          params.push(
            k === 0 ? w(i % nW)
              : k === 1 ? w(i % nW, { scale: v, offset: 0.3 })
              : k === 2 ? x(i % numInputs, { scale: v, offset: -0.2 })
              : k === 3 ? xx(i % numInputs, (i + 1) % numInputs, { scale: 0.7, offsetA: v, offsetB: 0.1 })
              : k === 4 ? expr({ op: '*', a: { op: 'fn', name: 'sin', a: { op: 'weight', index: i % nW } }, b: { op: '+', a: { op: 'input', index: i % numInputs }, b: { op: 'num', value: v } } })
              : konst(v),
          );
        }
        c.add(op.gate, wires.slice(0, nWires), params);
      }
      const weights = Float64Array.from({ length: nW }, (_, i) => seedVals[i] * 2);
      const nIn = numInputs + amp;
      // Amplitude-embedded features are kept away from the all-zero vector (not normalizable).
      const inputs = Float64Array.from({ length: batch * nIn }, (_, i) => seedVals[(8 + i) % 64] + (i % nIn >= numInputs ? 2 : 0));
      return { circuit: c, weights, inputs, batch };
    });
}
