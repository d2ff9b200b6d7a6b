// The equivalence checks every export runs before it writes anything:
//   1. per operation: the operation lowered on its own equals the gate table's matrix up to one
//      global phase (inputs substituted by each check sample), so a failure names the gate;
//   2. the whole lowered circuit gives the original's probabilities on the engine, for every check
//      sample (bound inputs: the one sample), to PROBABILITY_TOLERANCE;
//   3. the written file itself, read back (OpenQASM through our importer, IonQ JSON through its
//      reader), gives the same probabilities again.
// Probabilities and "unitary up to phase" are what hardware can observe; a global phase is not.

import { embed, identity, matmul, type ComplexMatrix } from '../circuit/matrix.js';
import { GATES, multiRZMatrix } from '../circuit/gates.js';
import { probs } from '../circuit/measurements.js';
import { evalExprDual } from '../circuit/expr.js';
import { evalParam } from '../circuit/params.js';
import { num } from '../circuit/lower/angle.js';
import { describeOp } from '../circuit/lower/expand.js';
import { lowerCircuit, type BasisName } from '../circuit/lower/pipeline.js';
import { lowMatrix, type LoweredCircuit, type LowOp } from '../circuit/lower/ops.js';
import { Circuit } from '../circuit/circuit.js';
import { QNode } from '../engine/qnode.js';
import { ExportError } from './errors.js';

export const PROBABILITY_TOLERANCE = 1e-10;
/** Per-operation unitaries: entries agree to this, up to one global phase. */
export const UNITARY_TOLERANCE = 1e-9;

/** Probabilities of all basis states for each input row: [rows.length][2^n]. */
export function engineProbs(circuit: Circuit, weights: ArrayLike<number>, rows: readonly Float64Array[]): Float64Array[] {
  const q = new QNode(circuit, probs());
  const nIn = circuit.numInputs;
  const batch = Math.max(1, rows.length);
  const flat = new Float64Array(batch * nIn);
  rows.forEach((r, b) => flat.set(r.subarray(0, nIn), b * nIn));
  const out = q.forward(flat, weights, batch);
  const d = 1 << circuit.numWires;
  return Array.from({ length: batch }, (_, b) => out.slice(b * d, (b + 1) * d));
}

export function maxDifference(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, k) => (m = Math.max(m, Math.abs(v - b[i][k])))));
  return m;
}

/** e^{iγ}-insensitive distance between two unitaries. */
export function phaseDistance(a: ComplexMatrix, b: ComplexMatrix): number {
  let k = 0;
  for (let i = 0; i < b.re.length; i++) if (Math.hypot(b.re[i], b.im[i]) > Math.hypot(b.re[k], b.im[k])) k = i;
  const n = Math.hypot(a.re[k], a.im[k]) * Math.hypot(b.re[k], b.im[k]) || 1;
  const pr = (a.re[k] * b.re[k] + a.im[k] * b.im[k]) / n;
  const pi = (a.im[k] * b.re[k] - a.re[k] * b.im[k]) / n;
  let d = 0;
  for (let i = 0; i < a.re.length; i++) d = Math.max(d, Math.hypot(a.re[i] - (pr * b.re[i] - pi * b.im[i]), a.im[i] - (pr * b.im[i] + pi * b.re[i])));
  return d;
}

function substitute(op: LowOp, inputs: ArrayLike<number>): LowOp {
  return { ...op, angles: op.angles.map((a) => (a.op === 'num' ? a : num(evalExprDual(a, [], inputs)[0]))) };
}

function loweredUnitary(ops: readonly LowOp[], numWires: number, inputs: ArrayLike<number>): ComplexMatrix {
  let m = identity(1 << numWires);
  for (const op of ops) m = matmul(embed(lowMatrix(substitute(op, inputs)), op.wires, numWires), m);
  return m;
}

/**
 * Check 1. Each operation is lowered alone (on wires 0..k−1, with the same binding) through the
 * same basis, and its unitary compared with the table's matrix at each sample's inputs.
 */
export function checkEachOperation(
  circuit: Circuit,
  basis: BasisName,
  weights: ArrayLike<number>,
  samples: readonly Float64Array[],
  boundInputs?: ArrayLike<number>,
  lower: typeof lowerCircuit = lowerCircuit, // the lowering under test (a seam for the tests' faulty one)
): void {
  circuit.ops.forEach((op, i) => {
    const k = op.wires.length;
    const local = new Circuit(k);
    local.add(op.gate, op.wires.map((_, j) => j), op.params, op.matrix);
    local.declareInputs(circuit.numInputs);
    let lowered: LoweredCircuit;
    try {
      // Lowered through the whole pipeline (with its merging), as in the full circuit.
      lowered = lower(local, basis, { weights, inputs: boundInputs });
    } catch (e) {
      throw new ExportError(`${describeOp(op, i)}: ${(e as Error).message}`);
    }
    for (const x of boundInputs ? [Float64Array.from(boundInputs)] : samples) {
      const p = op.params.map((r) => evalParam(r, weights, x));
      const want = op.gate === 'QubitUnitary' ? op.matrix! : op.gate === 'MultiRZ' ? multiRZMatrix(p[0], k) : GATES[op.gate].matrix(p);
      const got = loweredUnitary(lowered.ops, k, x);
      const d = phaseDistance(got, want);
      if (!(d < UNITARY_TOLERANCE)) {
        throw new ExportError(`${describeOp(op, i)}: its lowering to ${basis} differs from the gate's matrix by ${d.toExponential(2)} (up to global phase); refusing to write. This is a bug in the lowering of ${op.gate}; please report it`);
      }
    }
  });
}

/** Checks 2 and 3: probabilities of `candidate` (weights none) against `reference` for each sample. */
export function checkProbabilities(what: string, reference: Circuit, weights: ArrayLike<number>, candidate: Circuit, samples: readonly Float64Array[]): number {
  const want = engineProbs(reference, weights, samples);
  const got = engineProbs(candidate, [], samples);
  const d = maxDifference(want, got);
  if (!(d <= PROBABILITY_TOLERANCE)) {
    throw new ExportError(`${what} gives probabilities that differ from the trained circuit's by up to ${d.toExponential(2)} (tolerance ${PROBABILITY_TOLERANCE}); refusing to write`);
  }
  return d;
}
