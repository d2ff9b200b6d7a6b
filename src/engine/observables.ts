// Measurements compiled once per QNode, independent of how the state is stored: Pauli words as
// bit masks over basis-state indices (wire 0 is the most significant bit), and marginal maps
// from full basis indices to the indices over a subset of wires.

import type { Observable } from '../circuit/observables.js';

export interface CompiledTerm {
  readonly coeff: number;
  readonly xmask: number;
  readonly zmask: number;
  /** Number of Y factors mod 4. */
  readonly nY: number;
}

export type CompiledObservable = readonly CompiledTerm[];

export function compileObservable(o: Observable, numWires: number, where = 'observable'): CompiledObservable {
  return o.terms.map((t) => {
    let xmask = 0;
    let zmask = 0;
    let nY = 0;
    for (const f of t.factors) {
      if (!Number.isInteger(f.wire) || f.wire < 0 || f.wire >= numWires) {
        throw new RangeError(`${where}: ${f.pauli}${f.wire} acts on wire ${f.wire}, outside 0..${numWires - 1}`);
      }
      const bit = 1 << (numWires - 1 - f.wire);
      if (f.pauli === 'X' || f.pauli === 'Y') xmask |= bit;
      if (f.pauli === 'Z' || f.pauli === 'Y') zmask |= bit;
      if (f.pauli === 'Y') nY++;
    }
    return { coeff: t.coeff, xmask, zmask, nY: nY & 3 };
  });
}

/** Map from full basis index to the index over `wires` (first listed wire = most significant). */
export function marginalIndex(numWires: number, wires: readonly number[]): Int32Array {
  const dim = 1 << numWires;
  const map = new Int32Array(dim);
  for (let i = 0; i < dim; i++) {
    let s = 0;
    for (const w of wires) s = (s << 1) | ((i >>> (numWires - 1 - w)) & 1);
    map[i] = s;
  }
  return map;
}
