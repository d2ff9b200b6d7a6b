// Starting a model from weights in a file: a TensorFlow.js layers model (model.json with its
// weightsManifest and weight files, as saveModel, `entangle train` or tfjs's own converter write
// them) or a bare weights manifest (weights_manifest.json: the same groups of paths and weight
// specs). Everything is read with fs from the local disk; nothing is ever downloaded.
//
// Weights are matched by name (layer/weight, tfjs's original names), and the whole file is
// checked before any variable is written: a missing weight, a weight the model lacks, or a shape
// that differs is refused with the layer's name, so a model is never half-initialized.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EntangleError } from '../util/errors.js';

export class InitialWeightsError extends EntangleError {
  override name = 'InitialWeightsError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('E_INITIAL_WEIGHTS', `${file}: ${message}`);
  }
}

type ManifestGroup = { paths: string[]; weights: tf.io.WeightsManifestEntry[] };

/** The weight groups a model.json or a weights manifest lists. */
function manifestOf(file: string, json: unknown): ManifestGroup[] {
  const groups = Array.isArray(json) ? json : (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  const valid = Array.isArray(groups) && groups.every((g) => Array.isArray((g as ManifestGroup)?.paths) && Array.isArray((g as ManifestGroup)?.weights));
  if (!valid) {
    throw new InitialWeightsError(file, 'is neither a TensorFlow.js layers model (model.json with a "weightsManifest") nor a weights manifest (a JSON list of {paths, weights}); give the model.json of a saved model, e.g. a run folder\'s model.json');
  }
  return groups as ManifestGroup[];
}

/** Read the named tensors of a model.json or weights manifest (the caller disposes them). */
export function readWeightsFile(file: string): tf.NamedTensorMap {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InitialWeightsError(file, `cannot read it as JSON (${(e as Error).message})`);
  }
  const out: tf.NamedTensorMap = {};
  for (const group of manifestOf(file, json)) {
    const parts = group.paths.map((p) => {
      const path = resolve(dirname(file), p);
      try {
        return readFileSync(path);
      } catch (e) {
        throw new InitialWeightsError(file, `its weight file ${p} cannot be read (${(e as Error).message}); it must lie beside the JSON file`);
      }
    });
    const bytes = Buffer.concat(parts);
    const need = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * bytesPer(file, w), 0);
    if (bytes.byteLength !== need) {
      throw new InitialWeightsError(file, `${group.paths.join(', ')} hold ${bytes.byteLength} bytes, the manifest's ${group.weights.length} weights need ${need} (a damaged or truncated file?)`);
    }
    const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), group.weights);
    Object.assign(out, decoded);
  }
  return out;
}

function bytesPer(file: string, w: tf.io.WeightsManifestEntry): number {
  if (w.quantization) throw new InitialWeightsError(file, `weight "${w.name}" is quantized (${w.quantization.dtype}); give unquantized float32 weights`);
  if (w.dtype === 'float32' || w.dtype === 'int32') return 4;
  if (w.dtype === 'bool') return 1;
  throw new InitialWeightsError(file, `weight "${w.name}" has dtype ${w.dtype}; only float32, int32 and bool weights can be read`);
}

/** The layer a weight belongs to, from its original name "layer/weight". */
function layerOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(0, i);
}

/**
 * Set every weight of `model` (trainable or not: BatchNorm statistics too) from `file`. Any
 * mismatch is refused before a variable changes, naming the first layers at fault.
 */
export function loadInitialWeights(model: tf.LayersModel, file: string): void {
  const stored = readWeightsFile(file);
  try {
    const problems: string[] = [];
    const names = new Set<string>();
    for (const w of model.weights) {
      names.add(w.originalName);
      const t = stored[w.originalName];
      if (!t) problems.push(`layer "${layerOf(w.originalName)}": weight "${w.originalName}" is not in the file`);
      else if (t.shape.join(',') !== w.shape.join(',')) problems.push(`layer "${layerOf(w.originalName)}": weight "${w.originalName}" has shape [${t.shape.join(', ')}] in the file, the model's is [${w.shape.join(', ')}]`);
      else if (t.dtype !== w.dtype) problems.push(`layer "${layerOf(w.originalName)}": weight "${w.originalName}" is ${t.dtype} in the file, the model's is ${w.dtype}`);
    }
    for (const name of Object.keys(stored)) if (!names.has(name)) problems.push(`layer "${layerOf(name)}": weight "${name}" is in the file but not in the model`);
    if (problems.length > 0) {
      const shown = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
      throw new InitialWeightsError(file, `the weights do not fit the model (same architecture, depth, width, input channels and classes needed): ${shown}`);
    }
    for (const w of model.weights) w.write(stored[w.originalName]);
  } finally {
    tf.dispose(Object.values(stored));
  }
}
