// Measurement on hardware: every circuit ends by measuring all wires in the computational basis,
// and the counts are what comes back. How a measurement of the model maps to counts:
//   probs           one circuit; the probabilities are the normalized counts.
//   <P1 ⊗ … ⊗ Pk>   a Pauli word is measured in the Z basis after rotating each X factor by H and
//                   each Y factor by H·S† (which maps Y to Z); then <word> = Σ_b p(b)·(−1)^{parity of
//                   b on the word's wires}. Words that agree on every shared wire (qubit-wise
//                   commuting) share one set of rotations, so one circuit serves a whole group;
//                   a Hamiltonian Σ c_j word_j is Σ c_j <word_j>, its words possibly in several groups.
// Groups are formed greedily in the order the terms appear (first group that is compatible).

import { Circuit } from '../circuit.js';
import type { Measurement } from '../measurements.js';
import type { PauliLetter } from '../observables.js';

export interface ReadoutTerm {
  readonly coeff: number;
  /** wire → Pauli of the word; empty: the identity (its expectation is 1). */
  readonly factors: ReadonlyArray<{ readonly pauli: PauliLetter; readonly wire: number }>;
  /** Which circuit (group) the word is read from. */
  readonly group: number;
}

export interface Readout {
  /** Per group: the basis each wire is measured in (wires absent: Z). */
  readonly groups: ReadonlyArray<Readonly<Record<number, PauliLetter>>>;
  /** expval: per observable, its terms; probs: empty (read group 0's probabilities). */
  readonly observables: ReadonlyArray<readonly ReadoutTerm[]>;
  readonly kind: 'expval' | 'probs';
  /** probs: the wires whose marginal is the output (all when absent). */
  readonly probsWires?: readonly number[];
}

export function planReadout(measurement: Measurement, numWires: number): Readout {
  if (measurement.type === 'state') throw new RangeError('a state measurement cannot be read out from counts; measure expval or probs');
  if (measurement.type === 'probs') return { groups: [{}], observables: [], kind: 'probs', probsWires: measurement.wires ?? Array.from({ length: numWires }, (_, i) => i) };
  const groups: Array<Record<number, PauliLetter>> = [];
  const observables = measurement.observables.map((o) =>
    o.terms.map((t): ReadoutTerm => {
      const fits = (g: Record<number, PauliLetter>): boolean => t.factors.every((f) => g[f.wire] === undefined || g[f.wire] === f.pauli);
      let index = groups.findIndex(fits);
      if (index < 0) {
        groups.push({});
        index = groups.length - 1;
      }
      for (const f of t.factors) groups[index][f.wire] = f.pauli;
      return { coeff: t.coeff, factors: t.factors, group: index };
    }),
  );
  if (groups.length === 0) groups.push({});
  return { groups, observables, kind: 'expval' };
}

/** The circuit with group g's basis rotations appended (table gates: S† is PhaseShift(−π/2)). */
export function withReadoutRotations(circuit: Circuit, basis: Readonly<Record<number, PauliLetter>>): Circuit {
  const c = new Circuit(circuit.numWires).compose(circuit);
  for (const [wire, pauli] of Object.entries(basis)) {
    const w = Number(wire);
    if (pauli === 'Y') c.phase(w, -Math.PI / 2);
    if (pauli !== 'Z') c.h(w);
  }
  return c;
}

/** <word> from the probabilities of all 2^n basis states (wire 0 the most significant bit). */
export function wordExpectation(probs: ArrayLike<number>, numWires: number, wires: readonly number[]): number {
  let mask = 0;
  for (const w of wires) mask |= 1 << (numWires - 1 - w);
  let s = 0;
  for (let b = 0; b < probs.length; b++) {
    let parity = 0;
    for (let m = b & mask; m; m &= m - 1) parity ^= 1;
    s += parity ? -probs[b] : probs[b];
  }
  return s;
}

/** The expectation of every observable from each group's probabilities. */
export function expvalsFromProbs(readout: Readout, groupProbs: ReadonlyArray<ArrayLike<number>>, numWires: number): number[] {
  return readout.observables.map((terms) =>
    terms.reduce((s, t) => s + t.coeff * (t.factors.length === 0 ? 1 : wordExpectation(groupProbs[t.group], numWires, t.factors.map((f) => f.wire))), 0),
  );
}
