// JSON Schema (draft-07, for ajv) of `model.quantumTrain`. The target's `layers` use the same
// layer entries as `model.layers` (conv2d, maxpool2d, flatten, dense, activation, dropout), so the
// schema of one layer entry is passed in by the experiment schema.

import { MAX_WIRES } from '../../circuit/circuit.js';
import { TARGET_ACTIVATIONS, TARGET_PRESETS } from './target.js';
import { QT_ANSATZES, QT_DEFAULTS } from './spec.js';

const positiveInt = { type: 'integer', minimum: 1 } as const;
const positive = { type: 'number', exclusiveMinimum: 0 } as const;

export function quantumTrainSchema(layerSchema: object): object {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      target: {
        type: 'object',
        additionalProperties: false,
        properties: {
          preset: { enum: TARGET_PRESETS },
          layers: { type: 'array', minItems: 1, items: layerSchema },
          inputShape: { type: 'array', items: positiveInt, minItems: 1, maxItems: 3 },
        },
      },
      ansatz: { enum: QT_ANSATZES, default: QT_DEFAULTS.ansatz },
      blocks: { ...positiveInt, default: QT_DEFAULTS.blocks },
      qubits: { type: 'integer', minimum: 1, maximum: MAX_WIRES },
      mapping: {
        type: 'object',
        additionalProperties: false,
        properties: {
          hidden: { type: 'array', items: positiveInt },
          activation: { enum: TARGET_ACTIVATIONS },
        },
      },
      scaling: {
        type: 'object',
        additionalProperties: false,
        properties: { beta: positive, gamma: positive, alpha: positive },
      },
      init: {
        type: 'object',
        additionalProperties: false,
        properties: { low: { type: 'number' }, high: { type: 'number' } },
      },
      export: { type: 'boolean', default: true },
    },
  };
}
