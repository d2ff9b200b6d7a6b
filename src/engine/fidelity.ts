// State fidelity F_b = |⟨ψ_A(a_b)|ψ_B(b_b)⟩|² between two circuits (or one circuit at two inputs),
// per sample, with adjoint gradients for both sides.
//
// With c = ⟨ψ_A|ψ_B⟩ and F = |c|²: dF = 2 Re(c* ⟨ψ_A|dψ_B⟩) + 2 Re(c ⟨dψ_A|ψ_B⟩). So the co-state
// of side B is λ_B = c·ψ_A and of side A is λ_A = c*·ψ_B (each scaled by the cotangent), and
// each side runs an ordinary adjoint sweep.

import type { Circuit } from '../circuit/circuit.js';
import { compile } from './program.js';
import { EngineInputError } from './errors.js';
import { Simulator, type ExtraFootprint } from './simulator.js';
import { COSTATE_FOOTPRINT, STATE_FOOTPRINT } from './statevector/state.js';

export interface FidelityGrads {
  weightsA: Float64Array;
  weightsB: Float64Array;
  inputsA: Float64Array;
  inputsB: Float64Array;
}

/** The other side's state and co-state, plus the overlaps and outputs (3 numbers per sample). */
const OTHER_SIDE: ExtraFootprint = { forward: { ...STATE_FOOTPRINT, perSample: 24 }, adjoint: COSTATE_FOOTPRINT };

export class Fidelity {
  readonly circuitA: Circuit;
  readonly circuitB: Circuit;
  private readonly simA: Simulator;
  private readonly simB: Simulator;
  private last: { inputsA: Float64Array; inputsB: Float64Array; weightsA: Float64Array; weightsB: Float64Array; B: number } | undefined;
  private overlapRe = new Float64Array(0);
  private overlapIm = new Float64Array(0);

  /** `circuitB` defaults to `circuitA` (a fidelity kernel between two inputs of one circuit). */
  constructor(circuitA: Circuit, circuitB: Circuit = circuitA) {
    if (circuitA.numWires !== circuitB.numWires) {
      throw new EngineInputError(`fidelity needs circuits on the same wires: ${circuitA.numWires} vs ${circuitB.numWires}`);
    }
    this.circuitA = circuitA;
    this.circuitB = circuitB;
    const programA = compile(circuitA);
    // Each side checks memory for both: the other side's state (and co-state) is alive too.
    this.simA = new Simulator(programA, OTHER_SIDE);
    this.simB = new Simulator(circuitB === circuitA ? programA : compile(circuitB), OTHER_SIDE);
  }

  /**
   * F[b] for inputsA [B, nA] and inputsB [B, nB]. `weightsB` defaults to `weightsA` (shared
   * weights, as in a trained fidelity kernel).
   */
  forward(inputsA: ArrayLike<number>, inputsB: ArrayLike<number>, weightsA: ArrayLike<number>, weightsB: ArrayLike<number> = weightsA): Float64Array {
    const nA = this.simA.program.numInputs;
    const nB = this.simB.program.numInputs;
    const B = nA > 0 ? inputsA.length / nA : nB > 0 ? inputsB.length / nB : 1;
    if (!Number.isInteger(B)) throw new EngineInputError(`inputsA has ${inputsA.length} values, not a multiple of ${nA} features`);
    this.last = {
      inputsA: Float64Array.from(inputsA),
      inputsB: Float64Array.from(inputsB),
      weightsA: Float64Array.from(weightsA),
      weightsB: Float64Array.from(weightsB),
      B,
    };
    this.simulate();
    const out = new Float64Array(B);
    for (let b = 0; b < B; b++) out[b] = this.overlapRe[b] ** 2 + this.overlapIm[b] ** 2;
    return out;
  }

  private simulate(): void {
    const { inputsA, inputsB, weightsA, weightsB, B } = this.last!;
    for (const [sim, x, wts] of [
      [this.simA, inputsA, weightsA],
      [this.simB, inputsB, weightsB],
    ] as const) {
      sim.setParams(x, wts, B);
      sim.prepare();
      sim.initState(x);
      sim.run();
    }
    const dim = this.simA.program.dim;
    if (this.overlapRe.length !== B) {
      this.overlapRe = new Float64Array(B);
      this.overlapIm = new Float64Array(B);
    }
    this.overlapRe.fill(0);
    this.overlapIm.fill(0);
    const a = this.simA.states;
    const b2 = this.simB.states;
    for (let i = 0; i < dim; i++)
      for (let b = 0; b < B; b++) {
        const e = i * B + b;
        // conj(ψA) ψB
        this.overlapRe[b] += a.re[e] * b2.re[e] + a.im[e] * b2.im[e];
        this.overlapIm[b] += a.re[e] * b2.im[e] - a.im[e] * b2.re[e];
      }
  }

  /** Gradients of Σ_b g[b] F[b] for the last forward. With shared weights add weightsA and weightsB. */
  vjp(g: ArrayLike<number>): FidelityGrads {
    if (!this.last) throw new EngineInputError('vjp needs a forward call first');
    const { inputsA, inputsB, weightsA, weightsB, B } = this.last;
    if (g.length !== B) throw new EngineInputError(`cotangent has ${g.length} values, expected ${B}`);
    this.simulate();
    const dim = this.simA.program.dim;
    this.simA.ensureCostate();
    this.simB.ensureCostate();
    const a = this.simA.states;
    const b2 = this.simB.states;
    for (let i = 0; i < dim; i++)
      for (let b = 0; b < B; b++) {
        const e = i * B + b;
        const cr = this.overlapRe[b] * g[b];
        const ci = this.overlapIm[b] * g[b];
        // λ_B = c ψ_A
        b2.lre[e] = cr * a.re[e] - ci * a.im[e];
        b2.lim[e] = cr * a.im[e] + ci * a.re[e];
        // λ_A = c* ψ_B
        a.lre[e] = cr * b2.re[e] + ci * b2.im[e];
        a.lim[e] = cr * b2.im[e] - ci * b2.re[e];
      }
    const out: FidelityGrads = {
      weightsA: new Float64Array(weightsA.length),
      weightsB: new Float64Array(weightsB.length),
      inputsA: new Float64Array(inputsA.length),
      inputsB: new Float64Array(inputsB.length),
    };
    for (const [sim, x, wts, gW, gX] of [
      [this.simA, inputsA, weightsA, out.weightsA, out.inputsA],
      [this.simB, inputsB, weightsB, out.weightsB, out.inputsB],
    ] as const) {
      const slotGrad = new Float64Array(sim.program.slots.length * B);
      sim.adjoint(slotGrad);
      sim.slotsToParams(slotGrad, x, wts, gW, gX, true);
    }
    return out;
  }
}
