// Building a Quantum-Train model, reading its generated weights, and exporting the generated
// classical network as a plain TensorFlow.js model (standard layers only: it loads and predicts
// with @tensorflow/tfjs alone, no Entangle code).

import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../save.js';
import { deriveSeed } from '../../util/random.js';
import { QTCircuitLayer, QTMappingLayer, QTTargetLayer, splitGenerated } from './layers.js';
import { circuitParamCount, mappingParamCount, resolveQuantumTrain, type QuantumTrainSpec, type ResolvedQuantumTrain } from './spec.js';
import { buildTargetModel, type InputRescale } from './target.js';

export interface QuantumTrainBuildOptions {
  /** Shape of one data sample: flat [784] rows or images [28, 28, 1]. */
  inputShape: number[];
  /** Number of classes the data has (checked against the target's output). */
  classes?: number;
  seed: number;
  name?: string;
}

/** The hybrid: images → circuit → mapping network → target network (run on the generated weights). */
export function buildQuantumTrainModel(spec: QuantumTrainSpec, opts: QuantumTrainBuildOptions): tf.LayersModel {
  const qt = resolveQuantumTrain(spec, { inputShape: opts.inputShape, classes: opts.classes });
  const input = tf.input({ shape: opts.inputShape, name: 'input' });
  const circuit = new QTCircuitLayer({ qt, seed: deriveSeed(opts.seed, 'init', 'qt_circuit'), name: 'qt_circuit' });
  const mapping = new QTMappingLayer({ qt, seed: deriveSeed(opts.seed, 'init', 'qt_mapping'), name: 'qt_mapping' });
  const target = new QTTargetLayer({ qt, name: 'qt_target' });
  const probs = circuit.apply(input) as tf.SymbolicTensor;
  const generated = mapping.apply(probs) as tf.SymbolicTensor;
  const logits = target.apply([input, generated]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: opts.name ? opts.name.replace(/[^A-Za-z0-9._-]/g, '_') : undefined });
}

export interface QuantumTrainParts {
  qt: ResolvedQuantumTrain;
  circuit: QTCircuitLayer;
  mapping: QTMappingLayer;
  target: QTTargetLayer;
}

/** The Quantum-Train layers of a model, or null when it is not one. */
export function quantumTrainParts(model: tf.LayersModel): QuantumTrainParts | null {
  const circuit = model.layers.find((l): l is QTCircuitLayer => l instanceof QTCircuitLayer);
  const mapping = model.layers.find((l): l is QTMappingLayer => l instanceof QTMappingLayer);
  const target = model.layers.find((l): l is QTTargetLayer => l instanceof QTTargetLayer);
  if (!circuit || !mapping || !target) return null;
  return { qt: circuit.qt, circuit, mapping, target };
}

/** Parameter accounting: trainable (circuit + mapping) against the generated target. */
export interface QuantumTrainCounts {
  qubits: number;
  blocks: number;
  ansatz: string;
  circuit: number;
  mapping: number;
  trainable: number;
  target: number;
  /** target / trainable: how many classical weights each trained parameter stands for. */
  compression: number;
}

export function quantumTrainCounts(qt: ResolvedQuantumTrain): QuantumTrainCounts {
  const circuit = circuitParamCount(qt);
  const mapping = mappingParamCount(qt);
  return { qubits: qt.qubits, blocks: qt.blocks, ansatz: qt.ansatz, circuit, mapping, trainable: circuit + mapping, target: qt.count, compression: qt.count / (circuit + mapping) };
}

/** The current generated weights, in the target's fill order (tensors the caller disposes). */
export function generatedWeights(parts: QuantumTrainParts): tf.Tensor[] {
  return tf.tidy(() => splitGenerated(parts.mapping.apply(parts.circuit.probabilities()) as tf.Tensor, parts.qt));
}

/**
 * The generated classical network as a standard tf.Sequential holding the current generated
 * weights. `flatInput` (default: true when the hybrid takes flat rows) puts a Reshape first so
 * it takes the same rows as the hybrid.
 */
export function generatedModel(model: tf.LayersModel, opts: { flatInput?: boolean; rescale?: InputRescale } = {}): tf.Sequential {
  const parts = quantumTrainParts(model);
  if (!parts) throw new Error('generatedModel: the model has no Quantum-Train layers');
  const flatInput = opts.flatInput ?? model.inputs[0].shape.length === 2;
  const seq = buildTargetModel(parts.qt.net, { flatInput, name: 'generated', layerPrefix: 'layer', rescale: opts.rescale });
  const weights = generatedWeights(parts);
  try {
    seq.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  return seq;
}

/**
 * Write the generated network to `dir` (model.json + weights.bin); returns it (caller disposes).
 * With `rescale`, a Rescaling layer first applies the run's input standardization, so the saved
 * model takes raw inputs (MNIST: pixels in [0, 1]).
 */
export async function exportGeneratedModel(model: tf.LayersModel, dir: string, opts: { flatInput?: boolean; rescale?: InputRescale } = {}): Promise<tf.Sequential> {
  const seq = generatedModel(model, opts);
  await saveModel(seq, dir);
  return seq;
}
