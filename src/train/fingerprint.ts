// Fingerprints that tie a checkpoint to its run: a hash (../util/hash.ts) of the model
// architecture and of the config.

import { canonicalJson, configFingerprint, sha256Hex } from '../util/hash.js';
import type * as tf from '@tensorflow/tfjs';
import type { Fingerprint } from './checkpoint.js';

/**
 * The architecture of a model: each layer's class and config, and every variable's stable name
 * and shape. Two builds of the same layer list fingerprint alike whatever their initial weights.
 */
export function modelFingerprint(model: tf.LayersModel): string {
  const layers = model.layers.map((layer) => ({ className: layer.getClassName(), config: layer.getConfig() }));
  const weights = model.weights.map((w) => ({ name: w.originalName, shape: w.shape, trainable: w.trainable }));
  return sha256Hex(canonicalJson({ layers, weights }));
}

export function fingerprintOf(model: tf.LayersModel, config: unknown): Fingerprint {
  return { model: modelFingerprint(model), config: configFingerprint(config) };
}
