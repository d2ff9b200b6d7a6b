// The gated quantum head: a variational circuit beside a model's classical classifier.
//
//   features ──► Dense(classes) ─────────────────────────────────► logits_cls ─┐
//      │                                                                      ├─► logits_cls + alpha·logits_q
//      └──► Dense(wires) → AngleEmbedding(RX) + StronglyEntanglingLayers → <Z_i> → Dense(classes) ─► logits_q
//
// `features` is the input of the model's last layer (its classifier), so a baseline config and its
// quantum-head twin share the same layer list (same names, same seeded initial weights) and differ
// only by model.quantumHead. Phases: for the first `warmupEpochs` epochs (phase A) the gate and the
// whole quantum branch are frozen (alpha stays sigmoid(alphaInit) ≈ 0) and the backbone with its
// classifier trains as the baseline does; from then on (phase B, fusion) everything trains.

import * as tf from '@tensorflow/tfjs';
import type { QuantumLayerSpec } from '../quantum-spec.js';
import { QuantumLayer } from '../quantum-layer.js';
import { trainFromEpoch } from '../../train/phases.js';
import { deriveSeed } from '../../util/random.js';
import { QuantumGate } from './gate.js';

export interface QuantumHeadConfig {
  /** Wires of the circuit = angles the features are mapped to (default 4). */
  wires?: number;
  /** StronglyEntanglingLayers depth (default 2). */
  layers?: number;
  /** Initial alpha_raw; alpha = sigmoid(alpha_raw) (default −6: alpha ≈ 0.0025). */
  alphaInit?: number;
  /** Phase A length: epochs with the gate and quantum branch frozen (default 1); phase B is the rest of training.epochs. */
  warmupEpochs?: number;
}

export const QUANTUM_HEAD_DEFAULTS = { wires: 4, layers: 2, alphaInit: -6, warmupEpochs: 1 } as const;

/** The circuit of the head as a QuantumLayer spec (what it saves in model.json). */
export function headCircuitSpec(config: QuantumHeadConfig): QuantumLayerSpec {
  return {
    wires: config.wires ?? QUANTUM_HEAD_DEFAULTS.wires,
    embedding: { type: 'angle', rotation: 'X' },
    ansatz: { type: 'strongly_entangling', layers: config.layers ?? QUANTUM_HEAD_DEFAULTS.layers },
    measure: { type: 'expval' },
  };
}

/**
 * A new model: `backbone`'s layers up to its classifier, the classifier, and the gated quantum
 * branch on the classifier's input. The backbone's last layer must map features [batch, f] to
 * logits [batch, classes].
 */
export function attachQuantumHead(backbone: tf.LayersModel, config: QuantumHeadConfig, seed: number): tf.LayersModel {
  const classifier = backbone.layers[backbone.layers.length - 1];
  const features = classifier.input as tf.SymbolicTensor;
  const logitsCls = backbone.outputs[0];
  if (features.shape.length !== 2 || logitsCls.shape.length !== 2) {
    throw new Error(`model.quantumHead: the model's last layer must map features [batch, f] to logits [batch, classes]; it maps [${features.shape.join(', ')}] to [${logitsCls.shape.join(', ')}]`);
  }
  const classes = logitsCls.shape[1] as number;
  const spec = headCircuitSpec(config);
  const warmup = config.warmupEpochs ?? QUANTUM_HEAD_DEFAULTS.warmupEpochs;
  const init = (label: string) => tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'quantum-head', label) });
  const angles = tf.layers.dense({ name: 'qhead_angles', units: spec.wires, kernelInitializer: init('angles'), biasInitializer: 'zeros' });
  const circuit = new QuantumLayer({ spec, seed: deriveSeed(seed, 'quantum-head', 'circuit'), name: 'qhead_circuit' });
  const logitsLayer = tf.layers.dense({ name: 'qhead_logits', units: classes, kernelInitializer: init('logits'), biasInitializer: 'zeros' });
  const gate = new QuantumGate({ alphaInit: config.alphaInit ?? QUANTUM_HEAD_DEFAULTS.alphaInit, name: 'qhead_gate' });
  const logitsQ = logitsLayer.apply(circuit.apply(angles.apply(features))) as tf.SymbolicTensor;
  const fused = gate.apply([logitsCls, logitsQ]) as tf.SymbolicTensor;
  for (const layer of [angles, circuit, logitsLayer, gate]) trainFromEpoch(layer, warmup);
  return tf.model({ inputs: backbone.inputs, outputs: fused, name: backbone.name });
}
