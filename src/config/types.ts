// The shape of an experiment config (one YAML file). Each section's type belongs to the module
// that consumes it; this file only composes them.

import type { AugmentConfig } from '../data/augment.js';
import type { DataConfig } from '../data/load.js';
import type { LayerConfig } from '../models/build.js';
import type { QuantumTrainConfig } from '../models/quantum-train/from-config.js';
import type { QuantumChannelsConfig } from '../models/quantum-channels/channels.js';
import type { QuantumHeadConfig } from '../models/quantum-head/head.js';
import type { ResNetConfig } from '../models/resnet/spec.js';
import type { BackendName } from '../tf-kernels/backend.js';
import type { TrainerConfig } from '../train/trainer.js';
import type { RankingTrainingConfig, RerankerConfig } from '../models/reranker/config.js';

export interface TrainingConfig extends TrainerConfig {
  backend: BackendName;
  /** training.task ranking (model.reranker): negatives, margin, temperature. */
  ranking?: RankingTrainingConfig;
  /** Augment training images on the fly (image data, classification). */
  augment?: AugmentConfig;
  /** Engine threads per batch for every quantum layer (QNodeOptions.threads); default 1. */
  threads?: number;
}

export interface ExperimentConfig {
  /** Names the run (tables, folder); default: the config file's name without extension. */
  name: string;
  /** Seeds everything: data generation and split (unless data.seed), initializers, shuffles, dropout. */
  seed: number;
  data: DataConfig;
  /** Exactly one of: `layers` (a layer list), `quantumTrain` (a Quantum-Train model), `resnet` (a ResNet classifier) or `reranker` (a fidelity reranker); plus optional quantum extras. */
  model: {
    layers?: LayerConfig[];
    quantumTrain?: QuantumTrainConfig;
    resnet?: ResNetConfig;
    reranker?: RerankerConfig;
    /** Two quantum feature channels appended to every image (computed once, cached). */
    quantumChannels?: QuantumChannelsConfig;
    /** A gated variational quantum head beside the model's classifier. */
    quantumHead?: QuantumHeadConfig;
  };
  training: TrainingConfig;
  output: { dir: string };
}
