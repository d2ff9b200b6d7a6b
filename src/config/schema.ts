// The JSON Schema (draft-07, checked by ajv) of an experiment config. Defaults written here are
// filled in by ajv (useDefaults), so the resolved config saved in a run folder shows them.
// The quantum layer's body is the QuantumLayerSpec schema of src/models/quantum-spec.ts.

import { ACTIVATIONS, LAYER_KINDS } from '../models/build.js';
import { QUANTUM_LAYER_SCHEMA } from '../models/quantum-spec.js';
import { quantumTrainSchema } from '../models/quantum-train/schema.js';
import { BEIR_DATA_PROPERTIES, RANKING_LOSS_NAMES, RANKING_MONITORS, RANKING_TRAINING_SCHEMA, RERANKER_SCHEMA } from '../models/reranker/schema.js';
import { RESNET_SCHEMA } from '../models/resnet/spec.js';
import { MAX_MAGNITUDE, RAND_AUGMENT_OPS } from '../data/augment.js';

const positiveInt = { type: 'integer', minimum: 1 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
/** A size written as one integer (square) or [height, width]. */
const sizeOrPair = { anyOf: [positiveInt, { type: 'array', items: positiveInt, minItems: 2, maxItems: 2 }] } as const;

const SPLIT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['train', 'val', 'test'],
  properties: {
    train: nonNegative,
    val: nonNegative,
    test: nonNegative,
    seed: { type: 'integer', minimum: 0 },
    file: { type: 'string', minLength: 1 },
  },
} as const;

const SYNTHETIC_TYPES = ['circles', 'moons', 'spirals', 'xor'];
const IMAGE_TYPES = ['mnist', 'fashion-mnist', 'cifar10', 'cifar100', 'colour-shapes'];

const DATA_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'split'],
  properties: {
    type: { enum: [...SYNTHETIC_TYPES, 'csv', ...IMAGE_TYPES, 'beir'] },
    seed: { type: 'integer', minimum: 0 },
    split: SPLIT_SCHEMA,
    standardize: { type: 'boolean', default: true },
    // synthetic
    samples: positiveInt,
    noise: nonNegative,
    noiseFeatures: { type: 'integer', minimum: 0 },
    factor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    classes: { type: 'integer', minimum: 2 },
    turns: { type: 'number', exclusiveMinimum: 0 },
    // csv
    path: { type: 'string', minLength: 1 },
    label: { type: 'string', minLength: 1 },
    features: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    delimiter: { type: 'string', minLength: 1, maxLength: 1 },
    // mnist, fashion-mnist: the folder with the IDX files (default: the installed copy); cifar10, cifar100: the folder with the .bin files; beir: the BEIR folder
    dir: { type: 'string', minLength: 1 },
    // cifar100: fine (100 classes) or coarse (20 superclasses)
    labels: { enum: ['fine', 'coarse'] },
    // beir (a retrieval set for model.reranker)
    ...BEIR_DATA_PROPERTIES,
  },
  allOf: [
    { if: { properties: { type: { const: 'csv' } }, required: ['type'] }, then: { required: ['path', 'label'] } },
    { if: { properties: { type: { enum: SYNTHETIC_TYPES } }, required: ['type'] }, then: { required: ['samples'] } },
    { if: { properties: { type: { const: 'beir' } }, required: ['type'] }, then: { required: ['dir', 'embeddings'] } },
    { if: { properties: { type: { enum: ['cifar10', 'cifar100'] } }, required: ['type'] }, then: { required: ['dir'] } },
    { if: { properties: { type: { const: 'colour-shapes' } }, required: ['type'] }, then: { required: ['samples'], properties: { classes: { maximum: 10 } } } },
  ],
} as const;

const LAYER_SCHEMA = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  propertyNames: { enum: LAYER_KINDS },
  properties: {
    dense: {
      type: 'object',
      additionalProperties: false,
      required: ['units'],
      properties: {
        units: positiveInt,
        activation: { enum: ACTIVATIONS },
        useBias: { type: 'boolean' },
      },
    },
    activation: { enum: ACTIVATIONS },
    dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
    batchnorm: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        momentum: { type: 'number', minimum: 0, maximum: 1 },
        epsilon: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    conv2d: {
      type: 'object',
      additionalProperties: false,
      required: ['filters', 'kernelSize'],
      properties: {
        filters: positiveInt,
        kernelSize: sizeOrPair,
        strides: sizeOrPair,
        padding: { enum: ['valid', 'same'] },
        activation: { enum: ACTIVATIONS },
        useBias: { type: 'boolean' },
      },
    },
    maxpool2d: {
      anyOf: [
        positiveInt,
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          properties: { poolSize: sizeOrPair, strides: sizeOrPair, padding: { enum: ['valid', 'same'] } },
        },
      ],
    },
    flatten: { type: ['object', 'null'], additionalProperties: false, properties: {} },
    quantum: QUANTUM_LAYER_SCHEMA,
  },
} as const;

// Quantum feature channels and the gated quantum head (src/models/quantum-channels, src/models/quantum-head).
const QUANTUM_CHANNELS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    qubits: { type: 'integer', minimum: 1, maximum: 16, default: 4 },
    seed: { type: 'integer', minimum: 0, default: 0 },
    cacheDir: { type: 'string', minLength: 1 },
  },
} as const;

const QUANTUM_HEAD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    wires: { type: 'integer', minimum: 1, maximum: 16, default: 4 },
    layers: { type: 'integer', minimum: 1, default: 2 },
    alphaInit: { type: 'number', default: -6 },
    warmupEpochs: { type: 'integer', minimum: 0, default: 1 },
  },
} as const;

const GROUP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lr: { type: 'number', exclusiveMinimum: 0 },
    weightDecay: nonNegative,
  },
} as const;

const SCHEDULE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['constant', 'step', 'cosine', 'one_cycle', 'reduce_on_plateau'] },
    // step
    stepSize: positiveInt,
    gamma: { type: 'number', exclusiveMinimum: 0 },
    // cosine
    minFactor: { type: 'number', minimum: 0, maximum: 1 },
    warmupEpochs: nonNegative,
    // one_cycle
    pctStart: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    divFactor: { type: 'number', exclusiveMinimum: 0 },
    finalDivFactor: { type: 'number', exclusiveMinimum: 0 },
    // reduce_on_plateau
    factor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    patience: { type: 'integer', minimum: 0 },
    minDelta: nonNegative,
    cooldown: { type: 'integer', minimum: 0 },
  },
  allOf: [{ if: { properties: { type: { const: 'step' } }, required: ['type'] }, then: { required: ['stepSize'] } }],
} as const;

/** On-the-fly augmentation of training images (src/data/augment.ts). */
const fractionPair = { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, minItems: 2, maxItems: 2 } as const;
const AUGMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flip: { type: 'boolean' },
    crop: { type: 'object', additionalProperties: false, properties: { scale: fractionPair, ratio: fractionPair } },
    randAugment: {
      type: 'object',
      additionalProperties: false,
      required: ['n', 'magnitude'],
      properties: { n: { type: 'integer', minimum: 0, maximum: 10 }, magnitude: { type: 'number', minimum: 0, maximum: MAX_MAGNITUDE }, ops: { type: 'array', minItems: 1, items: { enum: RAND_AUGMENT_OPS } } },
    },
  },
} as const;

const TRAINING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['epochs', 'batchSize', 'optimizer'],
  properties: {
    epochs: positiveInt,
    batchSize: positiveInt,
    evalBatchSize: positiveInt,
    limitBatches: positiveInt,
    optimizer: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'lr'],
      properties: {
        type: { enum: ['adam', 'adamw', 'sgd'] },
        lr: { type: 'number', exclusiveMinimum: 0 },
        weightDecay: nonNegative,
        beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        epsilon: { type: 'number', exclusiveMinimum: 0 },
        momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        nesterov: { type: 'boolean' },
      },
    },
    paramGroups: {
      type: 'object',
      additionalProperties: false,
      properties: { quantum: GROUP_SCHEMA, classical: GROUP_SCHEMA },
    },
    clipNorm: { type: 'number', exclusiveMinimum: 0 },
    threads: positiveInt,
    schedule: { ...SCHEDULE_SCHEMA, default: { type: 'constant' } },
    earlyStopping: {
      type: 'object',
      additionalProperties: false,
      required: ['patience'],
      properties: {
        patience: { type: 'integer', minimum: 0 },
        minDelta: nonNegative,
        // classification: loss and accuracy; regression: loss, mse, mae, r2 (checked against the task by the trainer)
        monitor: { enum: ['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy', ...['val', 'train'].flatMap((p) => ['mse', 'mae', 'r2'].map((m) => `${p}_${m}`)), ...RANKING_MONITORS], default: 'val_loss' },
        restoreBest: { type: 'boolean', default: false },
      },
    },
    task: { enum: ['classification', 'regression', 'ranking'] }, // absent: classification (no default, so older runs' configs and fingerprints stay as they were)
    loss: { enum: ['cross_entropy', 'mse', 'mae', ...RANKING_LOSS_NAMES], default: 'cross_entropy' },
    ranking: RANKING_TRAINING_SCHEMA,
    labelSmoothing: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0 },
    augment: AUGMENT_SCHEMA,
    backend: { enum: ['cpu', 'wasm'], default: 'cpu' },
  },
  // The loss depends on the task. ajv fills this branch's default before the one above (which then
  // sees a loss and adds none), so a classification config resolves exactly as before.
  allOf: [
    {
      if: { properties: { task: { const: 'regression' } }, required: ['task'] },
      then: { properties: { loss: { enum: ['mse', 'mae'], default: 'mse' } } },
      else: {
        if: { properties: { task: { const: 'ranking' } }, required: ['task'] },
        then: { properties: { loss: { enum: RANKING_LOSS_NAMES, default: 'triplet' } } },
        else: { properties: { loss: { enum: ['cross_entropy', 'mse'] } } },
      },
    },
  ],
} as const;

export const EXPERIMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['data', 'model', 'training'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    seed: { type: 'integer', minimum: 0, default: 0 },
    data: DATA_SCHEMA,
    model: {
      type: 'object',
      additionalProperties: false,
      // exactly one of layers / quantumTrain / resnet (checked in load.ts, with a message naming all)
      properties: {
        layers: { type: 'array', minItems: 1, items: LAYER_SCHEMA },
        quantumTrain: quantumTrainSchema(LAYER_SCHEMA),
        resnet: RESNET_SCHEMA,
        reranker: RERANKER_SCHEMA,
        // extras on top of a layer list or a ResNet (not with quantumTrain; checked in load.ts)
        quantumChannels: QUANTUM_CHANNELS_SCHEMA,
        quantumHead: QUANTUM_HEAD_SCHEMA,
      },
    },
    training: TRAINING_SCHEMA,
    output: {
      type: 'object',
      additionalProperties: false,
      properties: { dir: { type: 'string', minLength: 1 } },
    },
  },
} as const;
