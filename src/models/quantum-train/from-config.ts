// `model.quantumTrain` of a config → a Quantum-Train model. A target given as `layers` (the same
// entries as `model.layers`) is built once with the ordinary model builder and read back as
// steps, so any network the builder can make and Quantum-Train can run is a valid target.

import type * as tf from '@tensorflow/tfjs';
import { buildModel, ModelConfigError, type LayerConfig } from '../build.js';
import { buildQuantumTrainModel } from './model.js';
import type { QuantumTrainSpec } from './spec.js';
import { stepsFromModel, type TargetPreset } from './target.js';

export interface QuantumTrainConfig extends Omit<QuantumTrainSpec, 'target'> {
  target?: { preset?: TargetPreset; layers?: LayerConfig[]; inputShape?: number[] };
  /** Write the generated network as a plain tfjs model (generated/) after training; default true. */
  export?: boolean;
}

export interface FamilyBuildOptions {
  inputShape: number[];
  seed: number;
  name?: string;
  numClasses?: number;
}

/** The spec a config describes, for data samples of `inputShape`. */
export function quantumTrainSpecFromConfig(config: QuantumTrainConfig, inputShape: number[]): QuantumTrainSpec {
  const { target, export: _export, ...rest } = config;
  if (!target?.layers) return { ...rest, target: target ? { preset: target.preset, inputShape: target.inputShape } : undefined };
  if (target.preset) throw new ModelConfigError('model.quantumTrain.target', 'give either preset or layers, not both');
  const shape = target.inputShape ?? inputShape;
  let probe: tf.Sequential | undefined;
  try {
    probe = buildModel(target.layers, { inputShape: shape, seed: 1 });
    return { ...rest, target: { steps: stepsFromModel(probe).steps, inputShape: shape } };
  } catch (e) {
    // Re-root the builder's paths (model.layers[i]…) under the target.
    const inner = e instanceof ModelConfigError ? { path: e.path.replace(/^model\.layers/, 'model.quantumTrain.target.layers'), message: e.message.slice(e.path.length + 2) } : { path: 'model.quantumTrain.target.layers', message: (e as Error).message };
    throw Object.assign(new ModelConfigError(inner.path, inner.message), { cause: e });
  } finally {
    probe?.dispose();
  }
}

export function buildQuantumTrainFromConfig(config: QuantumTrainConfig, opts: FamilyBuildOptions): tf.LayersModel {
  return buildQuantumTrainModel(quantumTrainSpecFromConfig(config, opts.inputShape), { inputShape: opts.inputShape, classes: opts.numClasses, seed: opts.seed, name: opts.name });
}
