// Shared by the training tests: the cpu backend, a tiny dataset and a tiny model.

import * as tf from '@tensorflow/tfjs';
import { toTensors } from '../../src/data/dataset.js';
import { prepareData } from '../../src/data/load.js';
import { buildModel, type LayerConfig } from '../../src/models/build.js';
import { setupBackend } from '../../src/tf-kernels/backend.js';

export async function cpu(): Promise<void> {
  await setupBackend('cpu');
}

/** 120 circles rows (80 train / 20 val / 20 test), standardized, as tensors. */
export function tinyCircles(seed = 1): { train: { x: tf.Tensor; y: tf.Tensor1D }; val: { x: tf.Tensor; y: tf.Tensor1D }; dispose(): void } {
  const d = prepareData({ type: 'circles', samples: 120, noise: 0.05, noiseFeatures: 1, split: { train: 80, val: 20, test: 20 } }, seed);
  const train = toTensors(d.train);
  const val = toTensors(d.val);
  return { train, val, dispose: () => tf.dispose([train.x, train.y, val.x, val.y]) };
}

export const TINY_LAYERS: LayerConfig[] = [{ dense: { units: 8, activation: 'relu' } }, { dropout: 0.2 }, { dense: { units: 2 } }];

export function tinyModel(seed = 1, layers: LayerConfig[] = TINY_LAYERS): tf.Sequential {
  return buildModel(layers, { inputShape: [3], seed, numClasses: 2 });
}
