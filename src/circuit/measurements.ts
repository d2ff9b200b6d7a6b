// What a circuit run returns. The engine compiles a circuit together with one measurement.

import type { Observable } from './observables.js';

/** Expectation values, one per observable: output shape [batch, observables.length]. */
export interface ExpvalMeasurement {
  readonly type: 'expval';
  readonly observables: readonly Observable[];
}

/**
 * Probabilities of the computational basis states of `wires` (all wires when absent), the first
 * listed wire being the most significant bit: output shape [batch, 2^wires.length].
 */
export interface ProbsMeasurement {
  readonly type: 'probs';
  readonly wires?: readonly number[];
}

/** The state vector: output [batch, 2^n] complex, as separate real and imaginary arrays. */
export interface StateMeasurement {
  readonly type: 'state';
}

export type Measurement = ExpvalMeasurement | ProbsMeasurement | StateMeasurement;

export const expval = (observables: readonly Observable[]): ExpvalMeasurement => ({ type: 'expval', observables });
export const probs = (wires?: readonly number[]): ProbsMeasurement => (wires ? { type: 'probs', wires } : { type: 'probs' });
export const state = (): StateMeasurement => ({ type: 'state' });
