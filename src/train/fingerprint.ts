// Fingerprints that tie a checkpoint to its run: a SHA-256 of canonical JSON (object keys sorted,
// so key order in a YAML file does not matter) of the model architecture and of the config.

import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';
import type { Fingerprint } from './checkpoint.js';

/** JSON with object keys sorted at every level; undefined members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The architecture of a model: each layer's class and config, and every variable's stable name
 * and shape. Two builds of the same layer list fingerprint alike whatever their initial weights.
 */
export function modelFingerprint(model: tf.LayersModel): string {
  const layers = model.layers.map((layer) => ({ className: layer.getClassName(), config: layer.getConfig() }));
  const weights = model.weights.map((w) => ({ name: w.originalName, shape: w.shape, trainable: w.trainable }));
  return sha256Hex(canonicalJson({ layers, weights }));
}

export function configFingerprint(config: unknown): string {
  return sha256Hex(canonicalJson(config));
}

export function fingerprintOf(model: tf.LayersModel, config: unknown): Fingerprint {
  return { model: modelFingerprint(model), config: configFingerprint(config) };
}
