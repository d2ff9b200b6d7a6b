// Test helpers: full unitaries of small circuits, built from matrices with `embed`, and
// comparison up to one global phase. Independent of the engine and of the lowering passes.

import { embed, identity, matmul, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { GATES, multiRZMatrix } from '../../src/circuit/gates.js';
import type { Circuit } from '../../src/circuit/circuit.js';
import { evalParam } from '../../src/circuit/params.js';
import { lowMatrix, type LoweredCircuit } from '../../src/circuit/lower/ops.js';
import type { BasisName } from '../../src/circuit/lower/pipeline.js';
import { evalExprDual } from '../../src/circuit/expr.js';
import { num } from '../../src/circuit/lower/angle.js';

export function circuitUnitary(c: Circuit, weights: ArrayLike<number>, inputs: ArrayLike<number> = []): ComplexMatrix {
  let m = identity(1 << c.numWires);
  for (const op of c.ops) {
    const p = op.params.map((r) => evalParam(r, weights, inputs));
    const g = op.gate === 'QubitUnitary' ? op.matrix! : op.gate === 'MultiRZ' ? multiRZMatrix(p[0], op.wires.length) : GATES[op.gate].matrix(p);
    m = matmul(embed(g, op.wires, c.numWires), m);
  }
  return m;
}

export function loweredUnitary(c: LoweredCircuit): ComplexMatrix {
  let m = identity(1 << c.numWires);
  for (const op of c.ops) m = matmul(embed(lowMatrix(op), op.wires, c.numWires), m);
  return m;
}

/** max |a − e^{iγ} b| over entries, with γ chosen from the largest entry of b. */
export function phaseDistance(a: ComplexMatrix, b: ComplexMatrix): number {
  let k = 0;
  for (let i = 0; i < b.re.length; i++) if (Math.hypot(b.re[i], b.im[i]) > Math.hypot(b.re[k], b.im[k])) k = i;
  // e^{iγ} = a_k / b_k (both of modulus ≈ the same for unitaries equal up to phase).
  const br = b.re[k], bi = b.im[k], ar = a.re[k], ai = a.im[k];
  const n = Math.hypot(ar, ai) * Math.hypot(br, bi) || 1;
  const pr = (ar * br + ai * bi) / n;
  const pi = (ai * br - ar * bi) / n;
  let d = 0;
  for (let i = 0; i < a.re.length; i++) {
    const r = pr * b.re[i] - pi * b.im[i];
    const im = pr * b.im[i] + pi * b.re[i];
    d = Math.max(d, Math.hypot(a.re[i] - r, a.im[i] - im));
  }
  return d;
}

/** The gates each basis may leave. */
export const ALLOWED: Record<BasisName, readonly string[]> = {
  'ibm-cz': ['rz', 'sx', 'x', 'cz'],
  'ibm-cx': ['rz', 'sx', 'x', 'cx'],
  'ibm-ecr': ['rz', 'sx', 'x', 'ecr'],
  'rotations-cnot': ['rz', 'ry', 'cx'],
  // rz only as the final frame rotation of a wire (diagonal before measurement; not written).
  'ionq-native': ['gpi', 'gpi2', 'ms', 'rz'],
};

export function substituted(c: LoweredCircuit, inputs: number[]): LoweredCircuit {
  return { numWires: c.numWires, ops: c.ops.map((op) => ({ ...op, angles: op.angles.map((a) => num(evalExprDual(a, [], inputs)[0])) })) };
}

