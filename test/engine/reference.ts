// A deliberately naive reference simulator for tests: it applies each gate's declared matrix
// (src/circuit/gates.ts) embedded in the full space to one state vector. Slow, obviously correct.

import { Circuit } from '../../src/circuit/circuit.js';
import { GATES, multiRZMatrix } from '../../src/circuit/gates.js';
import { embed, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { evalParam } from '../../src/circuit/params.js';
import type { Observable } from '../../src/circuit/observables.js';

export interface Vec {
  re: Float64Array;
  im: Float64Array;
}

export function opMatrix(c: Circuit, k: number, weights: ArrayLike<number>, inputs: ArrayLike<number>): ComplexMatrix {
  const op = c.ops[k];
  const params = op.params.map((p) => evalParam(p, weights, inputs));
  if (op.gate === 'QubitUnitary') return op.matrix!;
  if (op.gate === 'MultiRZ') return multiRZMatrix(params[0], op.wires.length);
  return GATES[op.gate].matrix(params);
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
  for (let k = 0; k < c.ops.length; k++) v = applyMatrix(embed(opMatrix(c, k, weights, inputs), c.ops[k].wires, c.numWires), v);
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

/** A seeded uniform generator for tests (mulberry32). */
export function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
