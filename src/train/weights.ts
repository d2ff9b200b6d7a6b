// Copying all of a model's variables (trainable or not: batch-norm statistics count) out to
// plain arrays and back, by stable name and shape. Used by checkpoints and restore-best.

import * as tf from '@tensorflow/tfjs';
import type { StoredTensor } from './checkpoint.js';
import { EntangleError } from '../util/errors.js';

export class WeightMismatchError extends EntangleError {
  constructor(message: string) {
    super('E_WEIGHTS', message);
  }
  override name = 'WeightMismatchError';
}

export function snapshotWeights(model: tf.LayersModel): Map<string, StoredTensor> {
  const out = new Map<string, StoredTensor>();
  for (const w of model.weights) {
    if (w.dtype !== 'float32') throw new Error(`variable "${w.originalName}" has dtype ${w.dtype}; checkpoints hold float32 only`);
    out.set(w.originalName, { shape: w.shape.map((d) => d ?? 0), values: Float32Array.from(w.read().dataSync() as Float32Array) });
  }
  return out;
}

/** Put saved values back; any missing, extra or reshaped variable is an error and nothing is changed. */
export function restoreWeights(model: tf.LayersModel, saved: ReadonlyMap<string, StoredTensor>): void {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const w of model.weights) {
    names.add(w.originalName);
    const s = saved.get(w.originalName);
    if (!s) problems.push(`"${w.originalName}" is missing`);
    else if (s.shape.length !== w.shape.length || s.shape.some((d, i) => d !== w.shape[i])) {
      problems.push(`"${w.originalName}" has shape [${s.shape}], the model has [${w.shape}]`);
    }
  }
  for (const name of saved.keys()) if (!names.has(name)) problems.push(`"${name}" is not a variable of this model`);
  if (problems.length > 0) throw new WeightMismatchError(`saved weights do not fit the model: ${problems.join('; ')}`);
  for (const w of model.weights) {
    const s = saved.get(w.originalName) as StoredTensor;
    tf.tidy(() => (w.read() as tf.Variable).assign(tf.tensor(s.values, s.shape, 'float32')));
  }
}
