// The declarative description of a quantum layer, as written in YAML configs and stored in
// QuantumLayer configs: an embedding of the layer's inputs, an ansatz of trainable weights, and a
// measurement. `buildCircuit` turns it into a Circuit; `QUANTUM_LAYER_SCHEMA` validates it.

import { Circuit, CircuitError, MAX_WIRES } from '../circuit/circuit.js';
import { parseObservable } from '../circuit/observable-parse.js';
import { zOnEveryWire, type Observable } from '../circuit/observables.js';
import { expval, probs, type Measurement } from '../circuit/measurements.js';
import {
  amplitudeEmbedding,
  angleEmbedding,
  basicEntanglerLayers,
  iqpEmbedding,
  realAmplitudes,
  ryCnotChainBlocks,
  stronglyEntanglingLayers,
  u3CU3RingBlocks,
  zzFeatureMap,
  type Entanglement,
} from '../circuit/templates.js';

import type { DiffMethod } from '../engine/qnode.js';
import type { WeightInit } from '../tf/circuit-layer.js';

export type { DiffMethod };

export type EmbeddingSpec =
  | { type: 'angle'; rotation?: 'X' | 'Y' | 'Z'; scale?: number }
  | { type: 'amplitude'; normalize?: boolean; pad?: number }
  | { type: 'iqp'; repeats?: number }
  | { type: 'zz_feature_map'; reps?: number; entanglement?: Entanglement }
  | { type: 'none' };

export type AnsatzSpec =
  | { type: 'strongly_entangling'; layers: number; ranges?: number[] }
  | { type: 'basic_entangler'; layers: number; rotation?: 'X' | 'Y' | 'Z' }
  | { type: 'real_amplitudes'; reps?: number; entanglement?: Entanglement }
  | { type: 'ry_cnot_chain'; layers: number }
  | { type: 'u3_cu3_ring'; layers: number }
  | { type: 'none' };

export type MeasureSpec =
  | { type: 'expval'; observables?: string[] }
  | { type: 'probs'; wires?: number[] };

/** Circuit weight initialization (the bridge's WeightInit). */
export type WeightInitSpec = WeightInit;

export interface QuantumLayerSpec {
  wires: number;
  /** Number of input features; defaults to the embedding's natural count (wires, or 2^wires for amplitude). */
  inputs?: number;
  embedding?: EmbeddingSpec;
  ansatz?: AnsatzSpec;
  measure?: MeasureSpec;
  diffMethod?: DiffMethod;
  /** Circuit weight initialization; default uniform in [0, 2π) as PennyLane's TorchLayer does. */
  init?: WeightInitSpec;
}

export interface BuiltQuantumCircuit {
  circuit: Circuit;
  measurement: Measurement;
  outputSize: number;
}

/** Build the circuit and measurement a spec describes. Errors name the spec field. */
export function buildCircuit(spec: QuantumLayerSpec): BuiltQuantumCircuit {
  const n = spec.wires;
  // The structural bound only; whether the state fits in memory the engine checks when it runs.
  if (!Number.isInteger(n) || n < 1 || n > MAX_WIRES) throw new CircuitError(`quantum layer: wires must be an integer in 1..${MAX_WIRES}, got ${n}`);
  const c = new Circuit(n);
  const emb = spec.embedding ?? { type: 'angle' };
  switch (emb.type) {
    case 'angle':
      angleEmbedding(c, { rotation: emb.rotation ?? 'X', scale: emb.scale ?? 1, numFeatures: spec.inputs ?? n });
      break;
    case 'amplitude':
      amplitudeEmbedding(c, { numFeatures: spec.inputs ?? 2 ** n, normalize: emb.normalize ?? true, pad: emb.pad ?? 0 });
      break;
    case 'iqp':
      iqpEmbedding(c, { repeats: emb.repeats ?? 1 });
      break;
    case 'zz_feature_map':
      zzFeatureMap(c, { reps: emb.reps ?? 2, entanglement: emb.entanglement ?? 'full' });
      break;
    case 'none':
      break;
    default:
      throw new CircuitError(`quantum layer: embedding.type "${(emb as { type: string }).type}" is not one of angle, amplitude, iqp, zz_feature_map, none`);
  }
  if (spec.inputs !== undefined) c.declareInputs(spec.inputs);
  const ans = spec.ansatz ?? { type: 'strongly_entangling', layers: 2 };
  switch (ans.type) {
    case 'strongly_entangling':
      stronglyEntanglingLayers(c, { layers: ans.layers, ranges: ans.ranges });
      break;
    case 'basic_entangler':
      basicEntanglerLayers(c, { layers: ans.layers, rotation: ans.rotation });
      break;
    case 'real_amplitudes':
      realAmplitudes(c, { reps: ans.reps ?? 3, entanglement: ans.entanglement });
      break;
    case 'ry_cnot_chain':
      ryCnotChainBlocks(c, { layers: ans.layers });
      break;
    case 'u3_cu3_ring':
      u3CU3RingBlocks(c, { layers: ans.layers });
      break;
    case 'none':
      break;
    default:
      throw new CircuitError(`quantum layer: ansatz.type "${(ans as { type: string }).type}" is not one of strongly_entangling, basic_entangler, real_amplitudes, ry_cnot_chain, u3_cu3_ring, none`);
  }
  const m = spec.measure ?? { type: 'expval' };
  if (m.type === 'probs') {
    const wires = m.wires ?? Array.from({ length: n }, (_, i) => i);
    wires.forEach((wire, i) => {
      if (!Number.isInteger(wire) || wire < 0 || wire >= n) throw new CircuitError(`quantum layer: measure.wires[${i}] = ${wire} is outside 0..${n - 1}`);
    });
    return { circuit: c, measurement: probs(wires), outputSize: 2 ** wires.length };
  }
  let observables: Observable[];
  if (m.observables && m.observables.length > 0) {
    observables = m.observables.map((text, i) => {
      try {
        return parseObservable(text, n);
      } catch (e) {
        throw new CircuitError(`quantum layer: measure.observables[${i}]: ${(e as Error).message}`);
      }
    });
  } else observables = zOnEveryWire(n);
  return { circuit: c, measurement: expval(observables), outputSize: observables.length };
}

const entanglementEnum = ['full', 'linear', 'reverse_linear', 'circular'];
const rotationEnum = ['X', 'Y', 'Z'];

/** JSON Schema (draft-07, for ajv) of a quantum layer spec. */
export const QUANTUM_LAYER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['wires'],
  properties: {
    wires: { type: 'integer', minimum: 1, maximum: MAX_WIRES },
    inputs: { type: 'integer', minimum: 1 },
    diffMethod: { enum: ['adjoint', 'parameter-shift', 'finite-diff'] },
    embedding: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['angle', 'amplitude', 'iqp', 'zz_feature_map', 'none'] },
        rotation: { enum: rotationEnum },
        scale: { type: 'number' },
        normalize: { type: 'boolean' },
        pad: { type: 'number' },
        repeats: { type: 'integer', minimum: 1 },
        reps: { type: 'integer', minimum: 1 },
        entanglement: { enum: entanglementEnum },
      },
      additionalProperties: false,
    },
    ansatz: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['strongly_entangling', 'basic_entangler', 'real_amplitudes', 'ry_cnot_chain', 'u3_cu3_ring', 'none'] },
        layers: { type: 'integer', minimum: 1 },
        ranges: { type: 'array', items: { type: 'integer', minimum: 1 } },
        rotation: { enum: rotationEnum },
        reps: { type: 'integer', minimum: 0 },
        entanglement: { enum: entanglementEnum },
      },
      additionalProperties: false,
      // The layered ansatzes have no sensible default depth: say so at the config, not deep in a template.
      if: { properties: { type: { enum: ['strongly_entangling', 'basic_entangler', 'ry_cnot_chain', 'u3_cu3_ring'] } } },
      then: { required: ['layers'] },
    },
    measure: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['expval', 'probs'] },
        observables: { type: 'array', items: { type: 'string' } },
        wires: { type: 'array', items: { type: 'integer', minimum: 0 } },
      },
      additionalProperties: false,
    },
    init: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['uniform', 'normal'] },
        low: { type: 'number' },
        high: { type: 'number' },
        mean: { type: 'number' },
        std: { type: 'number', minimum: 0 },
      },
      additionalProperties: false,
    },
  },
} as const;
