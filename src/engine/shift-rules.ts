// Shift rules: d f / d θ ≈ Σ_t coeffs[t] · f(θ + shifts[t]).
//
// - Two-term rule, exact for gates whose generator has eigenvalue gap 1 (RX…, Rot's factors, U3,
//   PhaseShift, IsingXX…, MultiRZ; frequencies ≤ 1 in θ after the factor 1/2):
//       f'(θ) = [f(θ + π/2) − f(θ − π/2)] / 2
// - Four-term rule for controlled rotations, whose generator |1⟩⟨1| ⊗ σ/2 has eigenvalues
//   {0, ±1/2} and hence two frequencies (1/2 and 1) in f (Anselmetti et al. 2021, PennyLane's CRX):
//       f'(θ) = c₊[f(θ + π/2) − f(θ − π/2)] − c₋[f(θ + 3π/2) − f(θ − 3π/2)],  c± = (√2 ± 1)/(4√2)
// - Central finite differences: f'(θ) ≈ [f(θ + h) − f(θ − h)] / 2h. Also what parameter-shift
//   uses for a parameter whose gate declares no exact rule ('none').

import type { ShiftRule } from '../circuit/gates.js';

export interface ShiftRecipe {
  readonly shifts: readonly number[];
  readonly coeffs: readonly number[];
}

const H = Math.PI / 2;
const CP = (Math.SQRT2 + 1) / (4 * Math.SQRT2);
const CM = (Math.SQRT2 - 1) / (4 * Math.SQRT2);

const TWO: ShiftRecipe = { shifts: [H, -H], coeffs: [0.5, -0.5] };
const FOUR: ShiftRecipe = { shifts: [H, -H, 3 * H, -3 * H], coeffs: [CP, -CP, -CM, CM] };

export function shiftRule(rule: ShiftRule | 'finite-diff', step = 1e-5): ShiftRecipe {
  // 'none' and 'finite-diff' fall through to central differences.
  if (rule === 'two') return TWO;
  if (rule === 'four') return FOUR;
  return { shifts: [step, -step], coeffs: [1 / (2 * step), -1 / (2 * step)] };
}
