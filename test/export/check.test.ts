// The checks refuse: a lowering that is wrong for one gate is caught and the gate named; circuits
// whose probabilities differ are refused with the difference; a correct lowering passes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Circuit } from '../../src/circuit/circuit.js';
import { w, x } from '../../src/circuit/params.js';
import { lowerCircuit } from '../../src/circuit/lower/pipeline.js';
import type { LoweredCircuit } from '../../src/circuit/lower/ops.js';
import { checkEachOperation, checkProbabilities } from '../../src/export/check.js';
import { ExportError } from '../../src/export/errors.js';

const circuit = new Circuit(3).rx(0, x(0)).cnot(0, 1).cry(1, 2, w(0)).rz(2, w(1));
const weights = [0.8, -0.3];
const samples = [Float64Array.of(0.4)];

test('a correct lowering passes the per-gate check', () => {
  checkEachOperation(circuit, 'ibm-cz', weights, samples);
  checkEachOperation(circuit, 'ionq-native', weights, samples, samples[0]);
});

test('a lowering wrong for one gate is refused, naming that operation', () => {
  // Drops the last two-qubit gate of whatever it lowers: wrong for CNOT and CRY only.
  const faulty: typeof lowerCircuit = (c, basis, opts): LoweredCircuit => {
    const l = lowerCircuit(c, basis, opts);
    const last = l.ops.map((op) => op.wires.length).lastIndexOf(2);
    return last < 0 ? l : { numWires: l.numWires, ops: l.ops.filter((_, i) => i !== last) };
  };
  assert.throws(
    () => checkEachOperation(circuit, 'ibm-cz', weights, samples, undefined, faulty),
    (e: unknown) => e instanceof ExportError && /^operation #1 \(CNOT on wires \[0, 1\]\): its lowering to ibm-cz differs/.test((e as Error).message) && /refusing to write/.test((e as Error).message),
  );
});

test('different probabilities are refused with their difference; equal ones pass', () => {
  const other = new Circuit(3).rx(0, x(0)).cnot(0, 1).cry(1, 2, w(0)).rz(2, w(1)).rx(2, 1e-3);
  assert.throws(() => checkProbabilities('the test circuit', circuit, weights, lowerFor(other), samples), /the test circuit gives probabilities that differ .* by up to \d\.\d+e-\d+ \(tolerance 1e-10\); refusing to write/);
  assert.ok(checkProbabilities('the lowered circuit', circuit, weights, lowerFor(circuit), samples) <= 1e-10, 'checkProbabilities(\'the lowered circuit\', circuit, weights, lowerFor(circuit), samples)...');
});

/** The circuit with its weights bound, as a circuit without weights (what the checks compare). */
function lowerFor(c: Circuit): Circuit {
  const b = new Circuit(3);
  for (const op of c.ops) b.add(op.gate, op.wires, op.params.map((p) => (p.kind === 'weight' ? p.scale * weights[p.index] + p.offset : p)));
  return b.declareInputs(1);
}
