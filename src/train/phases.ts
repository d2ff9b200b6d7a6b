// Training phases: a layer can be marked to train only from a given epoch on. Before it, its
// variables are left out of the variables the step differentiates and updates (so they keep their
// values bit for bit and the optimizer's slots for them stay untouched). Which variables train in
// an epoch depends only on the epoch number, so a run resumed at any epoch, across a phase
// boundary included, trains exactly what the uninterrupted run trains.
//
// The mark lives beside the layer (a WeakMap), not in its config, so built-in tfjs layers (Dense)
// can carry it too; a model rebuilt from its config gets it again from the builder that set it.

import type * as tf from '@tensorflow/tfjs';

const fromEpoch = new WeakMap<tf.layers.Layer, number>();

/** Train `layer` from 0-based epoch `epoch` on (frozen before it). */
export function trainFromEpoch(layer: tf.layers.Layer, epoch: number): void {
  if (!(Number.isInteger(epoch) && epoch >= 0)) throw new RangeError(`a layer's first training epoch must be an integer >= 0, got ${epoch}`);
  fromEpoch.set(layer, epoch);
}

/** The 0-based epoch from which `layer` trains (0: from the start). */
export function firstTrainingEpoch(layer: tf.layers.Layer): number {
  return fromEpoch.get(layer) ?? 0;
}

/** Variable name → the first epoch it trains in, for the variables with a later start than 0. */
export function delayedVariables(model: tf.LayersModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const layer of model.layers) {
    const start = firstTrainingEpoch(layer);
    if (start > 0) for (const w of layer.trainableWeights) out.set((w.read() as tf.Variable).name, start);
  }
  return out;
}

/**
 * Per-epoch values that layers report for metrics.jsonl (e.g. the quantum head's gate alpha):
 * a layer with `epochMetrics()` contributes its entries.
 */
export function layerEpochMetrics(model: tf.LayersModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const layer of model.layers) {
    const m = (layer as unknown as { epochMetrics?: () => Record<string, number> }).epochMetrics;
    if (typeof m === 'function') Object.assign(out, m.call(layer));
  }
  return out;
}
