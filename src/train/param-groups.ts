// Splitting a model's trainable variables into param groups. A layer that declares
// `isQuantum === true` (the QuantumLayer) puts its weights in the "quantum" group; all others go
// to "classical". Each group takes its learning rate and weight decay from its own settings,
// falling back to the optimizer's.

import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable, ParamGroup } from './optimizers.js';

export type GroupName = 'quantum' | 'classical';

export interface GroupSettings {
  lr?: number;
  weightDecay?: number;
}

export function isQuantumLayer(layer: tf.layers.Layer): boolean {
  return (layer as unknown as { isQuantum?: unknown }).isQuantum === true;
}

/** Every trainable variable of the model, named by its stable original name. */
export function trainableVariables(model: tf.LayersModel): Array<NamedVariable & { group: GroupName }> {
  const out: Array<NamedVariable & { group: GroupName }> = [];
  for (const layer of model.layers) {
    const group: GroupName = isQuantumLayer(layer) ? 'quantum' : 'classical';
    for (const w of layer.trainableWeights) out.push({ key: w.originalName, variable: w.read() as tf.Variable, group });
  }
  return out;
}

/** Groups in a fixed order (quantum, classical), leaving out empty ones. */
export function buildParamGroups(
  model: tf.LayersModel,
  defaults: { lr: number; weightDecay?: number },
  settings: Partial<Record<GroupName, GroupSettings>> = {},
): ParamGroup[] {
  const vars = trainableVariables(model);
  const groups: ParamGroup[] = [];
  for (const name of ['quantum', 'classical'] as const) {
    const params = vars.filter((v) => v.group === name).map(({ key, variable }) => ({ key, variable }));
    if (params.length === 0) continue;
    groups.push({ name, params, lr: settings[name]?.lr ?? defaults.lr, weightDecay: settings[name]?.weightDecay ?? defaults.weightDecay ?? 0 });
  }
  return groups;
}
