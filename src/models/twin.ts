// The classical twin of a hybrid layer list: the same layers with every quantum layer replaced by
// a dense layer of the same width (its output size), so a comparison isolates the circuit. The
// replacement keeps the quantum layer's output range: tanh for expectation values (in [-1, 1]),
// softmax for probabilities (non-negative, summing to 1). Layer indices, and so the seeded
// initializers of every classical layer, stay the same as the hybrid's.

import type { LayerConfig } from './build.js';
import { buildCircuit, type QuantumLayerSpec } from './quantum-spec.js';

export function classicalTwin(layers: readonly LayerConfig[]): LayerConfig[] {
  return layers.map((layer) => {
    if (!('quantum' in layer)) return layer;
    const spec: QuantumLayerSpec = layer.quantum;
    const { outputSize } = buildCircuit(spec);
    return { dense: { units: outputSize, activation: spec.measure?.type === 'probs' ? 'softmax' : 'tanh' } };
  });
}
