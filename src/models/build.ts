// Building a tf.LayersModel from the `model.layers` list of a config. Each entry is a one-key map
// naming the layer kind, whose body holds its settings:
//
//   - dense: { units: 16, activation: relu }
//   - activation: tanh
//   - dropout: 0.1
//   - batchnorm: {}
//   - quantum: { wires: 4, ansatz: { type: strongly_entangling, layers: 2 } }   # a QuantumLayerSpec
//   - conv2d: { filters: 8, kernelSize: 5, activation: relu }                   # images [h, w, c]
//   - maxpool2d: 2                                                              # or { poolSize: 2, strides: 2 }
//   - flatten: {}
//
// Layers get stable names (layer<i>_<kind>) so checkpoints find their variables in any process,
// and every initializer is seeded from (seed, layer index).

import * as tf from '@tensorflow/tfjs';
import type { DiffMethod, QuantumLayerSpec } from './quantum-spec.js';
import { SeededDropout } from './seeded-dropout.js';
import { QuantumLayer } from './quantum-layer.js';
import { isQuantumLayer } from '../train/param-groups.js';
import { deriveSeed } from '../util/random.js';
import { EntangleError } from '../util/errors.js';

import type { ActivationName } from './activations.js';

export { ACTIVATIONS, type ActivationName } from './activations.js';

export interface DenseSpec {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
}

export interface BatchNormSpec {
  momentum?: number;
  epsilon?: number;
}

/** A 2-D convolution over [height, width, channels] samples (channels last), glorot-initialized. */
export interface Conv2DSpec {
  filters: number;
  /** Square size, or [height, width]. */
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  activation?: ActivationName;
  useBias?: boolean;
}

export interface MaxPool2DSpec {
  /** Square window, or [height, width]; default 2. */
  poolSize?: number | [number, number];
  /** Default: the pool size (non-overlapping windows). */
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
}

export type LayerConfig =
  | { dense: DenseSpec }
  | { activation: ActivationName }
  | { dropout: number }
  | { batchnorm: BatchNormSpec }
  | { conv2d: Conv2DSpec }
  | { maxpool2d: number | MaxPool2DSpec | null }
  | { flatten: Record<string, never> | null }
  | { quantum: QuantumLayerSpec };

export const LAYER_KINDS = ['dense', 'activation', 'dropout', 'batchnorm', 'conv2d', 'maxpool2d', 'flatten', 'quantum'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export interface BuildOptions {
  /** Shape of one sample (without the batch dimension), e.g. [4]. */
  inputShape: number[];
  seed: number;
  name?: string;
  /** When given, the model's output size must equal it. */
  numClasses?: number;
  /** Overrides for every quantum layer (gradient method, shots). */
  quantum?: QuantumBuildOptions;
}

export class ModelConfigError extends EntangleError {
  override name = 'ModelConfigError';
  /** Config path of the offending field, e.g. "model.layers[4].dense.units". */
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('E_MODEL_CONFIG', `${path}: ${message}`);
  }
}

export function layerKind(config: LayerConfig): LayerKind {
  const keys = Object.keys(config);
  if (keys.length !== 1 || !(LAYER_KINDS as readonly string[]).includes(keys[0])) {
    throw new Error(`a layer entry must have exactly one key out of ${LAYER_KINDS.join(', ')}, got {${keys.join(', ')}}`);
  }
  return keys[0] as LayerKind;
}

/** One layer from its config entry; `index` names it and seeds it. */
export function buildLayer(config: LayerConfig, index: number, seed: number, quantum?: QuantumBuildOptions): tf.layers.Layer {
  const kind = layerKind(config);
  const name = `layer${index}_${kind}`;
  const layerSeed = deriveSeed(seed, 'init', index);
  switch (kind) {
    case 'dense': {
      const spec = (config as { dense: DenseSpec }).dense;
      return tf.layers.dense({
        name,
        units: spec.units,
        activation: spec.activation ?? 'linear',
        useBias: spec.useBias ?? true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed }),
        biasInitializer: 'zeros',
      });
    }
    case 'activation':
      return tf.layers.activation({ name, activation: (config as { activation: ActivationName }).activation });
    case 'dropout': {
      const body = (config as { dropout: number | { rate: number } }).dropout;
      return new SeededDropout({ name, rate: typeof body === 'number' ? body : body.rate, seed: layerSeed });
    }
    case 'batchnorm': {
      const spec = (config as { batchnorm: BatchNormSpec | null }).batchnorm ?? {};
      return tf.layers.batchNormalization({ name, momentum: spec.momentum ?? 0.99, epsilon: spec.epsilon ?? 1e-3 });
    }
    case 'conv2d': {
      const spec = (config as { conv2d: Conv2DSpec }).conv2d;
      return tf.layers.conv2d({
        name,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides ?? 1,
        padding: spec.padding ?? 'valid',
        activation: spec.activation ?? 'linear',
        useBias: spec.useBias ?? true,
        dataFormat: 'channelsLast',
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed }),
        biasInitializer: 'zeros',
      });
    }
    case 'maxpool2d': {
      const body = (config as { maxpool2d: number | MaxPool2DSpec | null }).maxpool2d;
      const spec: MaxPool2DSpec = typeof body === 'number' ? { poolSize: body } : (body ?? {});
      const poolSize = spec.poolSize ?? 2;
      return tf.layers.maxPooling2d({ name, poolSize, strides: spec.strides ?? poolSize, padding: spec.padding ?? 'valid', dataFormat: 'channelsLast' });
    }
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'quantum':
      return new QuantumLayer({ spec: withQuantumOptions((config as { quantum: QuantumLayerSpec }).quantum, quantum), seed: quantum?.seed !== undefined ? deriveSeed(quantum.seed, 'quantum', index) : layerSeed, name, shots: quantum?.shots, threads: quantum?.threads });
  }
}

/**
 * Settings applied to every quantum layer of a model at build time, over what its spec says:
 * the gradient method (gradient checks build one model per method), finite shots (evaluation as
 * on hardware), and the seed of the shot sampler.
 */
export interface QuantumBuildOptions {
  diffMethod?: DiffMethod;
  shots?: number;
  /** Seeds each quantum layer (its shot sampler) from (seed, layer index) instead of the model seed. */
  seed?: number;
  /** Engine threads per batch (QNodeOptions.threads). */
  threads?: number;
}

function withQuantumOptions(spec: QuantumLayerSpec, options: QuantumBuildOptions | undefined): QuantumLayerSpec {
  if (!options) return spec;
  // Shots have no exact state to run the adjoint method on: gradients then come from parameter shifts.
  const diffMethod = options.diffMethod ?? (options.shots !== undefined && (spec.diffMethod ?? 'adjoint') === 'adjoint' ? 'parameter-shift' : spec.diffMethod);
  return diffMethod === undefined ? spec : { ...spec, diffMethod };
}

/** A sequential model of the listed layers. Errors name the config path of the layer at fault. */
export function buildModel(layers: LayerConfig[], options: BuildOptions): tf.Sequential {
  if (layers.length === 0) throw new ModelConfigError('model.layers', 'the model needs at least one layer');
  const model = tf.sequential({ name: options.name ? sanitizeName(options.name) : undefined });
  layers.forEach((config, i) => {
    try {
      const layer = buildLayer(config, i, options.seed, options.quantum);
      if (i === 0) {
        // The first layer fixes the input shape; tfjs wants it on the layer, so wrap with an input layer.
        model.add(tf.layers.inputLayer({ inputShape: options.inputShape, name: 'input' }));
      }
      model.add(layer);
    } catch (e) {
      throw new ModelConfigError(`model.layers[${i}].${layerKind(config)}`, (e as Error).message);
    }
  });
  const outputShape = model.outputs[0].shape;
  if (options.numClasses !== undefined) {
    const outputs = outputShape[outputShape.length - 1];
    if (outputShape.length !== 2 || outputs !== options.numClasses) {
      const last = layers.length - 1;
      const kind = layerKind(layers[last]);
      throw new ModelConfigError(
        `model.layers[${last}].${kind}${kind === 'dense' ? '.units' : ''}`,
        `the model outputs [${outputShape.slice(1).join(', ')}] values per sample but the data has ${options.numClasses} classes (the last layer must output one value per class` +
          `${outputShape.length > 2 ? '; image features need a flatten layer before the dense layers' : ''})`,
      );
    }
  }
  return model;
}

export interface ParamCounts {
  quantum: number;
  classical: number;
  total: number;
}

/** Trainable parameters, split by whether their layer is quantum. */
export function countParams(model: tf.LayersModel): ParamCounts {
  let quantum = 0;
  let classical = 0;
  for (const layer of model.layers) {
    const n = layer.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    if (isQuantumLayer(layer)) quantum += n;
    else classical += n;
  }
  return { quantum, classical, total: quantum + classical };
}

/** tfjs names allow letters, digits and ._-/ only. */
function sanitizeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z0-9]/.test(s) ? s : `m${s}`;
}
