// Initial states, and the gradient through them.
//
// Every sample starts in |0…0⟩, or, for a circuit that begins with an AmplitudeEmbedding, in the
// sample's features v (padded to 2^n): ψ0 = v, or v / |v| with normalize. The input gradient of
// that embedding is read from the co-state λ once it has been swept back to the initial state.

import { EngineInputError } from '../errors.js';
import type { Program } from '../program.js';
import type { StateVectorBatch } from './state.js';

/** Write the initial state of every sample; with an amplitude embedding also |v| into ampNorm[b]. */
export function initialState(state: StateVectorBatch, program: Program, inputs: ArrayLike<number>, ampNorm: Float64Array): void {
  const { re, im } = state;
  im.fill(0);
  if (!program.circuit.amplitudeInit) {
    re.fill(0);
    re.fill(1, 0, state.batch);
    return;
  }
  for (let b = 0; b < state.batch; b++) ampNorm[b] = embedAmplitudes(state, program, inputs, b);
}

/** Sample b's features as its amplitudes (normalized or checked); returns their norm. */
function embedAmplitudes(state: StateVectorBatch, program: Program, inputs: ArrayLike<number>, b: number): number {
  const { dim, numInputs } = program;
  const amp = program.circuit.amplitudeInit!;
  const B = state.batch;
  const re = state.re;
  let norm2 = 0;
  for (let i = 0; i < dim; i++) {
    const v = i < amp.length ? inputs[b * numInputs + amp.firstInput + i] : amp.pad;
    re[i * B + b] = v;
    norm2 += v * v;
  }
  const norm = Math.sqrt(norm2);
  if (amp.normalize) {
    if (!(norm > 0)) throw new EngineInputError(`AmplitudeEmbedding: sample ${b} has an all-zero feature vector, which cannot be normalized`);
    for (let i = 0; i < dim; i++) re[i * B + b] /= norm;
  } else if (Math.abs(norm - 1) > 1e-6) {
    throw new EngineInputError(`AmplitudeEmbedding: sample ${b} has norm ${norm.toPrecision(6)}, not 1; set normalize: true or normalize the inputs`);
  }
  return norm;
}

/**
 * Add dL/dv for the amplitude-embedded features v into gX, from λ at the initial state (after the
 * adjoint sweep): dL/dψ0_i = 2 Re λ_i = a_i, and with ψ0 = v / |v|,
 * dL/dv_j = (a_j − ψ0_j Σ_i ψ0_i a_i) / |v|.
 */
export function amplitudeInputGrad(state: StateVectorBatch, program: Program, ampNorm: Float64Array, gX: Float64Array): void {
  const amp = program.circuit.amplitudeInit;
  if (!amp) return;
  const { dim, numInputs } = program;
  const B = state.batch;
  const { re, lre } = state;
  for (let b = 0; b < B; b++) {
    let dot = 0;
    if (amp.normalize) for (let i = 0; i < dim; i++) dot += re[i * B + b] * 2 * lre[i * B + b];
    const inv = amp.normalize ? 1 / ampNorm[b] : 1;
    for (let j = 0; j < amp.length; j++) {
      const a = 2 * lre[j * B + b];
      const g = amp.normalize ? (a - re[j * B + b] * dot) * inv : a;
      gX[b * numInputs + amp.firstInput + j] += g;
    }
  }
}
