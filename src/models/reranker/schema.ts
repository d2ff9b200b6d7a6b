// JSON Schema (draft-07, for ajv) of the reranker's config sections: `model.reranker`, the beir
// fields of `data`, and `training.ranking`. Defaults of model.reranker are filled by ajv (so a run
// folder's config.yaml shows them); the beir data fields take no schema defaults, because the
// data section is shared with every other data type and their resolved configs must not change.

import { RANKING_LOSSES } from './losses.js';
import { ANGLE_ACTIVATIONS, RERANKER_ANSATZES, RERANKER_DEFAULTS, SIMILARITIES } from './config.js';

const positiveInt = { type: 'integer', minimum: 1 } as const;

export const RERANKER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    similarity: { enum: SIMILARITIES, default: RERANKER_DEFAULTS.similarity },
    hidden: { type: 'array', items: positiveInt, default: RERANKER_DEFAULTS.hidden },
    dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: RERANKER_DEFAULTS.dropout },
    qubits: { type: 'integer', minimum: 1, maximum: 12, default: RERANKER_DEFAULTS.qubits },
    encodingLayers: { ...positiveInt, default: RERANKER_DEFAULTS.encodingLayers },
    depth: { type: 'integer', minimum: 0, default: RERANKER_DEFAULTS.depth },
    ansatz: { enum: RERANKER_ANSATZES, default: RERANKER_DEFAULTS.ansatz },
    angleActivation: { enum: ANGLE_ACTIVATIONS, default: RERANKER_DEFAULTS.angleActivation },
    angleScale: { type: 'number', exclusiveMinimum: 0, default: RERANKER_DEFAULTS.angleScale },
    outputDim: positiveInt,
    residual: { type: 'number', minimum: 0, default: RERANKER_DEFAULTS.residual },
  },
} as const;

export const BEIR_DATA_PROPERTIES = {
  /** builtin (USE-lite, cached) or an embedding file (.npy + ids, .jsonl, .csv) holding every query and document id. */
  embeddings: { type: 'string', minLength: 1 },
  /** Where built-in embeddings are cached (default ~/.cache/entangle/embeddings). */
  cacheDir: { type: 'string', minLength: 1 },
  /** The first stage whose top k the reranker reorders (training candidates, mining, evaluation). */
  firstStage: { enum: ['bm25', 'cosine'] },
  k: positiveInt,
  /** The BEIR qrels split that validation queries are drawn from with the training ones (default train; dev when train is absent). */
  trainSplit: { enum: ['train', 'dev'] },
  testSplit: { enum: ['test', 'dev'] },
} as const;

export const RANKING_LOSS_NAMES = [...RANKING_LOSSES];
export const RANKING_MONITORS = ['val_mrr@10', 'val_recall@10', 'train_pair_accuracy'];

export const RANKING_TRAINING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    margin: { type: 'number', minimum: 0, default: 0.5 },
    temperature: { type: 'number', exclusiveMinimum: 0, default: 0.1 },
    mining: { enum: ['dynamic', 'static'], default: 'dynamic' },
    hardFraction: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
    mineDepth: { ...positiveInt, default: 10 },
    maxPositivesPerQuery: { ...positiveInt, default: 4 },
  },
} as const;
