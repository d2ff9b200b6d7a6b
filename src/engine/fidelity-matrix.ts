// All-pairs state fidelity S[i, j] = |⟨ψ(a_i)|ψ(b_j)⟩|² between a batch of "query" inputs a and
// a batch of "document" inputs b of ONE circuit with shared weights (a trained fidelity kernel,
// as in the reranker), with adjoint gradients for both sides and the weights.
//
// Why not Fidelity (fidelity.ts): that class simulates both sides of every pair, so scoring B
// queries against M documents costs 2·B·M state simulations. Here every state is simulated once
// (B + M simulations in one batched run), and the B·M overlaps are dot products of 2^n-amplitude
// vectors. The gradient is one adjoint sweep over the same B + M samples.
//
// Gradient. With c_ij = ⟨ψ_i|ψ_j⟩ and a loss L with G_ij = ∂L/∂S_ij,
//   dL = Σ_ij G_ij · 2 Re(c_ij* dc_ij),  dc_ij = ⟨dψ_i|ψ_j⟩ + ⟨ψ_i|dψ_j⟩,
// so the co-state of document j is λ_j = Σ_i G_ij c_ij ψ_i and that of query i is
// λ_i = Σ_j G_ij c_ij* ψ_j — the sums of fidelity.ts's per-pair co-states (same convention for
// the adjoint sweep). Shared weights get the sum of both sides' contributions.

import type { Circuit } from '../circuit/circuit.js';
import { compile, type Program } from './program.js';
import { EngineInputError } from './errors.js';
import { Simulator } from './simulator.js';
import { Rng } from '../util/random.js';

export interface FidelityMatrixGrads {
  inputsA: Float64Array;
  inputsB: Float64Array;
  weights: Float64Array;
}

export class FidelityMatrix {
  readonly circuit: Circuit;
  readonly program: Program;
  private readonly sim: Simulator;
  private last: { inputs: Float64Array; weights: Float64Array; Ba: number; Bb: number } | undefined;
  private cRe = new Float64Array(0);
  private cIm = new Float64Array(0);

  constructor(circuit: Circuit) {
    this.circuit = circuit;
    this.program = compile(circuit);
    this.sim = new Simulator(this.program);
  }

  get numInputs(): number {
    return this.program.numInputs;
  }

  /**
   * The final states of a batch of inputs [B, n] (copies, amplitude-major: amplitude k of sample
   * b at k·B + b), for scoring many pairs from few states (fidelityOfStates).
   */
  states(inputs: ArrayLike<number>, weights: ArrayLike<number>): { re: Float64Array; im: Float64Array; count: number } {
    const n = this.program.numInputs;
    const B = inputs.length / n;
    if (!Number.isInteger(B) || B < 1) throw new EngineInputError(`inputs of ${inputs.length} values are not whole rows of ${n} angles`);
    this.last = undefined;
    const sim = this.sim;
    sim.setParams(inputs, weights, B);
    sim.prepare();
    sim.initState(inputs);
    sim.run();
    return { re: sim.states.re.slice(0, this.program.dim * B), im: sim.states.im.slice(0, this.program.dim * B), count: B };
  }

  /** S [Ba × Bb] row-major for inputs a [Ba, n] and b [Bb, n], weights shared by both sides. */
  forward(a: ArrayLike<number>, b: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
    const n = this.program.numInputs;
    if (n === 0) throw new EngineInputError('a fidelity matrix needs a circuit with inputs (the angles of each side)');
    if (a.length % n !== 0 || b.length % n !== 0) throw new EngineInputError(`inputs of ${a.length} and ${b.length} values are not whole rows of ${n} angles`);
    const Ba = a.length / n;
    const Bb = b.length / n;
    if (Ba === 0 || Bb === 0) throw new EngineInputError('a fidelity matrix needs at least one input on each side');
    const inputs = new Float64Array(a.length + b.length);
    inputs.set(a as ArrayLike<number>, 0);
    inputs.set(b as ArrayLike<number>, a.length);
    this.last = { inputs, weights: Float64Array.from(weights), Ba, Bb };
    this.simulate();
    const S = new Float64Array(Ba * Bb);
    for (let k = 0; k < S.length; k++) S[k] = this.cRe[k] * this.cRe[k] + this.cIm[k] * this.cIm[k];
    return S;
  }

  private simulate(): void {
    const { inputs, weights, Ba, Bb } = this.last!;
    const N = Ba + Bb;
    const sim = this.sim;
    sim.setParams(inputs, weights, N);
    sim.prepare();
    sim.initState(inputs);
    sim.run();
    if (this.cRe.length !== Ba * Bb) {
      this.cRe = new Float64Array(Ba * Bb);
      this.cIm = new Float64Array(Ba * Bb);
    }
    const cRe = this.cRe;
    const cIm = this.cIm;
    cRe.fill(0);
    cIm.fill(0);
    const { re, im } = sim.states;
    const dim = this.program.dim;
    for (let k = 0; k < dim; k++) {
      const row = k * N;
      for (let i = 0; i < Ba; i++) {
        const ar = re[row + i];
        const ai = im[row + i];
        const base = i * Bb;
        for (let j = 0; j < Bb; j++) {
          const br = re[row + Ba + j];
          const bi = im[row + Ba + j];
          // conj(ψ_i) ψ_j
          cRe[base + j] += ar * br + ai * bi;
          cIm[base + j] += ar * bi - ai * br;
        }
      }
    }
  }

  /** Gradients of Σ_ij G[i·Bb + j] S_ij for the last forward (re-simulated: cheap, and safe if the engine was used in between). */
  vjp(G: ArrayLike<number>): FidelityMatrixGrads {
    if (!this.last) throw new EngineInputError('vjp needs a forward call first');
    const { inputs, weights, Ba, Bb } = this.last;
    if (G.length !== Ba * Bb) throw new EngineInputError(`cotangent has ${G.length} values, expected ${Ba}×${Bb} = ${Ba * Bb}`);
    this.simulate();
    const N = Ba + Bb;
    const sim = this.sim;
    sim.ensureCostate();
    const { re, im, lre, lim } = sim.states;
    const cRe = this.cRe;
    const cIm = this.cIm;
    const dim = this.program.dim;
    for (let k = 0; k < dim; k++) {
      const row = k * N;
      for (let s = 0; s < N; s++) {
        lre[row + s] = 0;
        lim[row + s] = 0;
      }
      for (let i = 0; i < Ba; i++) {
        const ar = re[row + i];
        const ai = im[row + i];
        let qRe = 0;
        let qIm = 0;
        for (let j = 0; j < Bb; j++) {
          const p = i * Bb + j;
          const gr = G[p] * cRe[p];
          const gi = G[p] * cIm[p];
          const br = re[row + Ba + j];
          const bi = im[row + Ba + j];
          // λ_i += G c* ψ_j
          qRe += gr * br + gi * bi;
          qIm += gr * bi - gi * br;
          // λ_j += G c ψ_i
          lre[row + Ba + j] += gr * ar - gi * ai;
          lim[row + Ba + j] += gr * ai + gi * ar;
        }
        lre[row + i] = qRe;
        lim[row + i] = qIm;
      }
    }
    const slotGrad = new Float64Array(this.program.slots.length * N);
    sim.adjoint(slotGrad);
    const gW = new Float64Array(weights.length);
    const gX = new Float64Array(inputs.length);
    sim.slotsToParams(slotGrad, inputs, weights, gW, gX, true);
    const split = Ba * this.program.numInputs;
    return { inputsA: gX.slice(0, split), inputsB: gX.slice(split), weights: gW };
  }
}

/** |⟨a_i|b_j⟩|² of state i of `a` and state j of `b` (batches as `states` returns them). */
export function fidelityOfStates(a: { re: Float64Array; im: Float64Array; count: number }, i: number, b: { re: Float64Array; im: Float64Array; count: number }, j: number): number {
  const dim = a.re.length / a.count;
  let cr = 0;
  let ci = 0;
  for (let k = 0; k < dim; k++) {
    const ar = a.re[k * a.count + i], ai = a.im[k * a.count + i];
    const br = b.re[k * b.count + j], bi = b.im[k * b.count + j];
    cr += ar * br + ai * bi;
    ci += ar * bi - ai * br;
  }
  return cr * cr + ci * ci;
}

export type FidelityEstimator = 'inversion' | 'swap';

/**
 * Finite-shot estimates of fidelities, as hardware would report them. `inversion` (the
 * compute–uncompute test U(b)†U(a)|0…0⟩, the default) sees the all-zero outcome with probability
 * exactly F, so the estimate is a Binomial(shots, F) count over shots. `swap` (the swap test, one
 * ancilla and 2n + 1 qubits) sees 0 on the ancilla with probability (1 + F)/2 and estimates
 * F = 2·p̂₀ − 1 (clipped to [0, 1]): variance (1 − F²)/shots against F(1 − F)/shots, so the
 * swap test needs more shots for the same precision. Each shot is one Bernoulli draw from a
 * seeded generator, so a seed fixes the result.
 */
export function shotFidelities(exact: ArrayLike<number>, shots: number, seed: number, estimator: FidelityEstimator = 'inversion'): Float64Array {
  if (!(Number.isInteger(shots) && shots >= 1)) throw new EngineInputError(`shots must be a positive integer, got ${shots}`);
  const rng = new Rng(seed);
  const out = new Float64Array(exact.length);
  for (let k = 0; k < exact.length; k++) {
    const F = Math.min(1, Math.max(0, exact[k]));
    const p = estimator === 'swap' ? (1 + F) / 2 : F;
    let hits = 0;
    for (let s = 0; s < shots; s++) if (rng.next() < p) hits++;
    const pHat = hits / shots;
    out[k] = estimator === 'swap' ? Math.max(0, 2 * pHat - 1) : pHat;
  }
  return out;
}
