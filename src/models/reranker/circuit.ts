// The reranker's circuit: predicted angles (inputs) and trainable ansatz layers (weights),
// interleaved as data re-uploading:
//
//   |0…0⟩ → [W_1 → E(x_1)] → [W_2 → E(x_2)] → … → [W_L → E(x_L)]
//
// E(x_l) puts Rot(φ, θ, ω) of predicted angles on every wire and then a CNOT ring (range
// (l mod (n − 1)) + 1, as StronglyEntanglingLayers); W_l is `depth` layers of the chosen ansatz.
// The trainable blocks come BEFORE each encoding layer on purpose: a block after the last encoding
// would cancel in the fidelity, |⟨0|E_q† W† W E_d|0⟩|² = |⟨0|E_q† E_d|0⟩|², and train nothing.
//
// The swap-test circuit (for export to hardware only; simulation uses the exact overlap) puts
// both sides on two registers with one ancilla: P(ancilla = 0) = (1 + F)/2.

import { Circuit, CircuitError } from '../../circuit/circuit.js';
import { x } from '../../circuit/params.js';
import { basicEntanglerLayers, ryCnotChainBlocks, stronglyEntanglingLayers } from '../../circuit/templates.js';
import { numAngles, type ResolvedRerankerConfig } from './config.js';

type CircuitShape = Pick<ResolvedRerankerConfig, 'qubits' | 'encodingLayers' | 'depth' | 'ansatz'>;

/** The circuit of one side: inputs are the numAngles predicted angles, weights the ansatz's. */
export function rerankerCircuit(config: CircuitShape): Circuit {
  checkShape(config);
  const c = new Circuit(config.qubits);
  c.declareInputs(numAngles(config));
  appendEncoder(c, config, range(config.qubits), 0, undefined);
  return c;
}

/**
 * Append the encoder on `wires`, reading angles from input `inputOffset` on. `firstWeights` (one
 * per block) reuses existing weights — the swap test's second register shares the first's.
 * Returns the first weight index of every block.
 */
function appendEncoder(c: Circuit, config: CircuitShape, wires: number[], inputOffset: number, firstWeights: number[] | undefined): number[] {
  const n = wires.length;
  const used: number[] = [];
  for (let l = 0; l < config.encodingLayers; l++) {
    if (config.depth > 0) {
      const opts = { wires, layers: config.depth, firstWeight: firstWeights?.[l] };
      const t = config.ansatz === 'basic_entangler' ? basicEntanglerLayers(c, opts) : config.ansatz === 'ry_cnot_chain' ? ryCnotChainBlocks(c, opts) : stronglyEntanglingLayers(c, opts);
      used.push(t.firstWeight);
    }
    for (let i = 0; i < n; i++) {
      const k = inputOffset + 3 * (l * n + i);
      c.rot(wires[i], x(k), x(k + 1), x(k + 2));
    }
    if (n > 1) {
      const r = (l % (n - 1)) + 1;
      for (let i = 0; i < n; i++) c.cnot(wires[i], wires[(i + r) % n]);
    }
  }
  return used;
}

/**
 * The swap test of two sides for export: wire 0 is the ancilla, wires 1..n side A (inputs
 * 0..A−1), wires n+1..2n side B (inputs A..2A−1), both with the same weights. Measure wire 0:
 * P(0) = (1 + F)/2. The controlled SWAP is written as CNOT · Toffoli · CNOT so any OpenQASM 2
 * target takes it.
 */
export function swapTestCircuit(config: CircuitShape): Circuit {
  checkShape(config);
  const n = config.qubits;
  const c = new Circuit(2 * n + 1);
  const A = numAngles(config);
  c.declareInputs(2 * A);
  const wiresA = range(n).map((i) => i + 1);
  const wiresB = range(n).map((i) => i + 1 + n);
  const blocks = appendEncoder(c, config, wiresA, 0, undefined);
  appendEncoder(c, config, wiresB, A, config.depth > 0 ? blocks : undefined);
  c.h(0);
  for (let i = 0; i < n; i++) {
    c.cnot(wiresB[i], wiresA[i]);
    c.toffoli(0, wiresA[i], wiresB[i]);
    c.cnot(wiresB[i], wiresA[i]);
  }
  c.h(0);
  return c;
}

function checkShape(config: CircuitShape): void {
  if (!(Number.isInteger(config.qubits) && config.qubits >= 1)) throw new CircuitError(`reranker: qubits must be a positive integer, got ${config.qubits}`);
  if (!(Number.isInteger(config.encodingLayers) && config.encodingLayers >= 1)) throw new CircuitError(`reranker: encodingLayers must be a positive integer, got ${config.encodingLayers}`);
  if (!(Number.isInteger(config.depth) && config.depth >= 0)) throw new CircuitError(`reranker: depth must be an integer >= 0, got ${config.depth}`);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
