// Observables: Pauli words on any wires and weighted sums of them (Hamiltonians).

import { EntangleError } from '../util/errors.js';

export type PauliLetter = 'X' | 'Y' | 'Z';

export interface PauliFactor {
  readonly pauli: PauliLetter;
  readonly wire: number;
}

/** coeff * P_1 ⊗ P_2 ⊗ … ; no factors means coeff * identity. */
export interface PauliTerm {
  readonly coeff: number;
  readonly factors: readonly PauliFactor[];
}

/** A Hamiltonian: the sum of its terms. A single Pauli word is a one-term Hamiltonian. */
export interface Observable {
  readonly terms: readonly PauliTerm[];
}

export class ObservableError extends EntangleError {
  override name = 'ObservableError';
  constructor(message: string) {
    super('E_OBSERVABLE', message);
  }
}

/** A Pauli word from factors, e.g. pauliWord([['X', 0], ['Z', 2]]), with an optional coefficient. */
export function pauliWord(factors: ReadonlyArray<readonly [PauliLetter, number]>, coeff = 1): Observable {
  const seen = new Set<number>();
  for (const [p, wire] of factors) {
    if (p !== 'X' && p !== 'Y' && p !== 'Z') throw new ObservableError(`unknown Pauli "${p}" (expected X, Y or Z)`);
    if (!Number.isInteger(wire) || wire < 0) throw new ObservableError(`Pauli ${p} has wire ${wire}; wires are non-negative integers`);
    if (seen.has(wire)) throw new ObservableError(`Pauli word acts twice on wire ${wire}`);
    seen.add(wire);
  }
  return { terms: [{ coeff, factors: factors.map(([pauli, wire]) => ({ pauli, wire })) }] };
}

export const PauliZ = (wire: number): Observable => pauliWord([['Z', wire]]);
export const PauliX = (wire: number): Observable => pauliWord([['X', wire]]);
export const PauliY = (wire: number): Observable => pauliWord([['Y', wire]]);

/** The weighted sum Σ coeffs[i] * observables[i]. */
export function hamiltonian(coeffs: readonly number[], observables: readonly Observable[]): Observable {
  if (coeffs.length !== observables.length) {
    throw new ObservableError(`hamiltonian: ${coeffs.length} coefficients for ${observables.length} observables`);
  }
  const terms: PauliTerm[] = [];
  observables.forEach((o, i) => {
    for (const t of o.terms) terms.push({ coeff: coeffs[i] * t.coeff, factors: t.factors });
  });
  return { terms };
}

/** <Z_i> on every wire 0..n-1, the most common readout. */
export function zOnEveryWire(numWires: number): Observable[] {
  return Array.from({ length: numWires }, (_, i) => PauliZ(i));
}

/** Highest wire an observable touches, or -1. */
export function maxWire(o: Observable): number {
  let m = -1;
  for (const t of o.terms) for (const f of t.factors) m = Math.max(m, f.wire);
  return m;
}

/** Canonical text: `0.5*X0 Z2 + Z1`. */
export function formatObservable(o: Observable): string {
  if (o.terms.length === 0) return '0';
  return o.terms
    .map((t, i) => {
      const word = t.factors.map((f) => `${f.pauli}${f.wire}`).join(' ');
      const abs = Math.abs(t.coeff);
      const sign = t.coeff < 0 ? (i === 0 ? '-' : ' - ') : i === 0 ? '' : ' + ';
      if (!word) return `${sign}${abs}`;
      return `${sign}${abs === 1 ? '' : `${abs}*`}${word}`;
    })
    .join('');
}
