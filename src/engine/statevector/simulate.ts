// Run a compiled program forward on a batch of state vectors: ψ ← U_K ⋯ U_2 U_1 ψ, one pass over
// the state per primitive, in program order. The initial state comes from initial.ts; the
// coefficients must be prepared for the current parameters (coefficients.ts).

import type { Coefficients } from '../coefficients.js';
import { applyPrimitive } from './apply.js';
import type { StateVectorBatch } from './state.js';

export function simulate(state: StateVectorBatch, coefs: Coefficients): void {
  const n = coefs.program.prims.length;
  for (let k = 0; k < n; k++) applyPrimitive(state, coefs, k, state.re, state.im, false);
}
