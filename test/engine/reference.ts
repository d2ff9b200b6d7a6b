// A deliberately naive reference simulator for tests: it applies each gate's declared matrix
// (src/circuit/gates.ts, via test/circuit/unitary.ts) embedded in the full space to one state
// vector. Slow, obviously correct.

import { Circuit } from '../../src/circuit/circuit.js';
import { embed, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { opMatrix } from '../circuit/unitary.js';
import type { Observable } from '../../src/circuit/observables.js';

export interface Vec {
  re: Float64Array;
  im: Float64Array;
}

export function applyMatrix(m: ComplexMatrix, v: Vec): Vec {
  const d = m.dim;
  const re = new Float64Array(d);
  const im = new Float64Array(d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const ar = m.re[i * d + j], ai = m.im[i * d + j];
      re[i] += ar * v.re[j] - ai * v.im[j];
      im[i] += ar * v.im[j] + ai * v.re[j];
    }
  return { re, im };
}

/** Final state of one sample. */
export function referenceState(c: Circuit, weights: ArrayLike<number>, inputs: ArrayLike<number>): Vec {
  const d = 1 << c.numWires;
  let v: Vec = { re: new Float64Array(d), im: new Float64Array(d) };
  const amp = c.amplitudeInit;
  if (amp) {
    let n2 = 0;
    for (let i = 0; i < d; i++) {
      v.re[i] = i < amp.length ? inputs[amp.firstInput + i] : amp.pad;
      n2 += v.re[i] ** 2;
    }
    if (amp.normalize) for (let i = 0; i < d; i++) v.re[i] /= Math.sqrt(n2);
  } else v.re[0] = 1;
  for (let k = 0; k < c.ops.length; k++) v = applyMatrix(embed(opMatrix(c.ops[k], weights, inputs), c.ops[k].wires, c.numWires), v);
  return v;
}

const PAULI: Record<string, ComplexMatrix> = {
  X: { dim: 2, re: Float64Array.from([0, 1, 1, 0]), im: new Float64Array(4) },
  Y: { dim: 2, re: new Float64Array(4), im: Float64Array.from([0, -1, 1, 0]) },
  Z: { dim: 2, re: Float64Array.from([1, 0, 0, -1]), im: new Float64Array(4) },
};

export function referenceExpval(v: Vec, o: Observable, n: number): number {
  let total = 0;
  for (const t of o.terms) {
    let w = v;
    for (const f of t.factors) w = applyMatrix(embed(PAULI[f.pauli], [f.wire], n), w);
    let s = 0;
    for (let i = 0; i < v.re.length; i++) s += v.re[i] * w.re[i] + v.im[i] * w.im[i];
    total += t.coeff * s;
  }
  return total;
}

/** Seeded uniform test values (mulberry32), shared with the circuit tests. */
export { rng as rand } from '../circuit/unitary.js';
