// Time spent inside circuit simulation: layers that run an engine (QuantumLayer) expose a
// `timing` record of the seconds their forward and gradient calls took; the trainer reads the
// sum before and after each epoch to report the quantum layers' share of the training time.

import type * as tf from '@tensorflow/tfjs';

export interface EngineTiming {
  forwardSeconds: number;
  backwardSeconds: number;
}

function timingOf(layer: unknown): EngineTiming | undefined {
  const t = (layer as { timing?: Partial<EngineTiming> }).timing;
  return t && typeof t.forwardSeconds === 'number' && typeof t.backwardSeconds === 'number' ? (t as EngineTiming) : undefined;
}

/** Seconds spent so far in the engine calls of every timed layer of the model (forward + gradient). */
export function engineSeconds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const t = timingOf(layer);
    if (t) total += t.forwardSeconds + t.backwardSeconds;
  }
  return total;
}
