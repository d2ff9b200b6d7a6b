// Reference unitaries for tests: the product of the declared gate matrices, embedded in the full
// space (wire 0 = most significant bit). Slow and obviously right; no simulator involved.

import type { Circuit, Operation } from '../../src/circuit/circuit.js';
import { GATES, multiRZMatrix } from '../../src/circuit/gates.js';
import { embed, identity, matmul, type ComplexMatrix } from '../../src/circuit/matrix.js';
import { evalParam } from '../../src/circuit/params.js';

export function opMatrix(op: Operation, weights: ArrayLike<number>, inputs: ArrayLike<number>): ComplexMatrix {
  const vals = op.params.map((p) => evalParam(p, weights, inputs));
  if (op.gate === 'QubitUnitary') return op.matrix!;
  if (op.gate === 'MultiRZ') return multiRZMatrix(vals[0], op.wires.length);
  return GATES[op.gate].matrix(vals);
}

/** U = G_k ⋯ G_1 for the circuit's operations G_1 … G_k. */
export function circuitUnitary(circuit: Circuit, weights: ArrayLike<number> = [], inputs: ArrayLike<number> = []): ComplexMatrix {
  let u = identity(1 << circuit.numWires);
  for (const op of circuit.ops) u = matmul(embed(opMatrix(op, weights, inputs), op.wires, circuit.numWires), u);
  return u;
}

/** The product of (matrix, wires) steps applied in order. */
export function stepsUnitary(numWires: number, steps: ReadonlyArray<readonly [ComplexMatrix, readonly number[]]>): ComplexMatrix {
  let u = identity(1 << numWires);
  for (const [m, wires] of steps) u = matmul(embed(m, wires, numWires), u);
  return u;
}

/** e^{iφ}·m */
export function withPhase(m: ComplexMatrix, phi: number): ComplexMatrix {
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  const re = new Float64Array(m.re.length);
  const im = new Float64Array(m.re.length);
  for (let i = 0; i < re.length; i++) {
    re[i] = m.re[i] * c - m.im[i] * s;
    im[i] = m.re[i] * s + m.im[i] * c;
  }
  return { dim: m.dim, re, im };
}

/** Largest entry-wise |a − b|. */
export function distance(a: ComplexMatrix, b: ComplexMatrix): number {
  if (a.dim !== b.dim) return Infinity;
  let m = 0;
  for (let i = 0; i < a.re.length; i++) m = Math.max(m, Math.hypot(a.re[i] - b.re[i], a.im[i] - b.im[i]));
  return m;
}

/** min over φ of max |a − e^{iφ} b|, with φ taken from the largest entry of b. */
export function distanceUpToPhase(a: ComplexMatrix, b: ComplexMatrix): number {
  if (a.dim !== b.dim) return Infinity;
  let k = 0;
  for (let i = 0; i < b.re.length; i++) if (Math.hypot(b.re[i], b.im[i]) > Math.hypot(b.re[k], b.im[k])) k = i;
  const phi = Math.atan2(a.im[k], a.re[k]) - Math.atan2(b.im[k], b.re[k]);
  return distance(a, withPhase(b, phi));
}

/** A deterministic pseudo-random generator (mulberry32) for test values. */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
