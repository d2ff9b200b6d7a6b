// The Quantum-Train model family's settings (`model.quantumTrain` in a config), their defaults,
// and their resolution against a concrete target network.
//
// Defaults follow the paper's official code (Liu et al., arXiv 2405.11304): the MNIST CNN as the
// target; N = ceil(log2 M) qubits for M target parameters; blocks of U3 on every wire + a ring of
// CU3 (6N angles per block), angles initialized uniformly in [−π, π) (torchquantum's default);
// probabilities of the first M basis states scaled by (β·tanh(γ·2^(N−1)·p))^α with β = 0.8,
// γ = 0.1, α = 0.3, then centred; a mapping network N+1 → 4 → 20 → 4 → 1 whose layers the
// official code applies *without* activation functions (its comments say "ReLU", its code calls
// none: we follow the code, `mapping.activation` changes it), initialized like torch's
// nn.Linear (uniform ±1/√fan_in for weights and biases); its outputs centred.

import { ModelConfigError } from '../build.js';
import { stepShapes, targetParamCount, targetPreset, targetWeights, TARGET_ACTIVATIONS, TARGET_PRESETS, type TargetNet, type TargetActivation, type TargetPreset, type TargetStep, type TargetWeight } from './target.js';

export const QT_ANSATZES = ['u3_cu3_ring', 'ry_cnot_chain'] as const;
export type QtAnsatz = (typeof QT_ANSATZES)[number];

export interface QuantumTrainSpec {
  /** The network whose weights are generated: a preset, or explicit steps. Default: the paper's CNN. */
  target?: { preset?: TargetPreset; steps?: TargetStep[]; inputShape?: number[]; classes?: number };
  ansatz?: QtAnsatz;
  /** Number of ansatz blocks L. */
  blocks?: number;
  /** Qubits; default and minimum ceil(log2 M). */
  qubits?: number;
  mapping?: { hidden?: number[]; activation?: TargetActivation };
  scaling?: { beta?: number; gamma?: number; alpha?: number };
  /** Circuit angles ~ uniform[low, high); default [−π, π). */
  init?: { low?: number; high?: number };
}

export interface ResolvedQuantumTrain {
  net: TargetNet;
  weights: TargetWeight[];
  /** M: generated values (the target's parameter count). */
  count: number;
  qubits: number;
  ansatz: QtAnsatz;
  blocks: number;
  hidden: number[];
  activation: TargetActivation;
  beta: number;
  gamma: number;
  alpha: number;
  initLow: number;
  initHigh: number;
}

export const QT_DEFAULTS = {
  ansatz: 'u3_cu3_ring' as QtAnsatz,
  blocks: 8,
  hidden: [4, 20, 4],
  activation: 'linear' as TargetActivation,
  beta: 0.8,
  gamma: 0.1,
  alpha: 0.3,
};

/**
 * Resolve a spec for inputs of `inputShape` (one sample; flat inputs of the right size are
 * reshaped to the target's image shape) and `classes` outputs. Errors name the spec field.
 */
export function resolveQuantumTrain(spec: QuantumTrainSpec, data: { inputShape?: number[]; classes?: number } = {}): ResolvedQuantumTrain {
  const t = spec.target ?? {};
  const fail = (field: string, message: string) => new ModelConfigError(`model.quantumTrain.${field}`, message);
  if (t.preset && t.steps) throw fail('target', `give either preset or steps, not both`);
  let imageShape = t.inputShape ?? (data.inputShape && data.inputShape.length > 1 ? data.inputShape : [28, 28, 1]);
  const classes = t.classes ?? data.classes ?? 10;
  if (data.inputShape) {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    if (size(data.inputShape) !== size(imageShape)) {
      // A flat data row of side² values is a square grey image unless the target says otherwise.
      const side = Math.round(Math.sqrt(size(data.inputShape)));
      if (!t.inputShape && data.inputShape.length === 1 && side * side === data.inputShape[0]) imageShape = [side, side, 1];
      else throw fail('target.inputShape', `the data has samples of shape [${data.inputShape.join(', ')}], the target expects [${imageShape.join(', ')}]`);
    }
  }
  const net: TargetNet = t.steps ? { inputShape: imageShape, steps: t.steps } : targetPreset(t.preset ?? 'qt_mnist_cnn', imageShape, classes);
  if (t.preset && !(TARGET_PRESETS as readonly string[]).includes(t.preset)) throw fail('target.preset', `"${t.preset}" is not one of ${TARGET_PRESETS.join(', ')}`);
  let shapes: number[][];
  try {
    shapes = stepShapes(net);
  } catch (e) {
    throw fail('target', `${(e as Error).message}`);
  }
  const out = shapes[shapes.length - 1] ?? [];
  if (data.classes !== undefined && (out.length !== 1 || out[0] !== data.classes)) {
    throw fail('target', `the target outputs [${out.join(', ')}] per sample but the data has ${data.classes} classes`);
  }
  const weights = targetWeights(net);
  const count = targetParamCount(net);
  if (count < 2) throw fail('target', `the target has ${count} parameters; Quantum-Train needs at least 2`);
  const minQubits = Math.max(1, Math.ceil(Math.log2(count)));
  const qubits = spec.qubits ?? minQubits;
  if (!Number.isInteger(qubits) || qubits < minQubits || qubits > 24) {
    throw fail('qubits', `${qubits} qubits give 2^${qubits} probabilities, but the target has ${count} parameters: use an integer from ${minQubits} (ceil log2 ${count}) to 24`);
  }
  const ansatz = spec.ansatz ?? QT_DEFAULTS.ansatz;
  if (!(QT_ANSATZES as readonly string[]).includes(ansatz)) throw fail('ansatz', `"${ansatz}" is not one of ${QT_ANSATZES.join(', ')}`);
  const blocks = spec.blocks ?? QT_DEFAULTS.blocks;
  if (!Number.isInteger(blocks) || blocks < 1) throw fail('blocks', `must be a positive integer, got ${blocks}`);
  const hidden = spec.mapping?.hidden ?? QT_DEFAULTS.hidden;
  hidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) throw fail(`mapping.hidden[${i}]`, `must be a positive integer, got ${h}`);
  });
  const activation = spec.mapping?.activation ?? QT_DEFAULTS.activation;
  if (!(TARGET_ACTIVATIONS as readonly string[]).includes(activation)) throw fail('mapping.activation', `"${activation}" is not one of ${TARGET_ACTIVATIONS.join(', ')}`);
  const s = spec.scaling ?? {};
  const beta = s.beta ?? QT_DEFAULTS.beta;
  const gamma = s.gamma ?? QT_DEFAULTS.gamma;
  const alpha = s.alpha ?? QT_DEFAULTS.alpha;
  for (const [k, v] of [['beta', beta], ['gamma', gamma], ['alpha', alpha]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw fail(`scaling.${k}`, `must be a positive number, got ${v}`);
  }
  const initLow = spec.init?.low ?? -Math.PI;
  const initHigh = spec.init?.high ?? Math.PI;
  if (!(initHigh > initLow)) throw fail('init', `high (${initHigh}) must be above low (${initLow})`);
  return { net, weights, count, qubits, ansatz, blocks, hidden: [...hidden], activation, beta, gamma, alpha, initLow, initHigh };
}

/** Circuit angles: 6N per block for U3+CU3 ring, N per block for RY+CNOT chain. */
export function circuitParamCount(r: Pick<ResolvedQuantumTrain, 'qubits' | 'blocks' | 'ansatz'>): number {
  return r.blocks * r.qubits * (r.ansatz === 'u3_cu3_ring' ? 6 : 1);
}

/** Mapping network parameters: (N+1) → hidden… → 1, weights and biases. */
export function mappingParamCount(r: Pick<ResolvedQuantumTrain, 'qubits' | 'hidden'>): number {
  const sizes = [r.qubits + 1, ...r.hidden, 1];
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1] + sizes[i + 1];
  return n;
}
